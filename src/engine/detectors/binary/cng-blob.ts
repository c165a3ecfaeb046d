/**
 * Detector `cng-blob` (detectors.md S10, S11, S13): Windows CNG key blobs as BCryptExportKey writes
 * them and as CNG keeps them in memory.
 * - BCRYPT_RSAKEY_BLOB `RSA2` (e, n, p, q) and `RSA3` (+ dp, dq, qinv, d), big-endian fields:
 *   confidence by rsaConfidence (high = n = p·q and, for RSA3, consistent CRT values).
 * - BCRYPT_ECCKEY_BLOB `ECS2/4/6` (ECDSA) and `ECK2/4/6` (ECDH) for P-256/384/521 (X, Y, d): high when
 *   d·G = (X, Y), low when not; `ECDV`/`ECKV` (generic curve) in both layouts: named-curve (cbKey,
 *   X, Y, d; the curve is found by trying those of that size) and BCRYPT_ECCFULLKEY_BLOB (explicit
 *   parameters, matched against the curves we know): high when d·G = Q, low otherwise.
 * - BCRYPT_KEY_DATA_BLOB `KDBM` (version 1, 8/16/24/32-byte key passing the distinct-byte gate): medium.
 * Public blobs (RSA1, ECS1/3/5, ECK1/3/5, ECDP/ECKP) are not findings and have no anchor. A blob cut
 * by the end of the data is at most medium, and only when what is there is proven (a prime factor,
 * a curve point) or, for KDBM, looks random.
 */
import type { AnchorHit } from '../../anchors.ts';
import { bigFromBE, bytesEqual } from '../../crypto/bigint.ts';
import { ecCurveByName, ecCurvesBySize, ecPublicPoint, EC_CURVES, isOnCurve, type EcCurve } from '../../crypto/curves.ts';
import { looksRandom } from '../../crypto/entropy.ts';
import { ecFingerprint, rsaFingerprint } from '../../crypto/fingerprint.ts';
import { checkRsa, rsaConfidence, type RsaComponents } from '../../crypto/rsa.ts';
import type { Finding } from '../../types.ts';
import type { ScanWindow } from '../../window.ts';
import type { Detector } from '../detector.ts';
import { findingAt, reachAround, u32le, type Reach } from './reach.ts';

const DETECTOR = 'cng-blob';

// ---------------------------------------------------------------- RSA

export interface CngRsaHeader {
  bits: number;
  cbExp: number;
  cbMod: number;
  cbP: number;
  cbQ: number;
}

/**
 * The BCRYPT_RSAKEY_BLOB header at `pos` if it is sane; the fields start at pos + 24. A public blob
 * (`RSA1`) may leave the prime sizes at 0. Shared with the RSA1 harvester.
 */
export function readCngRsaHeader(bytes: Uint8Array, pos: number, hi: number, publicBlob: boolean): CngRsaHeader | null {
  if (pos + 24 > hi) return null;
  const [bits, cbExp, cbMod, cbP, cbQ] = [4, 8, 12, 16, 20].map((o) => u32le(bytes, pos + o)) as [number, number, number, number, number];
  // Header checks first: they reject "RSA2048" text, CAPI's RSAPUBKEY and random hits cheaply.
  if (bits < 512 || bits > 16384 || cbMod !== Math.ceil(bits / 8) || cbExp < 1 || cbExp > 8) return null;
  const half = cbMod / 2;
  const primeSizeOk = (cb: number) => Math.abs(cb - half) <= 8 || (publicBlob && cb === 0);
  return primeSizeOk(cbP) && primeSizeOk(cbQ) ? { bits, cbExp, cbMod, cbP, cbQ } : null;
}

function rsaBlob(reach: Reach, pos: number, full: boolean): Finding | null {
  const { bytes, hi } = reach;
  const header = readCngRsaHeader(bytes, pos, hi, false);
  if (!header) return null;
  const { cbExp, cbMod, cbP, cbQ } = header;
  const sizes = [cbExp, cbMod, cbP, cbQ, ...(full ? [cbP, cbQ, cbP, cbMod] : [])];
  const total = 24 + sizes.reduce((a, b) => a + b, 0);
  const values: bigint[] = [];
  let at = pos + 24;
  for (const size of sizes) {
    if (at + size > hi) break;
    values.push(bigFromBE(bytes, at, at + size));
    at += size;
  }
  if (values.length < 2) return null;
  const [e, n] = values as [bigint, bigint];
  if (e < 3n || !(e & 1n) || bytes[pos + 24 + cbExp] === 0) return null;
  const k: RsaComponents = { n, e };
  [k.p, k.q, k.dp, k.dq, k.qinv, k.d] = values.slice(2);
  const complete = values.length === sizes.length;
  const confidence = rsaConfidence(checkRsa(k), complete);
  return findingAt(reach, pos, Math.min(pos + total, hi), {
    kind: 'rsa-private-key',
    detector: DETECTOR,
    confidence,
    encoding: full ? 'cng-rsafullprivate' : 'cng-rsaprivate',
    fingerprint: rsaFingerprint(n, e),
  });
}

// ---------------------------------------------------------------- ECC

/** 04 ‖ X ‖ Y from two big-endian coordinates. */
function uncompressed(bytes: Uint8Array, x: number, y: number, size: number): Uint8Array {
  const point = new Uint8Array(1 + 2 * size);
  point[0] = 4;
  point.set(bytes.subarray(x, x + size), 1);
  point.set(bytes.subarray(y, y + size), 1 + size);
  return point;
}

/**
 * Judges X, Y, d (each `size` bytes, big-endian, at x, y, d) against candidate curves: high if d·G is
 * (X, Y) on one of them, medium if d is cut off but (X, Y) is a curve point, low if the blob is whole
 * but matches no curve.
 */
function eccFinding(
  reach: Reach,
  pos: number,
  end: number,
  coords: { x: number; y: number; d: number; size: number; dSize: number },
  curves: readonly EcCurve[],
  encoding: string,
): Finding | null {
  const { bytes, hi } = reach;
  const { x, y, d, size, dSize } = coords;
  if (y + size > hi) return null;
  const point = uncompressed(bytes, x, y, size);
  const X = bigFromBE(bytes, x, x + size);
  const Y = bigFromBE(bytes, y, y + size);
  const fields = { kind: 'ec-private-key', detector: DETECTOR, encoding };
  if (d + dSize > hi) {
    const curve = curves.find((c) => isOnCurve(c, X, Y));
    if (!curve || d >= hi) return null;
    return findingAt(reach, pos, hi, { ...fields, confidence: 'medium', fingerprint: ecFingerprint(curve.oid, point) });
  }
  const scalar = bigFromBE(bytes, d, d + dSize);
  if (scalar === 0n) return null;
  for (const curve of curves) {
    const derived = ecPublicPoint(curve, scalar);
    if (derived && bytesEqual(derived, point)) {
      return findingAt(reach, pos, end, { ...fields, confidence: 'high', fingerprint: ecFingerprint(curve.oid, point) });
    }
  }
  return findingAt(reach, pos, end, { ...fields, confidence: 'low' });
}

/** The curve each named-curve BCRYPT_ECCKEY_BLOB private magic implies. */
export const NAMED_ECC: Record<string, EcCurve> = {
  ECS2: ecCurveByName('P-256'),
  ECK2: ecCurveByName('P-256'),
  ECS4: ecCurveByName('P-384'),
  ECK4: ecCurveByName('P-384'),
  ECS6: ecCurveByName('P-521'),
  ECK6: ecCurveByName('P-521'),
};

/** BCRYPT_ECCKEY_BLOB: magic, cbKey, X, Y, d. */
function eccBlob(reach: Reach, pos: number, curves: readonly EcCurve[]): Finding | null {
  const size = u32le(reach.bytes, pos + 4);
  if (!curves.some((c) => c.size === size)) return null;
  const x = pos + 8;
  return eccFinding(reach, pos, x + 3 * size, { x, y: x + size, d: x + 2 * size, size, dSize: size }, curves, 'cng-eccprivate');
}

/**
 * BCRYPT_ECCFULLKEY_BLOB: magic, version 1, curve type 1 (short Weierstrass), generation algorithm,
 * cbFieldLength, cbSubgroupOrder, cbCofactor, cbSeed; then P, A, B, Gx, Gy, order, cofactor, seed,
 * Qx, Qy, d. The curve is identified by P, Gx, Gy and the order.
 */
function eccFullBlob(reach: Reach, pos: number): Finding | null {
  const { bytes, hi } = reach;
  if (pos + 32 > hi || u32le(bytes, pos + 8) !== 1) return null;
  const field = u32le(bytes, pos + 16);
  const order = u32le(bytes, pos + 20);
  const cofactor = u32le(bytes, pos + 24);
  const seed = u32le(bytes, pos + 28);
  if (field < 20 || field > 66 || order < 20 || order > 67 || cofactor < 1 || cofactor > 8 || seed > 64) return null;
  const p = pos + 32;
  const gx = p + 3 * field;
  const n = p + 5 * field;
  const qx = n + order + cofactor + seed;
  if (qx > hi) return null;
  const curve = EC_CURVES.find(
    (c) =>
      c.size === field &&
      bigFromBE(bytes, p, p + field) === c.prime &&
      bigFromBE(bytes, gx, gx + field) === c.gx &&
      bigFromBE(bytes, gx + field, gx + 2 * field) === c.gy &&
      bigFromBE(bytes, n, n + order) === c.order,
  );
  const end = qx + 2 * field + order;
  if (!curve) {
    // Parameters of a curve we do not implement: a whole blob is shown for review.
    return end <= hi ? findingAt(reach, pos, end, { kind: 'ec-private-key', detector: DETECTOR, confidence: 'low', encoding: 'cng-eccfullprivate' }) : null;
  }
  return eccFinding(reach, pos, end, { x: qx, y: qx + field, d: qx + 2 * field, size: field, dSize: order }, [curve], 'cng-eccfullprivate');
}

/** ECDV / ECKV: the full blob (version 1 where cbKey would be) or a named-curve blob of any curve. */
function genericEccBlob(reach: Reach, pos: number): Finding | null {
  if (pos + 8 > reach.hi) return null;
  const second = u32le(reach.bytes, pos + 4);
  if (second === 1) return eccFullBlob(reach, pos);
  return eccBlob(reach, pos, ecCurvesBySize(second));
}

// ---------------------------------------------------------------- KDBM

const KEY_DATA_SIZES = [8, 16, 24, 32];

function keyDataBlob(reach: Reach, pos: number): Finding | null {
  const { bytes, hi } = reach;
  if (pos + 12 > hi || u32le(bytes, pos + 4) !== 1) return null;
  const size = u32le(bytes, pos + 8);
  if (!KEY_DATA_SIZES.includes(size)) return null;
  const key = pos + 12;
  const end = Math.min(key + size, hi);
  // A key cut by the end of the data still counts if at least 8 of its bytes are there.
  if (end - key < 8 || !looksRandom(bytes, key, end)) return null;
  return findingAt(reach, pos, end, {
    kind: size === 8 ? 'symmetric-key' : 'aes-key',
    detector: DETECTOR,
    confidence: 'medium',
    encoding: 'cng-keydata',
  });
}

// ---------------------------------------------------------------- detector

type Parse = (reach: Reach, pos: number) => Finding | null;

const ANCHORS: readonly [string, Parse][] = [
  ['RSA2', (r, p) => rsaBlob(r, p, false)],
  ['RSA3', (r, p) => rsaBlob(r, p, true)],
  ...Object.entries(NAMED_ECC).map(([magic, curve]): [string, Parse] => [magic, (r, p) => eccBlob(r, p, [curve])]),
  ['ECDV', genericEccBlob],
  ['ECKV', genericEccBlob],
  ['KDBM', keyDataBlob],
];

export const cngBlob: Detector = {
  id: DETECTOR,
  anchors: [],
  // The magics are ASCII but stored as little-endian u32 magic numbers: never UTF-16.
  rawAnchors: ANCHORS.map(([magic]) => magic),
  detect(win: ScanWindow, hit: AnchorHit, anchor: number): Finding[] {
    const finding = ANCHORS[anchor]![1](reachAround(win, hit.pos), hit.pos);
    return finding ? [finding] : [];
  },
};
