/**
 * Unsigned big integers from and to byte strings, in the byte orders key blobs use: big-endian
 * (DER, CNG, JWK, SSH) and little-endian (CAPI, OpenSSL/Go/.NET limbs).
 */

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of bytes[from, to). */
export function toHex(bytes: Uint8Array, from = 0, to = bytes.length): string {
  let s = '';
  for (let i = from; i < to; i++) s += HEX[bytes[i]!]!;
  return s;
}

/** The unsigned big-endian integer in bytes[from, to); 0n for an empty range. */
export function bigFromBE(bytes: Uint8Array, from = 0, to = bytes.length): bigint {
  return to > from ? BigInt('0x' + toHex(bytes, from, to)) : 0n;
}

/** The unsigned little-endian integer in bytes[from, to); 0n for an empty range. */
export function bigFromLE(bytes: Uint8Array, from = 0, to = bytes.length): bigint {
  let s = '';
  for (let i = to - 1; i >= from; i--) s += HEX[bytes[i]!]!;
  return s ? BigInt('0x' + s) : 0n;
}

/** Bytes needed for `v` (at least 1, so 0n is one zero byte). */
export function byteLength(v: bigint): number {
  return v === 0n ? 1 : Math.ceil(v.toString(16).length / 2);
}

/** Big-endian bytes of `v ≥ 0`: minimal, or left-padded to `length` (null if it does not fit). */
export function bigToBE(v: bigint, length?: number): Uint8Array {
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  const size = length ?? hex.length / 2;
  const out = new Uint8Array(size);
  const bytes = hex.length / 2;
  if (bytes > size) throw new RangeError(`integer needs ${bytes} bytes, ${size} given`);
  for (let i = 0; i < bytes; i++) out[size - bytes + i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** True if a and b hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** (a mod m) in [0, m). */
export function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}
