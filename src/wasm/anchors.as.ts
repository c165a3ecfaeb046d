// Multi-anchor search kernel (AssemblyScript, built by `npm run asbuild`).
//
// Teddy-style prefilter: every anchor lands in one of 8 buckets; two nibble tables per fingerprint
// byte map a byte to the buckets whose anchors may have it there. One pass tests each position both
// as the start of an ASCII anchor (fingerprint bytes at +0 +1 +2 +3) and of a UTF-16LE one (bytes at
// +0 +2 +4 +6, a zero at +1), so the two forms share tables and buckets. Lanes that survive are
// verified exactly against the anchors of their buckets.
//
// Needle ids are anchor * 2 + wide: that is also the order the contract wants hits in at one position.

/** Bytes past the end of a scanned buffer that `scan` may read (never uses); callers allocate them. */
export const SCAN_SLACK: u32 = 48;

/** Length flag of a byte-string anchor that is searched only as it is, never as UTF-16LE. */
const RAW_ONLY: u32 = 0x80000000;
const NEVER_FITS: usize = 0xffffffff;

const BUCKETS: u32 = 8;
/** Anchor bytes that feed the prefilter; shorter anchors leave the missing ones as wildcards. */
const FINGERPRINT: u32 = 4;
/** How far the last UTF-16LE fingerprint byte lies from the anchor start. */
const LAG: usize = 6;
/** Bytes per group in planBuckets: 2 * FINGERPRINT u16 nibble sets, then the anchor count (u32). */
const GROUP: usize = 32;
const COUNT_AT: usize = 16;

/** Per needle: pointer to its bytes, length, first 4 bytes (little-endian) and their mask. */
const NEEDLE_RECORD: usize = 16;

let needleRecords: usize = 0;
/** Anchor indices by bucket, ascending within a bucket; bucketStart has BUCKETS + 1 u32 offsets. */
let bucketStart: usize = 0;
let bucketAnchors: usize = 0;
/** lo then hi nibble table (v128 each) for fingerprint bytes 0..3. */
let tables: usize = 0;
/**
 * Bitmaps over the first two chars of every needle (bit b0 | b1 << 8; for UTF-16LE the chars at +0
 * and +2): a candidate whose two leading chars no anchor starts with is dropped before verification.
 * The nibble filter alone passes most text once many anchors share its 8 buckets.
 */
let asciiPairs: usize = 0;
let widePairs: usize = 0;
const PAIR_BYTES: usize = 8192;
/** Scratch: the two candidate vectors of one block, then the sorted hits of one position. */
let laneBuckets: usize = 0;
let positionHits: usize = 0;

let bufStart: usize = 0;
let bufLimit: usize = 0;
let rangeEnd: usize = 0;
let outBase: usize = 0;
let outCap: u32 = 0;
let outCount: u32 = 0;
let resumePos: u32 = 0;

export function alloc(size: usize): usize {
  return heap.alloc(size);
}

/**
 * Loads the anchor list: at `spec`, `count` u32 lengths, then the anchors' bytes back to back. A
 * length with RAW_ONLY set marks a byte-string anchor that has no UTF-16LE form.
 * Replaces any previous list (the old tables are abandoned; the stub runtime never frees).
 */
export function setAnchors(spec: usize, count: u32): void {
  const needles = count * 2;
  let total: usize = 0;
  for (let i: u32 = 0; i < count; i++) total += load<u32>(spec + (<usize>i << 2)) & ~RAW_ONLY;

  needleRecords = heap.alloc(<usize>needles * NEEDLE_RECORD);
  // 8 spare bytes: verification reads needles 8 bytes at a time.
  let cursor = heap.alloc(total * 3 + 8);
  let src = spec + (<usize>count << 2);
  for (let i: u32 = 0; i < count; i++) {
    const word = load<u32>(spec + (<usize>i << 2));
    const len = <usize>(word & ~RAW_ONLY);
    memory.copy(cursor, src, len);
    setNeedle(i * 2, cursor, len);
    const wide = cursor + len;
    for (let k: usize = 0; k < len; k++) store<u16>(wide + (k << 1), load<u8>(src + k));
    // A raw-only anchor keeps its table entries (its bucket is shared) but its wide needle gets a
    // length no buffer can hold, so `matches` always rejects it.
    setNeedle(i * 2 + 1, wide, word & RAW_ONLY ? NEVER_FITS : len << 1);
    cursor = wide + (len << 1);
    src += len;
  }

  planBuckets(count);
  planPairs(count, spec);
  laneBuckets = heap.alloc(32);
  positionHits = heap.alloc(<usize>needles << 2);
}

/** Fills asciiPairs and widePairs from the anchors (a 1-byte anchor allows any second char). */
function planPairs(count: u32, spec: usize): void {
  asciiPairs = heap.alloc(PAIR_BYTES);
  widePairs = heap.alloc(PAIR_BYTES);
  memory.fill(asciiPairs, 0, PAIR_BYTES);
  memory.fill(widePairs, 0, PAIR_BYTES);
  for (let i: u32 = 0; i < count; i++) {
    const bytes = anchorBytes(i);
    const first = <u32>load<u8>(bytes);
    const rawOnly = (load<u32>(spec + (<usize>i << 2)) & RAW_ONLY) != 0;
    const seconds: u32 = anchorLen(i) >= 2 ? 1 : 256;
    for (let k: u32 = 0; k < seconds; k++) {
      const key = first | ((seconds == 1 ? <u32>load<u8>(bytes + 1) : k) << 8);
      setPair(asciiPairs, key);
      if (!rawOnly) setPair(widePairs, key);
    }
  }
}

@inline function setPair(table: usize, key: u32): void {
  const at = table + <usize>(key >> 3);
  store<u8>(at, load<u8>(at) | (<u8>1 << <u8>(key & 7)));
}

@inline function hasPair(table: usize, key: u32): bool {
  return ((<u32>load<u8>(table + <usize>(key >> 3)) >> (key & 7)) & 1) != 0;
}

function setNeedle(id: u32, bytes: usize, len: usize): void {
  const rec = needleRecords + <usize>id * NEEDLE_RECORD;
  const headLen = min<usize>(len, 4);
  const mask: u32 = headLen == 4 ? 0xffffffff : (<u32>1 << (<u32>headLen << 3)) - 1;
  store<u32>(rec, <u32>bytes);
  store<u32>(rec, <u32>len, 4);
  store<u32>(rec, load<u32>(bytes) & mask, 8);
  store<u32>(rec, mask, 12);
}

/** Anchor bytes (the ASCII needle's) of anchor `i`. */
@inline function anchorBytes(i: u32): usize {
  return <usize>load<u32>(needleRecords + <usize>(i * 2) * NEEDLE_RECORD);
}

@inline function anchorLen(i: u32): u32 {
  return load<u32>(needleRecords + <usize>(i * 2) * NEEDLE_RECORD, 4);
}

/**
 * Groups anchors into buckets by greedy merging: start with one group per anchor and repeatedly merge
 * the pair that least raises the expected verification work, until BUCKETS groups are left. A group's
 * nibble sets are the unions of its anchors'; the chance that random bytes pass its filter is the
 * product over fingerprint bytes of |lo set| * |hi set| / 256, and each candidate costs a fixed
 * overhead plus one compare per anchor in the group. Cubic in the anchor count, which is fine for
 * the tens of anchors detectors use.
 */
function planBuckets(count: u32): void {
  const groups = heap.alloc(<usize>max<u32>(count, 1) * GROUP);
  const groupOf = heap.alloc(<usize>max<u32>(count, 1) << 2);
  for (let i: u32 = 0; i < count; i++) {
    const g = groups + <usize>i * GROUP;
    const bytes = anchorBytes(i);
    const len = anchorLen(i);
    for (let k: u32 = 0; k < FINGERPRINT; k++) {
      let lo: u32 = 0xffff, hi: u32 = 0xffff;
      if (k < len) {
        const c = <u32>load<u8>(bytes + k);
        lo = <u32>1 << (c & 15);
        hi = <u32>1 << (c >> 4);
      }
      store<u16>(g + (k << 2), lo);
      store<u16>(g + (k << 2) + 2, hi);
    }
    store<u32>(g, 1, COUNT_AT);
    store<u32>(groupOf + (<usize>i << 2), i);
  }

  let live = count;
  while (live > BUCKETS) {
    let best = Infinity;
    let bi: u32 = 0, bj: u32 = 1;
    for (let i: u32 = 0; i < live; i++) {
      const gi = groups + <usize>i * GROUP;
      const ci = groupCost(gi, 0);
      for (let j = i + 1; j < live; j++) {
        const gj = groups + <usize>j * GROUP;
        const delta = groupCost(gi, gj) - ci - groupCost(gj, 0);
        if (delta < best) {
          best = delta;
          bi = i;
          bj = j;
        }
      }
    }
    const gi = groups + <usize>bi * GROUP;
    const gj = groups + <usize>bj * GROUP;
    for (let k: usize = 0; k < COUNT_AT; k += 2) store<u16>(gi + k, load<u16>(gi + k) | load<u16>(gj + k));
    store<u32>(gi, load<u32>(gi, COUNT_AT) + load<u32>(gj, COUNT_AT), COUNT_AT);
    // Keep groups dense: the last group moves into the freed slot.
    live--;
    memory.copy(gj, groups + <usize>live * GROUP, GROUP);
    for (let a: u32 = 0; a < count; a++) {
      const p = groupOf + (<usize>a << 2);
      const g = load<u32>(p);
      if (g == bj) store<u32>(p, bi);
      else if (g == live) store<u32>(p, bj);
    }
  }

  bucketStart = heap.alloc((BUCKETS + 1) << 2);
  bucketAnchors = heap.alloc(<usize>max<u32>(count, 1) << 2);
  let fill: u32 = 0;
  for (let b: u32 = 0; b < BUCKETS; b++) {
    store<u32>(bucketStart + (<usize>b << 2), fill);
    for (let a: u32 = 0; a < count; a++) {
      if (load<u32>(groupOf + (<usize>a << 2)) == b) {
        store<u32>(bucketAnchors + (<usize>fill << 2), a);
        fill++;
      }
    }
  }
  store<u32>(bucketStart + (<usize>BUCKETS << 2), fill);

  tables = heap.alloc(FINGERPRINT << 5);
  memory.fill(tables, 0, FINGERPRINT << 5);
  for (let a: u32 = 0; a < count; a++) {
    const bit = <u8>(<u32>1 << load<u32>(groupOf + (<usize>a << 2)));
    const bytes = anchorBytes(a);
    const len = anchorLen(a);
    for (let k: u32 = 0; k < FINGERPRINT; k++) {
      const lo = tables + (<usize>k << 5);
      const hi = lo + 16;
      if (k < len) {
        const c = <usize>load<u8>(bytes + k);
        store<u8>(lo + (c & 15), load<u8>(lo + (c & 15)) | bit);
        store<u8>(hi + (c >> 4), load<u8>(hi + (c >> 4)) | bit);
      } else {
        for (let n: usize = 0; n < 16; n++) {
          store<u8>(lo + n, load<u8>(lo + n) | bit);
          store<u8>(hi + n, load<u8>(hi + n) | bit);
        }
      }
    }
  }
}

/** Expected work per position of group `g`, or of the union of `g` and `h` when `h` is not 0. */
function groupCost(g: usize, h: usize): f64 {
  let p: f64 = 1;
  for (let k: usize = 0; k < COUNT_AT; k += 2) {
    let set = <u32>load<u16>(g + k);
    if (h) set |= <u32>load<u16>(h + k);
    p *= <f64>popcnt(set);
  }
  let anchors = load<u32>(g, COUNT_AT);
  if (h) anchors += load<u32>(h, COUNT_AT);
  return p * <f64>(4 + anchors);
}

/**
 * Writes up to `cap` hits (u32 pairs: position relative to `ptr`, needle id) to `out` for anchors
 * starting in [from, to) and ending by `len`, in contract order, and returns how many. When the
 * output fills it stops before a position whose hits do not all fit; `stoppedAt()` then tells where
 * to resume (it equals `to` once the range is done). `cap` must be at least twice the anchor count.
 * Reads up to SCAN_SLACK bytes past ptr + len and LAG - 1 before ptr, so `ptr` must come from `alloc`.
 */
export function scan(ptr: usize, len: u32, from: u32, to: u32, out: usize, cap: u32): u32 {
  bufStart = ptr;
  bufLimit = ptr + len;
  rangeEnd = ptr + to;
  outBase = out;
  outCap = cap;
  outCount = 0;
  resumePos = to;

  const lo0 = v128.load(tables, 0), hi0 = v128.load(tables, 16);
  const lo1 = v128.load(tables, 32), hi1 = v128.load(tables, 48);
  const lo2 = v128.load(tables, 64), hi2 = v128.load(tables, 80);
  const lo3 = v128.load(tables, 96), hi3 = v128.load(tables, 112);
  const nibble = i8x16.splat(0x0f);
  const zero = i8x16.splat(0);

  // Each 16-byte half is looked up once; the per-byte results are then shifted so that lane i
  // speaks about the anchor starting at (half start) - LAG + i. The vector before supplies the
  // shifted-in lanes; zero before the first, so nothing starts before `from`. Hence the loop runs
  // LAG bytes past the range end. Two halves per turn amortise V8's per-iteration overhead.
  let prev0 = zero, prev1 = zero, prev2 = zero, prev3 = zero;
  const stop = rangeEnd + LAG;
  for (let p = ptr + from; p < stop; p += 32) {
    const va = v128.load(p), vb = v128.load(p, 16);
    // i16x8 shift: x86 has no byte shift, and the mask drops the bits borrowed from the next lane.
    const loA = v128.and(va, nibble), hiA = v128.and(i16x8.shr_u(va, 4), nibble);
    const loB = v128.and(vb, nibble), hiB = v128.and(i16x8.shr_u(vb, 4), nibble);
    const a0 = lookup(lo0, hi0, loA, hiA), b0 = lookup(lo0, hi0, loB, hiB);
    const a1 = lookup(lo1, hi1, loA, hiA), b1 = lookup(lo1, hi1, loB, hiB);
    const a2 = lookup(lo2, hi2, loA, hiA), b2 = lookup(lo2, hi2, loB, hiB);
    const a3 = lookup(lo3, hi3, loA, hiA), b3 = lookup(lo3, hi3, loB, hiB);
    // The byte after each lane's anchor start must be zero for UTF-16LE; this one check (every wide
    // needle has it) is what keeps ASCII text out of the wide candidates.
    const second = p - LAG + 1;
    const zeroA = i8x16.eq(v128.load(second), zero), zeroB = i8x16.eq(v128.load(second, 16), zero);

    const firstA = shift6(prev0, a0), firstB = shift6(a0, b0);
    const asciiA = asciiLanes(firstA, prev1, a1, prev2, a2, prev3, a3);
    const asciiB = asciiLanes(firstB, a1, b1, a2, b2, a3, b3);
    const wideA = wideLanes(firstA, prev1, a1, prev2, a2, a3, zeroA);
    const wideB = wideLanes(firstB, a1, b1, a2, b2, b3, zeroB);
    if (v128.any_true(v128.or(v128.or(asciiA, wideA), v128.or(asciiB, wideB)))) {
      if (!verifyBlock(p - LAG, asciiA, wideA) || !verifyBlock(p + 16 - LAG, asciiB, wideB)) break;
    }
    prev0 = b0;
    prev1 = b1;
    prev2 = b2;
    prev3 = b3;
  }
  return outCount;
}

/** Buckets whose anchors may have, at one fingerprint byte, the byte in each lane. */
@inline function lookup(loTable: v128, hiTable: v128, lo: v128, hi: v128): v128 {
  return v128.and(i8x16.swizzle(loTable, lo), i8x16.swizzle(hiTable, hi));
}

/** Lanes 10..15 of `prev` then 0..9 of `cur`: the fingerprint byte 0 results, LAG lanes late. */
@inline function shift6(prev: v128, cur: v128): v128 {
  return i8x16.shuffle(prev, cur, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25);
}

/** ASCII candidates: fingerprint byte k (results in p<k>/c<k>) at anchor start + k. */
@inline function asciiLanes(first: v128, p1: v128, c1: v128, p2: v128, c2: v128, p3: v128, c3: v128): v128 {
  return v128.and(
    v128.and(first, i8x16.shuffle(p1, c1, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26)),
    v128.and(
      i8x16.shuffle(p2, c2, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27),
      i8x16.shuffle(p3, c3, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28),
    ),
  );
}

/** UTF-16LE candidates: fingerprint byte k at anchor start + 2k, which puts byte 3 unshifted. */
@inline function wideLanes(first: v128, p1: v128, c1: v128, p2: v128, c2: v128, c3: v128, zeros: v128): v128 {
  return v128.and(
    v128.and(first, zeros),
    v128.and(
      v128.and(
        i8x16.shuffle(p1, c1, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27),
        i8x16.shuffle(p2, c2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29),
      ),
      c3,
    ),
  );
}

/** Where the last `scan` stopped, relative to its `ptr`. */
export function stoppedAt(): u32 {
  return resumePos;
}

/** Emits the hits of the 16 candidate lanes of anchors starting at p..p+15; false when the output is full. */
function verifyBlock(p: usize, ascii: v128, wide: v128): bool {
  v128.store(laneBuckets, ascii);
  v128.store(laneBuckets, wide, 16);
  let lanes = i8x16.bitmask(i8x16.ne(v128.or(ascii, wide), i8x16.splat(0)));
  while (lanes) {
    const lane = <usize>ctz(lanes);
    lanes &= lanes - 1;
    const pos = p + lane;
    if (pos >= rangeEnd) return true;
    const asciiBuckets = <u32>load<u8>(laneBuckets + lane);
    const wideBuckets = <u32>load<u8>(laneBuckets + 16 + lane);
    const first = <u32>load<u8>(pos);
    let n: u32 = 0;
    if (asciiBuckets && hasPair(asciiPairs, first | (<u32>load<u8>(pos + 1) << 8))) n = collect(pos, asciiBuckets, 0, 0);
    if (wideBuckets && hasPair(widePairs, first | (<u32>load<u8>(pos + 2) << 8))) n = collect(pos, wideBuckets, 1, n);
    if (n == 0) continue;
    if (outCount + n > outCap) {
      resumePos = <u32>(pos - bufStart);
      return false;
    }
    const rel = <u32>(pos - bufStart);
    for (let i: u32 = 0; i < n; i++) {
      const o = outBase + (<usize>(outCount + i) << 3);
      store<u32>(o, rel);
      store<u32>(o, load<u32>(positionHits + (<usize>i << 2)), 4);
    }
    outCount += n;
  }
  return true;
}

/** Adds to the sorted positionHits[0..n) every needle of form `wide` in `buckets` matching at `pos`. */
function collect(pos: usize, buckets: u32, wide: u32, n: u32): u32 {
  while (buckets) {
    const b = <usize>ctz(buckets);
    buckets &= buckets - 1;
    const stop = load<u32>(bucketStart + (b << 2), 4);
    for (let j = load<u32>(bucketStart + (b << 2)); j < stop; j++) {
      const id = load<u32>(bucketAnchors + (<usize>j << 2)) * 2 + wide;
      if (!matches(id, pos)) continue;
      // Insertion: hits at one position are few, and buckets interleave anchor indices.
      let i = n;
      while (i > 0 && load<u32>(positionHits + (<usize>(i - 1) << 2)) > id) {
        store<u32>(positionHits + (<usize>i << 2), load<u32>(positionHits + (<usize>(i - 1) << 2)));
        i--;
      }
      store<u32>(positionHits + (<usize>i << 2), id);
      n++;
    }
  }
  return n;
}

@inline function matches(id: u32, pos: usize): bool {
  const rec = needleRecords + <usize>id * NEEDLE_RECORD;
  if ((load<u32>(pos) & load<u32>(rec, 12)) != load<u32>(rec, 8)) return false;
  const len = <usize>load<u32>(rec, 4);
  if (pos + len > bufLimit) return false;
  const bytes = <usize>load<u32>(rec);
  for (let i: usize = 4; i < len; i += 8) {
    const diff = load<u64>(pos + i) ^ load<u64>(bytes + i);
    const rest = len - i;
    if (rest >= 8 ? diff != 0 : (diff << (<u64>(8 - rest) << 3)) != 0) return false;
  }
  return true;
}
