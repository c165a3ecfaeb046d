// Prime-candidate kernel (AssemblyScript, built by `npm run asbuild`; detectors.md §4.2, §4.3).
//
// For one prime length L (bytes), reports every window [pos, pos + L) that could hold an RSA prime
// in one of three in-memory layouts:
//   LE   (1): little-endian limbs (OpenSSL BIGNUM, Go, .NET, CAPI), at 8-aligned file offsets;
//   BE   (2): big-endian bytes (DER, CNG, JWK), at every offset;
//   JAVA (4): BigInteger.mag, an int[] in big-endian word order with each 32-bit word little-endian,
//             at 4-aligned file offsets; only for L a multiple of 4.
// A window passes when its most significant byte has the top bit set, its least significant byte is
// odd, it holds at least `minDistinct` distinct byte values (a rolling count: primes look random,
// code, text, pointers and zero pages do not) and the number has no prime factor from 3 to 29.

const LE: u32 = 1;
const BE: u32 = 2;
const JAVA: u32 = 4;

/** 3·5·7·11·13·17·19·23·29: below 2^32, so one u64 remainder step folds in a whole 32-bit word. */
const SIEVE_PRODUCT: u64 = 3234846615;

/** Occurrences of each byte value in the current window. */
const counts = heap.alloc(256 << 2);
let resumePos: u32 = 0;

/**
 * Writes up to `cap` candidates (u32 pairs: position relative to `ptr`, layout bit) for windows
 * starting in [from, to) and ending by `len`, ordered by position then layout bit, and returns how
 * many. `phase` is the file offset of ptr[0] modulo 8 (alignment is a property of the file, not of
 * the buffer). When the output fills it stops before a position whose candidates do not all fit;
 * `primeStoppedAt()` then tells where to resume (it equals `to` once the range is done).
 */
export function primeCandidates(
  ptr: usize, len: u32, from: u32, to: u32, primeLen: u32, minDistinct: u32, phase: u32, layouts: u32, out: usize, cap: u32,
): u32 {
  const L = <usize>primeLen;
  const last = len >= primeLen ? min<u32>(to, len - primeLen + 1) : 0;
  resumePos = to;
  if (from >= last || L == 0) return 0;
  if (primeLen & 3) layouts &= ~JAVA;

  memory.fill(counts, 0, 256 << 2);
  let distinct: u32 = 0;
  for (let i: usize = 0; i < L; i++) distinct += addByte(load<u8>(ptr + from + i));

  let n: u32 = 0;
  for (let pos = from; pos < last; pos++) {
    const p = ptr + pos;
    if (pos > from) {
      distinct -= removeByte(load<u8>(p - 1));
      distinct += addByte(load<u8>(p + L - 1));
    }
    const first = <u32>load<u8>(p);
    const lastByte = <u32>load<u8>(p + L - 1);
    const aligned = (phase + pos) & 7;
    let hits: u32 = 0;
    if (layouts & LE && aligned == 0 && lastByte >= 0x80 && first & 1) hits |= LE;
    if (layouts & BE && first >= 0x80 && lastByte & 1) hits |= BE;
    if (layouts & JAVA && (aligned & 3) == 0 && <u32>load<u8>(p + 3) >= 0x80 && <u32>load<u8>(p + L - 4) & 1) hits |= JAVA;
    if (hits == 0 || distinct < minDistinct) continue;
    if (hits & LE && !sieve(residue(p, L, LE))) hits &= ~LE;
    if (hits & BE && !sieve(residue(p, L, BE))) hits &= ~BE;
    if (hits & JAVA && !sieve(residue(p, L, JAVA))) hits &= ~JAVA;
    if (hits == 0) continue;
    if (n + popcnt(hits) > cap) {
      resumePos = pos;
      return n;
    }
    for (let bit: u32 = 1; bit <= JAVA; bit <<= 1) {
      if (!(hits & bit)) continue;
      const o = out + (<usize>n << 3);
      store<u32>(o, pos);
      store<u32>(o, bit, 4);
      n++;
    }
  }
  return n;
}

/** Where the last `primeCandidates` call stopped, relative to its `ptr`. */
export function primeStoppedAt(): u32 {
  return resumePos;
}

/** Counts byte `b` in; 1 if it is new to the window. */
@inline function addByte(b: u8): u32 {
  const at = counts + (<usize>b << 2);
  const c = load<u32>(at);
  store<u32>(at, c + 1);
  return c == 0 ? 1 : 0;
}

/** Counts byte `b` out; 1 if it was its last occurrence. */
@inline function removeByte(b: u8): u32 {
  const at = counts + (<usize>b << 2);
  const c = load<u32>(at) - 1;
  store<u32>(at, c);
  return c == 0 ? 1 : 0;
}

/** The window's number modulo SIEVE_PRODUCT, reading 32-bit words most significant first. */
function residue(p: usize, L: usize, layout: u32): u64 {
  let r: u64 = 0;
  if ((L & 3) == 0) {
    const words = L >> 2;
    for (let i: usize = 0; i < words; i++) {
      let w: u32;
      if (layout == LE) w = load<u32>(p + ((words - 1 - i) << 2));
      else if (layout == BE) w = bswap<u32>(load<u32>(p + (i << 2)));
      else w = load<u32>(p + (i << 2));
      r = ((r << 32) | <u64>w) % SIEVE_PRODUCT;
    }
    return r;
  }
  // Odd lengths (LE and BE only): one byte at a time.
  for (let i: usize = 0; i < L; i++) {
    const b = layout == LE ? load<u8>(p + L - 1 - i) : load<u8>(p + i);
    r = ((r << 8) | <u64>b) % SIEVE_PRODUCT;
  }
  return r;
}

/** True if a number with this residue has none of the sieve's primes as a factor. */
function sieve(r: u64): bool {
  const x = <u32>r;
  return x % 3 != 0 && x % 5 != 0 && x % 7 != 0 && x % 11 != 0 && x % 13 != 0
    && x % 17 != 0 && x % 19 != 0 && x % 23 != 0 && x % 29 != 0;
}
