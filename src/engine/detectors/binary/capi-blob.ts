/**
 * Detector `capi-blob` (detectors.md S12): legacy CryptoAPI key blobs (CryptExportKey).
 * - PRIVATEKEYBLOB: BLOBHEADER `07 02 00 00` + ALG_ID (CALG_RSA_KEYX 0xA400 / CALG_RSA_SIGN 0x2400),
 *   RSAPUBKEY `RSA2` + bitlen + pubexp, then little-endian n, p, q, dp, dq, qinv, d. Confidence by
 *   rsaConfidence (high = n = p·q with consistent CRT values).
 * - PLAINTEXTKEYBLOB: `08 02 00 00` + a symmetric ALG_ID + u32 length + raw key, the length fitting
 *   the algorithm and the key passing the distinct-byte gate: medium.
 * PUBLICKEYBLOB (`06 02`, `RSA1`) has no anchor: public material is not a finding.
 */
import type { AnchorHit } from '../../anchors.ts';
import { bigFromLE } from '../../crypto/bigint.ts';
import { looksRandom } from '../../crypto/entropy.ts';
import { rsaFingerprint } from '../../crypto/fingerprint.ts';
import { checkRsa, rsaConfidence, type RsaComponents } from '../../crypto/rsa.ts';
import type { Finding } from '../../types.ts';
import type { ScanWindow } from '../../window.ts';
import type { Detector } from '../detector.ts';
import { bytesAre, findingAt, reachAround, u32le, type Reach } from './reach.ts';

const DETECTOR = 'capi-blob';

const CALG_RSA_KEYX = 0xa400;
const CALG_RSA_SIGN = 0x2400;

/**
 * The RSA ALG_ID and RSAPUBKEY (`magic`, bitlen, pubexp) after a BLOBHEADER at `pos`, if they are
 * sane; the key's fields start at pos + 20. Shared with the PUBLICKEYBLOB harvester (`RSA1`).
 */
export function readRsaPubKey(bytes: Uint8Array, pos: number, hi: number, magic: 'RSA1' | 'RSA2'): { bits: number; e: bigint } | null {
  if (pos + 20 > hi) return null;
  const alg = u32le(bytes, pos + 4);
  if ((alg !== CALG_RSA_KEYX && alg !== CALG_RSA_SIGN) || !bytesAre(bytes, pos + 8, magic)) return null;
  const bits = u32le(bytes, pos + 12);
  const e = BigInt(u32le(bytes, pos + 16));
  if (bits < 512 || bits > 16384 || bits % 8 !== 0 || e < 3n || !(e & 1n)) return null;
  return { bits, e };
}

function privateKeyBlob(reach: Reach, pos: number): Finding | null {
  const { bytes, hi } = reach;
  const header = readRsaPubKey(bytes, pos, hi, 'RSA2');
  if (!header) return null;
  const { bits, e } = header;
  const full = bits / 8;
  const half = Math.ceil(bits / 16);
  const sizes = [full, half, half, half, half, half, full];
  const total = 20 + sizes.reduce((a, b) => a + b, 0);
  const values: bigint[] = [];
  let at = pos + 20;
  for (const size of sizes) {
    if (at + size > hi) break;
    values.push(bigFromLE(bytes, at, at + size));
    at += size;
  }
  // n fills its bytes: its most significant (last, little-endian) byte is not zero.
  if (values.length === 0 || bytes[pos + 20 + full - 1] === 0) return null;
  const k: RsaComponents = { n: values[0]!, e };
  [k.p, k.q, k.dp, k.dq, k.qinv, k.d] = values.slice(1);
  const complete = values.length === sizes.length;
  return findingAt(reach, pos, Math.min(pos + total, hi), {
    kind: 'rsa-private-key',
    detector: DETECTOR,
    confidence: rsaConfidence(checkRsa(k), complete),
    encoding: 'capi-privatekeyblob',
    fingerprint: rsaFingerprint(k.n, e),
  });
}

/** Symmetric ALG_IDs of PLAINTEXTKEYBLOB: the key lengths each allows, and whether it is AES. */
const SYMMETRIC_ALGS: ReadonlyMap<number, { lengths: readonly number[]; aes: boolean }> = new Map([
  [0x660e, { lengths: [16], aes: true }], // CALG_AES_128
  [0x660f, { lengths: [24], aes: true }], // CALG_AES_192
  [0x6610, { lengths: [32], aes: true }], // CALG_AES_256
  [0x6611, { lengths: [16, 24, 32], aes: true }], // CALG_AES
  [0x6603, { lengths: [24], aes: false }], // CALG_3DES
  [0x6609, { lengths: [16], aes: false }], // CALG_3DES_112
  [0x6601, { lengths: [8], aes: false }], // CALG_DES
  [0x6801, { lengths: Array.from({ length: 28 }, (_, i) => i + 5), aes: false }], // CALG_RC4, 40–256 bits
  [0x6602, { lengths: Array.from({ length: 12 }, (_, i) => i + 5), aes: false }], // CALG_RC2, 40–128 bits
]);

function plaintextKeyBlob(reach: Reach, pos: number): Finding | null {
  const { bytes, hi } = reach;
  if (pos + 12 > hi) return null;
  const alg = SYMMETRIC_ALGS.get(u32le(bytes, pos + 4));
  const size = u32le(bytes, pos + 8);
  if (!alg || !alg.lengths.includes(size)) return null;
  const key = pos + 12;
  const end = Math.min(key + size, hi);
  // A key cut by the end of the data still counts if at least 5 of its bytes are there.
  if (end - key < Math.min(size, 5) || !looksRandom(bytes, key, end)) return null;
  return findingAt(reach, pos, end, {
    kind: alg.aes ? 'aes-key' : 'symmetric-key',
    detector: DETECTOR,
    confidence: 'medium',
    encoding: 'capi-plaintextkeyblob',
  });
}

const ANCHORS: readonly [string, (reach: Reach, pos: number) => Finding | null][] = [
  ['\x07\x02\x00\x00', privateKeyBlob],
  ['\x08\x02\x00\x00', plaintextKeyBlob],
];

export const capiBlob: Detector = {
  id: DETECTOR,
  anchors: [],
  rawAnchors: ANCHORS.map(([bytes]) => bytes),
  detect(win: ScanWindow, hit: AnchorHit, anchor: number): Finding[] {
    const finding = ANCHORS[anchor]![1](reachAround(win, hit.pos), hit.pos);
    return finding ? [finding] : [];
  },
};
