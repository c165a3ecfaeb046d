/**
 * Detector `dpapi-blob` (detectors.md S17): a DPAPI blob (CryptProtectData output) — ciphertext, but
 * decryptable with the user's or machine's master key, which often sits in the same dump (LSASS), so
 * it is zeroed: medium.
 *
 * Layout (u32 little-endian): version 1, provider GUID df9d8cd0-1501-11d1-8c7a-00c04fc297eb, master-key
 * version, master-key GUID, flags, description length + UTF-16 description, cipher ALG_ID + key bits,
 * salt length + salt, HMAC-key length + key, hash ALG_ID + bits, HMAC length + HMAC, data length +
 * ciphertext, signature length + signature. Every length is bounded and the ciphertext is a whole
 * number of cipher blocks; a blob cut by the end of the data after its data length is medium up to it.
 */
import type { AnchorHit } from '../../anchors.ts';
import type { Finding } from '../../types.ts';
import type { ScanWindow } from '../../window.ts';
import type { Detector } from '../detector.ts';
import { findingAt, reachAround, u32le } from './reach.ts';

/** u32 version 1, then the provider GUID as stored (little-endian fields). */
const ANCHOR = '\x01\x00\x00\x00\xd0\x8c\x9d\xdf\x01\x15\xd1\x11\x8c\x7a\x00\xc0\x4f\xc2\x97\xeb';

/** Cipher ALG_IDs with their block size. */
const CIPHERS: ReadonlyMap<number, number> = new Map([
  [0x6610, 16], // CALG_AES_256
  [0x660f, 16], // CALG_AES_192
  [0x660e, 16], // CALG_AES_128
  [0x6603, 8], // CALG_3DES
  [0x6609, 8], // CALG_3DES_112
  [0x6601, 8], // CALG_DES
  [0x6801, 1], // CALG_RC4
  [0x6602, 8], // CALG_RC2
]);

/** Hash ALG_IDs: SHA-1, SHA-256, SHA-384, SHA-512, HMAC, MD5. */
const HASHES = new Set([0x8004, 0x800c, 0x800d, 0x800e, 0x8009, 0x8003]);

const MAX_DATA = 64 * 1024;

export const dpapiBlob: Detector = {
  id: 'dpapi-blob',
  anchors: [],
  rawAnchors: [ANCHOR],
  detect(win: ScanWindow, hit: AnchorHit): Finding[] {
    const reach = reachAround(win, hit.pos);
    const { bytes, hi } = reach;
    const pos = hit.pos;
    let at = pos + 20;
    const u32 = () => {
      if (at + 4 > hi) return null;
      const v = u32le(bytes, at);
      at += 4;
      return v;
    };
    /** A length-prefixed field of at most `max` bytes, wholly present. */
    const field = (max: number) => {
      const length = u32();
      if (length === null || length > max || at + length > hi) return null;
      at += length;
      return length;
    };
    const mkVersion = u32();
    if (mkVersion === null || mkVersion > 0xff) return [];
    at += 16 + 4; // master-key GUID, flags
    const descStart = at + 4;
    const desc = field(4096);
    if (desc === null || desc % 2 !== 0 || (desc > 0 && (bytes[at - 1] !== 0 || bytes[at - 2] !== 0))) return [];
    for (let i = descStart; i < at - 2; i += 2) if (bytes[i + 1] === 0 && bytes[i] === 0) return [];
    const block = CIPHERS.get(u32() ?? -1);
    const cipherBits = u32();
    if (block === undefined || cipherBits === null || cipherBits < 40 || cipherBits > 512) return [];
    if (field(64) === null || field(64) === null) return []; // salt, HMAC key
    const hash = u32();
    const hashBits = u32();
    if (hash === null || !HASHES.has(hash) || hashBits === null || hashBits < 128 || hashBits > 512) return [];
    if (field(64) === null) return []; // HMAC
    const dataLength = u32();
    if (dataLength === null || dataLength === 0 || dataLength > MAX_DATA || dataLength % block !== 0) return [];
    at += dataLength;
    // The signature: length (≤ 64) and bytes; either may be cut off by the end of the data.
    let end = at;
    if (at + 4 <= hi) {
      const signature = u32le(bytes, at);
      if (signature > 64) return [];
      end = at + 4 + signature;
    } else if (at < hi) {
      end = hi;
    }
    return [
      findingAt(reach, pos, Math.min(end, hi), {
        kind: 'dpapi-blob',
        detector: 'dpapi-blob',
        confidence: 'medium',
        encoding: 'dpapi',
      }),
    ];
  },
};
