/**
 * Marvin32, Microsoft's seeded checksum (the one .NET uses for string hashing), as Microsoft's
 * identifiable keys use it to checksum themselves. Written from the algorithm's description: the
 * state is two 32-bit words seeded from the 64-bit seed (low word first); each 32-bit little-endian
 * word of input is added to the first and mixed by the block function; the tail is padded with 0x80
 * and mixed, then one more empty block.
 */

function rotl(x: number, r: number): number {
  return ((x << r) | (x >>> (32 - r))) >>> 0;
}

/** The block function, on the state [p0, p1] in place. */
function block(s: Uint32Array): void {
  let p0 = s[0]!;
  let p1 = s[1]!;
  p1 = (p1 ^ p0) >>> 0;
  p0 = rotl(p0, 20);
  p0 = (p0 + p1) >>> 0;
  p1 = rotl(p1, 9);
  p1 = (p1 ^ p0) >>> 0;
  p0 = rotl(p0, 27);
  p0 = (p0 + p1) >>> 0;
  p1 = rotl(p1, 19);
  s[0] = p0;
  s[1] = p1;
}

/** The final state [p0, p1] of Marvin over `bytes`; the 64-bit hash is p1 · 2^32 + p0. */
export function marvinState(bytes: Uint8Array, seed: bigint): Uint32Array {
  const s = Uint32Array.of(Number(seed & 0xffffffffn), Number((seed >> 32n) & 0xffffffffn));
  const whole = bytes.length & ~3;
  for (let i = 0; i < whole; i += 4) {
    s[0] = (s[0]! + (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24))) >>> 0;
    block(s);
  }
  let tail = 0x80;
  for (let i = bytes.length - 1; i >= whole; i--) tail = (tail << 8) | bytes[i]!;
  s[0] = (s[0]! + (tail >>> 0)) >>> 0;
  block(s);
  block(s);
  return s;
}

/** Marvin's 64-bit hash. */
export function marvin64(bytes: Uint8Array, seed: bigint): bigint {
  const s = marvinState(bytes, seed);
  return (BigInt(s[1]!) << 32n) | BigInt(s[0]!);
}

/** Marvin32 (`ComputeHash32`): the two state words XORed, unsigned. */
export function marvin32(bytes: Uint8Array, seed: bigint): number {
  const s = marvinState(bytes, seed);
  return (s[0]! ^ s[1]!) >>> 0;
}

/**
 * A Marvin seed from an 8-character ASCII tag (`Default0`): the tag's bytes read as a big-endian
 * u64, as Microsoft names its per-key-type seeds.
 */
export function marvinSeed(tag: string): bigint {
  let seed = 0n;
  for (let i = 0; i < tag.length; i++) seed = (seed << 8n) | BigInt(tag.charCodeAt(i));
  return seed;
}
