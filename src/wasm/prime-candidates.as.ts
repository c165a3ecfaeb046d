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
// code, text, pointers and zero pages do not) and the number has no prime factor from 3 to 97.

const LE: u32 = 1;
const BE: u32 = 2;
const JAVA: u32 = 4;

/**
 * The sieve: products of small odd primes, each below 2^32. A window's residue modulo each product
 * is a sum of byte · (256^k mod M) over its bytes (k = the byte's significance): multiplications and
 * additions only (each term < 2^40, so 1024 of them fit a u64), one remainder at the end. (A
 * remainder per 32-bit word instead made the kernel run at 2.4 MB/s on random data.)
 */
const SIEVE_PRODUCTS: StaticArray<u64> = [3234846615, 95041567, 907383479, 4132280413];
/** The largest prime length (bytes) the sieve tables cover: an RSA-16384 modulus's primes. */
const MAX_PRIME_BYTES: u32 = 1024;
/** powers[j * MAX_PRIME_BYTES + k] = 256^k mod SIEVE_PRODUCTS[j]. */
const powers = heap.alloc(<usize>SIEVE_PRODUCTS.length * MAX_PRIME_BYTES << 2);
for (let j = 0; j < SIEVE_PRODUCTS.length; j++) {
  const m = SIEVE_PRODUCTS[j];
  let power: u64 = 1;
  for (let k: u32 = 0; k < MAX_PRIME_BYTES; k++) {
    store<u32>(powers + ((<usize>j * MAX_PRIME_BYTES + k) << 2), <u32>power);
    power = (power << 8) % m;
  }
}

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
  if (from >= last || L == 0 || primeLen > MAX_PRIME_BYTES) return 0;
  if (primeLen & 3) layouts &= ~JAVA;
  buildLayoutPowers(L);

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
    if (hits & LE && !sieve(p, L, LE)) hits &= ~LE;
    if (hits & BE && !sieve(p, L, BE)) hits &= ~BE;
    if (hits & JAVA && !sieve(p, L, JAVA)) hits &= ~JAVA;
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

/** Significance (0 = least) of the byte at offset i of a window of L bytes in a layout. */
function significance(i: usize, L: usize, layout: u32): usize {
  if (layout == LE) return i;
  if (layout == BE) return L - 1 - i;
  // Java: words most significant first, each word's bytes least significant first.
  return L - 4 - (i & ~3) + (i & 3);
}

/**
 * Per layout and product, the power each byte offset of the window is multiplied by, so that every
 * layout's residue is one contiguous dot product (vectorised below). Rebuilt when L changes.
 */
const layoutPowers = heap.alloc(<usize>3 * SIEVE_PRODUCTS.length * MAX_PRIME_BYTES << 2);
let layoutPowersFor: usize = 0;

@inline function powersOf(layout: u32, j: i32): usize {
  const index = <usize>(ctz(layout) * SIEVE_PRODUCTS.length + j);
  return layoutPowers + ((index * MAX_PRIME_BYTES) << 2);
}

function buildLayoutPowers(L: usize): void {
  if (layoutPowersFor == L) return;
  for (let layout: u32 = LE; layout <= JAVA; layout <<= 1) {
    // Java needs whole words: other lengths never ask for its table.
    if (layout == JAVA && (L & 3) != 0) continue;
    for (let j = 0; j < SIEVE_PRODUCTS.length; j++) {
      const from = powers + ((<usize>j * MAX_PRIME_BYTES) << 2);
      const to = powersOf(layout, j);
      for (let i: usize = 0; i < L; i++) store<u32>(to + (i << 2), load<u32>(from + (significance(i, L, layout) << 2)));
    }
  }
  layoutPowersFor = L;
}

/** The window's number modulo SIEVE_PRODUCTS[j]: Σ byte · power, 16 bytes per step. */
function residue(p: usize, L: usize, layout: u32, j: i32): u32 {
  const table = powersOf(layout, j);
  let acc0 = i64x2.splat(0);
  let acc1 = i64x2.splat(0);
  let i: usize = 0;
  for (; i + 16 <= L; i += 16) {
    const b = v128.load(p + i);
    const lo = i16x8.extend_low_i8x16_u(b);
    const hi = i16x8.extend_high_i8x16_u(b);
    const t = table + (i << 2);
    const w0 = i32x4.extend_low_i16x8_u(lo), t0 = v128.load(t);
    const w1 = i32x4.extend_high_i16x8_u(lo), t1 = v128.load(t, 16);
    const w2 = i32x4.extend_low_i16x8_u(hi), t2 = v128.load(t, 32);
    const w3 = i32x4.extend_high_i16x8_u(hi), t3 = v128.load(t, 48);
    acc0 = i64x2.add(acc0, i64x2.add(i64x2.extmul_low_i32x4_u(w0, t0), i64x2.extmul_low_i32x4_u(w1, t1)));
    acc1 = i64x2.add(acc1, i64x2.add(i64x2.extmul_high_i32x4_u(w0, t0), i64x2.extmul_high_i32x4_u(w1, t1)));
    acc0 = i64x2.add(acc0, i64x2.add(i64x2.extmul_low_i32x4_u(w2, t2), i64x2.extmul_low_i32x4_u(w3, t3)));
    acc1 = i64x2.add(acc1, i64x2.add(i64x2.extmul_high_i32x4_u(w2, t2), i64x2.extmul_high_i32x4_u(w3, t3)));
  }
  const acc = i64x2.add(acc0, acc1);
  let sum = <u64>i64x2.extract_lane(acc, 0) + <u64>i64x2.extract_lane(acc, 1);
  for (; i < L; i++) sum += <u64>load<u8>(p + i) * <u64>load<u32>(table + (i << 2));
  return <u32>(sum % SIEVE_PRODUCTS[j]);
}

/** True if the window's number has none of the sieve's primes as a factor (cheapest product first). */
function sieve(p: usize, L: usize, layout: u32): bool {
  let r = residue(p, L, layout, 0);
  if (r % 3 == 0 || r % 5 == 0 || r % 7 == 0 || r % 11 == 0 || r % 13 == 0 || r % 17 == 0 || r % 19 == 0 || r % 23 == 0 || r % 29 == 0) return false;
  r = residue(p, L, layout, 1);
  if (r % 31 == 0 || r % 37 == 0 || r % 41 == 0 || r % 43 == 0 || r % 47 == 0) return false;
  r = residue(p, L, layout, 2);
  if (r % 53 == 0 || r % 59 == 0 || r % 61 == 0 || r % 67 == 0 || r % 71 == 0) return false;
  r = residue(p, L, layout, 3);
  return !(r % 73 == 0 || r % 79 == 0 || r % 83 == 0 || r % 89 == 0 || r % 97 == 0);
}
