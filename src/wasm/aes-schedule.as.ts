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
// 2^-32 of random offsets. Stage 2 (scalar, rare): the offset must also pass the group's relation in
// full, then the whole recurrence, S-box steps included, is checked word by word.
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
 * Per group (size * 3 + layout): stored word indices of the stage-1 linear relation (a ^ b ^ c = 0),
 * then of the S-box step whose words cannot all be zero. Indices count 4-byte words from the start.
 */
const GROUPS: usize = memory.data<u8>([
  1, 4, 5, 0, 3, 4, // AES-128 forward: w5 = w1 ^ w4; T step w4 = w0 ^ T(w3)
  4, 5, 9, 0, 4, 7, // AES-128 decrypt: w37 = w33 ^ w36 (stored 9, 4, 5); w40 = w36 ^ T(w39)
  5, 8, 9, 0, 3, 4, // AES-128 decrypt-unreversed: w9 = w5 ^ w8; w4 = w0 ^ T(w3)
  1, 6, 7, 0, 5, 6, // AES-192 forward: w7 = w1 ^ w6; w6 = w0 ^ T(w5)
  4, 5, 15, 0, 7, 10, // AES-192 decrypt: w45 = w39 ^ w44; w48 = w42 ^ T(w47)
  5, 10, 11, 0, 5, 6, // AES-192 decrypt-unreversed: w11 = w5 ^ w10; w6 = w0 ^ T(w5)
  1, 8, 9, 0, 7, 8, // AES-256 forward: w9 = w1 ^ w8; w8 = w0 ^ T(w7)
  4, 5, 13, 0, 7, 8, // AES-256 decrypt: w53 = w45 ^ w52; w56 = w48 ^ T(w55)
  5, 12, 13, 0, 7, 8, // AES-256 decrypt-unreversed: w13 = w5 ^ w12; w8 = w0 ^ T(w7)
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

@inline function wordAt(o: usize, group: usize, k: usize): u32 {
  return load<u32>(o + (<usize>load<u8>(group + k) << 2));
}

/** Bit set of the variants whose schedule starts at `o`. */
function variantsAt(o: usize): u32 {
  let found: u32 = 0;
  for (let g: u32 = 0; g < GROUP_COUNT; g++) {
    const group = GROUPS + <usize>g * 6;
    if ((wordAt(o, group, 0) ^ wordAt(o, group, 1) ^ wordAt(o, group, 2)) != 0) continue;
    if ((wordAt(o, group, 3) | wordAt(o, group, 4) | wordAt(o, group, 5)) == 0) continue;
    const nk = (g / 3) * 2 + 4;
    const layout = g % 3;
    if (scheduleAt(o, nk, layout, false)) found |= <u32>1 << (g * 2);
    if (scheduleAt(o, nk, layout, true)) found |= <u32>1 << (g * 2 + 1);
  }
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

/** Offsets q + j (bits of `candidates`, below `end`) whose schedule variants are checked in full. */
function checkBlock(q: usize, candidates: u32, end: usize): usize {
  // The S-box-step words of every group lie in the first 44 bytes from an offset, so for offsets
  // q..q+15 in [q, q + 64): if that span is all zero, no schedule starts in the block.
  if (!v128.any_true(v128.or(v128.or(v128.load(q), v128.load(q, 16)), v128.or(v128.load(q, 32), v128.load(q, 48))))) {
    return 0;
  }
  while (candidates) {
    const o = q + <usize>ctz(candidates);
    candidates &= candidates - 1;
    if (o >= end) return 0;
    const found = variantsAt(o);
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
  // q + j reads bytes j..j+3, which may lie in the next block. The triples are GROUPS' first three.
  let m0 = linearZeros(q, 1, 4, 5), m1 = linearZeros(q, 4, 5, 9), m2 = linearZeros(q, 5, 8, 9);
  let m3 = linearZeros(q, 1, 6, 7), m4 = linearZeros(q, 4, 5, 15), m5 = linearZeros(q, 5, 10, 11);
  let m6 = linearZeros(q, 1, 8, 9), m7 = linearZeros(q, 4, 5, 13), m8 = linearZeros(q, 5, 12, 13);
  while (q < end) {
    const r = q + 16;
    const n0 = linearZeros(r, 1, 4, 5), n1 = linearZeros(r, 4, 5, 9), n2 = linearZeros(r, 5, 8, 9);
    const n3 = linearZeros(r, 1, 6, 7), n4 = linearZeros(r, 4, 5, 15), n5 = linearZeros(r, 5, 10, 11);
    const n6 = linearZeros(r, 1, 8, 9), n7 = linearZeros(r, 4, 5, 13), n8 = linearZeros(r, 5, 12, 13);
    const candidates =
      (zeroWords(m0 | (n0 << 16)) | zeroWords(m1 | (n1 << 16)) | zeroWords(m2 | (n2 << 16)) |
        zeroWords(m3 | (n3 << 16)) | zeroWords(m4 | (n4 << 16)) | zeroWords(m5 | (n5 << 16)) |
        zeroWords(m6 | (n6 << 16)) | zeroWords(m7 | (n7 << 16)) | zeroWords(m8 | (n8 << 16))) & 0xffff;
    if (candidates) {
      const hit = checkBlock(q, candidates, end);
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
