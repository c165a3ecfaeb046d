// Expanded AES key schedule search (AssemblyScript, part of core.wasm; detectors.md S15, §1.1).
//
// Every byte offset is tried as the start of 18 layouts: AES-128/192/256 × {forward schedule,
// decryption schedule (round keys reversed, InvMixColumns on rounds 1..Nr-1: OpenSSL
// AES_set_decrypt_key, AES-NI aesimc), the same without the reversal} × {FIPS byte order, each
// 32-bit word byte-swapped (OpenSSL's generic C AES_KEY on little-endian hosts)}. A match is exact:
// crash dumps do not decay, so no bit errors are tolerated.
//
// Variant bit = ((size * 3) + layout) * 2 + swap; size 0/1/2 = 128/192/256, layout 0/1/2 =
// forward/decrypt/decrypt-unreversed, swap 1 = word-swapped. src/engine/crypto/aes-key-schedule.ts
// names the same variants in the same order.
//
// Stage 1 (SIMD, 16 offsets a step): the key expansion is linear wherever no S-box enters
// (w[i] = w[i-Nk] ^ w[i-1]). InvMixColumns and the word byte swap are linear and bijective too, so
// for three stored words that went through the same transform the relation holds on the raw bytes,
// in both byte orders at once. One such relation per size and layout (9 "groups") rejects all but
// 2^-32 of random offsets. Stage 2 (blocks with a candidate): two more relations and the nonzero
// S-box-step words (below), 16 offsets at a time; then, scalar, one byte of the S-box step, then the
// whole recurrence word by word.
//
// Zeros satisfy every linear relation, so stage 1 passes all of a zero page. They are dropped by
// a fact that holds for every real schedule: the three words of an S-box step (w[j], w[j-Nk],
// w[j-1]) are never all zero, since T(0) = 0x63636363 ^ Rcon and S(0) = 0x63 are not zero.

/** Bytes past the end of a scanned buffer that `aesNextSchedule` may read (never uses). */
export const AES_SCAN_SLACK: u32 = 128;

const FORWARD: u32 = 0;
const DECRYPT: u32 = 1;

const SBOX: usize = buildSbox();
/** Rcon[i] for i = 1..10 (index 0 unused). */
const RCON: usize = memory.data<u8>([0, 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36]);

/**
 * Per group (size * 3 + layout), stored word indices (4-byte words from the start) of: the stage-1
 * linear relation (a ^ b ^ c = 0); the S-box step whose words cannot all be zero; two more linear
 * relations that stage 2 checks, 16 offsets at a time, before anything scalar.
 */
const GROUP_BYTES: usize = 12;
const GROUPS: usize = memory.data<u8>([
  // AES-128 forward: w5 = w1 ^ w4; T step w4 = w0 ^ T(w3); w6 = w2 ^ w5; w7 = w3 ^ w6
  1, 4, 5, 0, 3, 4, 2, 5, 6, 3, 6, 7,
  // AES-128 decrypt: w37 = w33 ^ w36 (stored 9, 4, 5); w40 = w36 ^ T(w39); w38 = w34 ^ w37; w39 = w35 ^ w38
  4, 5, 9, 0, 4, 7, 5, 6, 10, 6, 7, 11,
  // AES-128 decrypt-unreversed: w9 = w5 ^ w8; w4 = w0 ^ T(w3); w10 = w6 ^ w9; w11 = w7 ^ w10
  5, 8, 9, 0, 3, 4, 6, 9, 10, 7, 10, 11,
  // AES-192 forward: w7 = w1 ^ w6; w6 = w0 ^ T(w5); w8 = w2 ^ w7; w9 = w3 ^ w8
  1, 6, 7, 0, 5, 6, 2, 7, 8, 3, 8, 9,
  // AES-192 decrypt: w45 = w39 ^ w44; w48 = w42 ^ T(w47); w46 = w40 ^ w45; w47 = w41 ^ w46
  4, 5, 15, 0, 7, 10, 5, 6, 8, 6, 7, 9,
  // AES-192 decrypt-unreversed: w11 = w5 ^ w10; w6 = w0 ^ T(w5); w10 = w4 ^ w9; w13 = w7 ^ w12
  5, 10, 11, 0, 5, 6, 4, 9, 10, 7, 12, 13,
  // AES-256 forward: w9 = w1 ^ w8; w8 = w0 ^ T(w7); w10 = w2 ^ w9; w11 = w3 ^ w10
  1, 8, 9, 0, 7, 8, 2, 9, 10, 3, 10, 11,
  // AES-256 decrypt: w53 = w45 ^ w52; w56 = w48 ^ T(w55); w54 = w46 ^ w53; w55 = w47 ^ w54
  4, 5, 13, 0, 7, 8, 5, 6, 14, 6, 7, 15,
  // AES-256 decrypt-unreversed: w13 = w5 ^ w12; w8 = w0 ^ T(w7); w14 = w6 ^ w13; w15 = w7 ^ w14
  5, 12, 13, 0, 7, 8, 6, 13, 14, 7, 14, 15,
]);
const GROUP_COUNT: u32 = 9;

let bufEnd: usize = 0;
let foundVariants: u32 = 0;

function xtime(x: u32): u32 {
  return ((x << 1) ^ ((x >> 7) * 0x11b)) & 0xff;
}

/** The AES S-box from its definition: multiplicative inverse in GF(2^8), then the affine map. */
function buildSbox(): usize {
  const exp = heap.alloc(256);
  const log = heap.alloc(256);
  const box = heap.alloc(256);
  // 3 generates GF(2^8)*: exp[i] = 3^i.
  let x: u32 = 1;
  for (let i: u32 = 0; i < 255; i++) {
    store<u8>(exp + i, <u8>x);
    store<u8>(log + x, <u8>i);
    x ^= xtime(x);
  }
  for (let b: u32 = 0; b < 256; b++) {
    const inv: u32 = b == 0 ? 0 : <u32>load<u8>(exp + (255 - <u32>load<u8>(log + b)) % 255);
    let s = inv;
    let r = inv;
    for (let k = 0; k < 4; k++) {
      r = ((r << 1) | (r >> 7)) & 0xff;
      s ^= r;
    }
    store<u8>(box + b, <u8>(s ^ 0x63));
  }
  return box;
}

// Words are held as little-endian u32 of their FIPS bytes: byte 0 of the word in the low bits.

@inline function subWord(x: u32): u32 {
  return (
    <u32>load<u8>(SBOX + (x & 0xff)) |
    (<u32>load<u8>(SBOX + ((x >> 8) & 0xff)) << 8) |
    (<u32>load<u8>(SBOX + ((x >> 16) & 0xff)) << 16) |
    (<u32>load<u8>(SBOX + (x >> 24)) << 24)
  );
}

/** MixColumns of one column: b_i = 2a_i ^ 3a_(i+1) ^ a_(i+2) ^ a_(i+3); it undoes InvMixColumns. */
@inline function mixColumn(x: u32): u32 {
  const t = x ^ rotr<u32>(x, 8);
  const doubled = ((t & 0x7f7f7f7f) << 1) ^ (((t >> 7) & 0x01010101) * 0x1b);
  return doubled ^ rotr<u32>(x, 8) ^ rotr<u32>(x, 16) ^ rotr<u32>(x, 24);
}

/** Word w[i] of the key expansion, read back from the schedule stored at `o` in the given layout. */
function word(o: usize, i: u32, nr: u32, layout: u32, swap: bool): u32 {
  const round = i >> 2;
  const index = layout == DECRYPT ? ((nr - round) << 2) + (i & 3) : i;
  let w = load<u32>(o + (<usize>index << 2));
  if (swap) w = bswap<u32>(w);
  if (layout != FORWARD && round >= 1 && round < nr) w = mixColumn(w);
  return w;
}

/** The key-expansion recurrence at word i: w[i] = w[i-Nk] ^ f(w[i-1]). */
function stepHolds(o: usize, i: u32, nk: u32, nr: u32, layout: u32, swap: bool): bool {
  let t = word(o, i - 1, nr, layout, swap);
  const phase = i % nk;
  if (phase == 0) t = subWord(rotr<u32>(t, 8)) ^ <u32>load<u8>(RCON + i / nk);
  else if (nk == 8 && phase == 4) t = subWord(t);
  return word(o, i, nr, layout, swap) == (word(o, i - nk, nr, layout, swap) ^ t);
}

/** True if a whole schedule of this size, layout and byte order is stored at `o`. */
function scheduleAt(o: usize, nk: u32, layout: u32, swap: bool): bool {
  const nr = nk + 6;
  const words = (nr + 1) << 2;
  if (o + (<usize>words << 2) > bufEnd) return false;
  // The S-box step next to the stage-1 relation first: it rejects what linearity let through.
  const first = layout == DECRYPT ? nr << 2 : nk;
  if (!stepHolds(o, first, nk, nr, layout, swap)) return false;
  for (let i = nk; i < words; i++) {
    if (i != first && !stepHolds(o, i, nk, nr, layout, swap)) return false;
  }
  return true;
}

/**
 * Necessary condition for the S-box step of a group, one byte of it, in both byte orders: bit 0
 * (FIPS) and bit 1 (word-swapped) say which may hold. T(x) ends with S(x0) (RotWord then SubWord;
 * Rcon only in byte 0), so byte 3 of w[j] ^ w[j-Nk] must be S(byte 0 of w[j-1]). Heaps of pointers
 * (equal high halves, zero words) pass the linear relations at many offsets; this drops nearly all
 * of them with one S-box lookup per order before the full check.
 */
function sboxByteHolds(o: usize, nk: u32, layout: u32): u32 {
  const nr = nk + 6;
  const j = layout == DECRYPT ? nr << 2 : nk;
  let orders: u32 = 0;
  for (let swap: u32 = 0; swap < 2; swap++) {
    const d = word(o, j, nr, layout, swap != 0) ^ word(o, j - nk, nr, layout, swap != 0);
    const x = word(o, j - 1, nr, layout, swap != 0);
    if (d >> 24 == <u32>load<u8>(SBOX + (x & 0xff))) orders |= <u32>1 << swap;
  }
  return orders;
}

/** Bit set of the variants of group g whose schedule starts at `o`, which passed the SIMD checks. */
function groupVariantsAt(o: usize, g: u32): u32 {
  const nk = (g / 3) * 2 + 4;
  const layout = g % 3;
  const orders = sboxByteHolds(o, nk, layout);
  let found: u32 = 0;
  if (orders & 1 && scheduleAt(o, nk, layout, false)) found |= <u32>1 << (g * 2);
  if (orders & 2 && scheduleAt(o, nk, layout, true)) found |= <u32>1 << (g * 2 + 1);
  return found;
}

/** Zero bytes of (a ^ b ^ c) over 16 offsets from p, as a bit set (bit j: offset p + j). */
@inline function linearZeros(p: usize, a: usize, b: usize, c: usize): u32 {
  const x = v128.xor(v128.xor(v128.load(p + (a << 2)), v128.load(p + (b << 2))), v128.load(p + (c << 2)));
  return <u32>i8x16.bitmask(i8x16.eq(x, i8x16.splat(0)));
}

/** Bits j where bits j..j+3 of `zeros` are all set: the 4-byte word at offset j is zero. */
@inline function zeroWords(zeros: u32): u32 {
  const t = zeros & (zeros >> 1);
  return t & (t >> 2);
}

/**
 * Zero bytes, over the 16 offsets from p, of the XOR (or with `or`, the OR) of the three words whose
 * indices are at `triple` in GROUPS.
 */
function tableZeros(p: usize, triple: usize, or: bool): u32 {
  const a = v128.load(p + (<usize>load<u8>(triple) << 2));
  const b = v128.load(p + (<usize>load<u8>(triple, 1) << 2));
  const c = v128.load(p + (<usize>load<u8>(triple, 2) << 2));
  const x = or ? v128.or(v128.or(a, b), c) : v128.xor(v128.xor(a, b), c);
  return <u32>i8x16.bitmask(i8x16.eq(x, i8x16.splat(0)));
}

/** Per group, the stage-1 candidate bits (u16) of the block being checked. */
const CANDIDATES: usize = memory.data(GROUP_COUNT * 2);

/**
 * The first offset q + j (j a candidate bit of some group, q + j below `end`) where a schedule
 * starts, or 0; the variants found there go to foundVariants.
 */
function checkBlock(q: usize, end: usize): usize {
  // The S-box-step words of every group lie in the first 44 bytes from an offset, so for offsets
  // q..q+15 in [q, q + 64): if that span is all zero, no schedule starts in the block.
  if (!v128.any_true(v128.or(v128.or(v128.load(q), v128.load(q, 16)), v128.or(v128.load(q, 32), v128.load(q, 48))))) {
    return 0;
  }
  let any: u32 = 0;
  for (let g: u32 = 0; g < GROUP_COUNT; g++) {
    const at = CANDIDATES + (<usize>g << 1);
    let bits = <u32>load<u16>(at);
    if (!bits) continue;
    const group = GROUPS + <usize>g * GROUP_BYTES;
    bits &= ~zeroWords(tableZeros(q, group + 3, true) | (tableZeros(q + 16, group + 3, true) << 16));
    bits &= zeroWords(tableZeros(q, group + 6, false) | (tableZeros(q + 16, group + 6, false) << 16));
    bits &= zeroWords(tableZeros(q, group + 9, false) | (tableZeros(q + 16, group + 9, false) << 16));
    bits &= 0xffff;
    store<u16>(at, <u16>bits);
    any |= bits;
  }
  while (any) {
    const j = ctz(any);
    any &= any - 1;
    const o = q + <usize>j;
    if (o >= end) return 0;
    let found: u32 = 0;
    for (let g: u32 = 0; g < GROUP_COUNT; g++) {
      if (<u32>load<u16>(CANDIDATES + (<usize>g << 1)) & (<u32>1 << j)) found |= groupVariantsAt(o, g);
    }
    if (found) {
      foundVariants = found;
      return o;
    }
  }
  return 0;
}

/**
 * The first offset in [from, to), relative to `ptr`, where a schedule starts that ends by `len`, or
 * -1. `aesFoundVariants()` then gives the bit set of the variants found there. Reads up to
 * AES_SCAN_SLACK bytes past ptr + len, so `ptr` must come from `alloc` with that slack.
 */
export function aesNextSchedule(ptr: usize, len: u32, from: u32, to: u32): i32 {
  bufEnd = ptr + len;
  foundVariants = 0;
  const end = ptr + to;
  let q = ptr + from;
  if (q >= end) return -1;
  // Each group's zero-byte bits for the block at q and the one after: a word starting at offset
  // q + j reads bytes j..j+3, which may lie in the next block. The triples are the first of GROUPS'.
  let m0 = linearZeros(q, 1, 4, 5), m1 = linearZeros(q, 4, 5, 9), m2 = linearZeros(q, 5, 8, 9);
  let m3 = linearZeros(q, 1, 6, 7), m4 = linearZeros(q, 4, 5, 15), m5 = linearZeros(q, 5, 10, 11);
  let m6 = linearZeros(q, 1, 8, 9), m7 = linearZeros(q, 4, 5, 13), m8 = linearZeros(q, 5, 12, 13);
  while (q < end) {
    const r = q + 16;
    const n0 = linearZeros(r, 1, 4, 5), n1 = linearZeros(r, 4, 5, 9), n2 = linearZeros(r, 5, 8, 9);
    const n3 = linearZeros(r, 1, 6, 7), n4 = linearZeros(r, 4, 5, 15), n5 = linearZeros(r, 5, 10, 11);
    const n6 = linearZeros(r, 1, 8, 9), n7 = linearZeros(r, 4, 5, 13), n8 = linearZeros(r, 5, 12, 13);
    const c0 = zeroWords(m0 | (n0 << 16)) & 0xffff, c1 = zeroWords(m1 | (n1 << 16)) & 0xffff;
    const c2 = zeroWords(m2 | (n2 << 16)) & 0xffff, c3 = zeroWords(m3 | (n3 << 16)) & 0xffff;
    const c4 = zeroWords(m4 | (n4 << 16)) & 0xffff, c5 = zeroWords(m5 | (n5 << 16)) & 0xffff;
    const c6 = zeroWords(m6 | (n6 << 16)) & 0xffff, c7 = zeroWords(m7 | (n7 << 16)) & 0xffff;
    const c8 = zeroWords(m8 | (n8 << 16)) & 0xffff;
    if (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8) {
      store<u16>(CANDIDATES, c0);
      store<u16>(CANDIDATES, c1, 2);
      store<u16>(CANDIDATES, c2, 4);
      store<u16>(CANDIDATES, c3, 6);
      store<u16>(CANDIDATES, c4, 8);
      store<u16>(CANDIDATES, c5, 10);
      store<u16>(CANDIDATES, c6, 12);
      store<u16>(CANDIDATES, c7, 14);
      store<u16>(CANDIDATES, c8, 16);
      const hit = checkBlock(q, end);
      if (hit) return <i32>(hit - ptr);
    }
    m0 = n0; m1 = n1; m2 = n2; m3 = n3; m4 = n4; m5 = n5; m6 = n6; m7 = n7; m8 = n8;
    q = r;
  }
  return -1;
}

/** Variant bits of the schedule(s) found by the last `aesNextSchedule` that returned an offset. */
export function aesFoundVariants(): u32 {
  return foundVariants;
}
