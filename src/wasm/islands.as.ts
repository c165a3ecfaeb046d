// Entropy-island kernel (AssemblyScript, built by `npm run asbuild` as part of core.wasm).
//
// One pass keeps a rolling byte histogram for each key-sized window (16, 32, 64 bytes) and
// its distinct-value count; windows with enough distinct values join into runs, runs into clusters
// (oceans are dropped whole), and each surviving run's core is trimmed and tested. The pass skips
// what cannot change that result: starts a SIMD prefilter proves low (zeros, pointers, UTF-16
// text), and the inside of runs that can only end up in an ocean or too long to be an island. The
// rules and their constants are stated once, in island-finder.ts, whose reference implementation
// the tests hold this kernel to, including at every boundary a skip relies on.

const W0: u32 = 16;
const W1: u32 = 32;
const W2: u32 = 64;
const T0: u32 = 14;
const T1: u32 = 27;
const T2: u32 = 48;
const OCEAN_GAP: u32 = 64;
const OCEAN_BYTES: u32 = 4096;
const MAX_ISLAND_BYTES: u32 = 1280;
const MIN_ISLAND_BYTES: u32 = 16;
const SIDE_BYTES: u32 = 16;
const SIDE_MIN_ZEROS: u32 = 4;
const SIDE_MAX_DISTINCT: u32 = 8;
const CODE_TEST_MIN: u32 = 64;
const CODE_TOP_VALUES: u32 = 8;
const CODE_SIDE_BYTES: u32 = 32;
const X86_MIN_HITS: u32 = 6;
const X86_PERCENT: u32 = 12;
/** A cluster of this many runs (each ≥ 16 bytes, 1 apart) already spans more than an ocean. */
const MAX_CLUSTER_RUNS: u32 = 256;
/** Per cluster run: start, end, core start, core end (u32 each). */
const RUN_RECORD: usize = 16;
const NO_CORE: u32 = 0xffffffff;

/** Histograms of the three windows (u8 counts: a window holds at most 64 bytes). */
let counts: usize = 0;
/** u32 per byte value, for the code test and for distinct counts of a side. */
let scratch: usize = 0;
let cluster: usize = 0;
/** Per-block prefilter arrays (see markDead) and their result, one bit per window start. */
let repeats1: usize = 0;
let repeats2: usize = 0;
let repeats4: usize = 0;
let repeats8: usize = 0;
let sums8: usize = 0;
let deadBits: usize = 0;
/** The start deadBits' first bit stands for. */
let deadFrom: u32 = 0;
/** u32 per byte value: the countedReach call that last saw it. */
let seenStamp: usize = 0;
let stamp: u32 = 0;

let buf: usize = 0;
let bufLen: u32 = 0;
let ownFrom: u32 = 0;
let ownTo: u32 = 0;
let wordPhase: u32 = 0;
let outPtr: usize = 0;
let outCap: u32 = 0;
let outCount: u32 = 0;

let clusterRuns: u32 = 0;
let clusterOcean: bool = false;

/** The open run (rule 2). */
let inRun: bool = false;
let runStart: u32 = 0;
let runEnd: u32 = 0;
let coreStart: u32 = NO_CORE;
let coreEnd: u32 = 0;

/** The histograms describe the windows starting here; d0..d2 are their distinct counts. */
let histAt: u32 = 0;
let d0: u32 = 0;
let d1: u32 = 0;
let d2: u32 = 0;
/** Starts before this were accounted for by followRun and are only tested again, not followed. */
let followFrom: u32 = 0;

/** Window starts a block of the prefilter covers (a multiple of 64). */
const DEAD_BLOCK: u32 = 2048;
/** Bytes past a block's last window start that the prefilter reads. */
const DEAD_LOOKAHEAD: u32 = 80;
/** Repeated bytes that rule out a high window (its size − its threshold + 1). */
const DEAD16: u8 = <u8>(W0 - T0 + 1);
const DEAD32: u8 = <u8>(W1 - T1 + 1);
const DEAD64: u8 = <u8>(W2 - T2 + 1);
/** Sliding the histograms is cheaper than rebuilding them over gaps up to this many bytes. */
const MAX_SLIDE: u32 = 24;
/**
 * A core this long can no longer yield an island: trimming removes less than one core window
 * (≤ 32 bytes) at each end, so the island would exceed MAX_ISLAND_BYTES.
 */
const HOPELESS_CORE: u32 = MAX_ISLAND_BYTES + 2 * W1;

function ensureScratch(): void {
  if (counts != 0) return;
  counts = heap.alloc(3 << 8);
  scratch = heap.alloc(256 << 2);
  cluster = heap.alloc(<usize>MAX_CLUSTER_RUNS * RUN_RECORD);
  repeats1 = heap.alloc(DEAD_BLOCK + DEAD_LOOKAHEAD);
  repeats2 = heap.alloc(DEAD_BLOCK + DEAD_LOOKAHEAD);
  repeats4 = heap.alloc(DEAD_BLOCK + DEAD_LOOKAHEAD);
  repeats8 = heap.alloc(DEAD_BLOCK + DEAD_LOOKAHEAD);
  sums8 = heap.alloc(DEAD_BLOCK + DEAD_LOOKAHEAD);
  deadBits = heap.alloc(DEAD_BLOCK >> 3);
  seenStamp = heap.alloc(256 << 2);
  memory.fill(seenStamp, 0, 256 << 2);
}

/**
 * Writes up to `cap` islands (u32 pairs: offset relative to `ptr`, length) whose first byte lies in
 * [from, to) to `out`, in order, and returns how many. `phase` is the file offset of ptr modulo 8.
 * The buffer's ends count as structure. A cap of len / 16 + 1 always suffices.
 *
 * Equivalent to testing every window start in order, but two shortcuts skip most starts in dumps:
 * a prefilter proves blocks of starts have no high window (markDead), and a run merged into an
 * ocean or whose core is too long to be an island is followed by hops (followRun).
 */
export function findIslands(ptr: usize, len: u32, from: u32, to: u32, phase: u32, out: usize, cap: u32): u32 {
  ensureScratch();
  buf = ptr;
  bufLen = len;
  ownFrom = from;
  ownTo = to;
  wordPhase = phase & 7;
  outPtr = out;
  outCap = cap;
  outCount = 0;
  clusterRuns = 0;
  clusterOcean = false;
  inRun = false;
  coreStart = NO_CORE;
  followFrom = 0;
  prime(0);

  // Windows start at p; the smallest is the last to fit, so p runs to len - W0.
  const starts = len >= W0 ? len - W0 + 1 : 0;
  let p: u32 = 0;
  // The prefilter reads 8 bytes before its block.
  for (; p < min(starts, 8); p++) p = visit(p);
  while (p < starts) {
    const blockEnd = markDead(p);
    if (blockEnd == p) {
      // Too near the end for the prefilter: every remaining start is tested.
      for (; p < starts; p++) p = visit(p);
      break;
    }
    while (p < blockEnd) {
      const live = nextLive(p, blockEnd);
      if (live == blockEnd) { p = blockEnd; break; }
      p = visit(live) + 1;
    }
  }
  if (inRun) closeRun(runStart, runEnd, coreStart, coreEnd);
  flushCluster();
  return outCount;
}

/**
 * Tests the windows starting at p and adds them to the open run; returns the last start it has
 * accounted for (p, or further when it followed a run that cannot yield an island).
 */
function visit(p: u32): u32 {
  moveHistograms(p);
  const reach = highReach(p);
  if (reach == 0) return p;
  addToRun(p, reach);
  let core: u32 = 0;
  if (p + W1 <= bufLen && d1 >= T1) core = p + W1;
  else if (d0 >= T0) core = p + W0;
  if (core != 0) {
    if (coreStart == NO_CORE) coreStart = p;
    if (core > coreEnd) coreEnd = core;
  }
  if (p < followFrom) return p;
  // Merged into an ocean, or a core too long to trim to an island: only the run's end matters.
  if (clusterOcean && runStart - load<u32>(cluster, 4) < OCEAN_GAP) return followRun(p, OCEAN_GAP - 1);
  if (coreStart != NO_CORE && coreEnd - coreStart > HOPELESS_CORE) return followRun(p, 0);
  return p;
}

/** Where the largest high window starting at p (the histograms' position) ends, or 0. */
@inline function highReach(p: u32): u32 {
  const len = bufLen;
  if (p + W2 <= len && d2 >= T2) return p + W2;
  if (p + W1 <= len && d1 >= T1) return p + W1;
  if (d0 >= T0) return p + W0;
  return 0;
}

/** Adds a high window [p, reach) to the open run, or closes that run and opens one with it. */
function addToRun(p: u32, reach: u32): void {
  if (!inRun || p > runEnd) {
    if (inRun) closeRun(runStart, runEnd, coreStart, coreEnd);
    inRun = true;
    runStart = p;
    runEnd = reach;
    coreStart = NO_CORE;
    coreEnd = 0;
  } else if (reach > runEnd) {
    runEnd = reach;
  }
}

/**
 * Follows an open run none of whose windows can matter except through the run's end (its cores
 * are dropped or too long), by hops: the next start tested is the furthest that still joins the
 * run (runEnd + `slack`: 0, or OCEAN_GAP − 1 when every run that close is absorbed by an ocean),
 * stepping back until a window there is high. A skipped start s reaches at most s + 64, so only
 * those after runEnd − 64 could still move the run's end: returns the start before them (at least
 * p, at most the last hop target), and the caller tests the starts after it again one by one.
 */
function followRun(p: u32, slack: u32): u32 {
  let last = p;
  const lastFit = bufLen >= W2 ? bufLen - W2 : 0;
  for (;;) {
    let c = min(runEnd + slack, lastFit);
    if (c <= last) break;
    let reach = countedReach(c);
    if (reach == 0 && c > last + 1) {
      prime(c);
      reach = highReach(c);
    }
    while (reach == 0 && c > last + 1) {
      c--;
      slideBack(c);
      reach = highReach(c);
    }
    if (reach == 0) break;
    addToRun(c, reach);
    last = c;
  }
  followFrom = last + 1;
  const resume = runEnd > W2 ? runEnd - W2 : 0;
  return min(last, max(p, resume));
}

/**
 * highReach for the windows at c (all three fit) by counting them afresh, without the histograms:
 * one pass over 64 bytes, cheaper than priming when the first window tested is high (as in random
 * data).
 */
function countedReach(c: u32): u32 {
  stamp++;
  if (stamp == 0) {
    memory.fill(seenStamp, 0, 256 << 2);
    stamp = 1;
  }
  const mark = stamp;
  const start = buf + c;
  let distinct: u32 = 0, d16: u32 = 0, d32: u32 = 0;
  for (let i: u32 = 0; i < W2; i++) {
    const slot = seenStamp + (<usize>load<u8>(start + i) << 2);
    distinct += <u32>(load<u32>(slot) != mark);
    store<u32>(slot, mark);
    if (i == W0 - 1) d16 = distinct;
    if (i == W1 - 1) d32 = distinct;
  }
  if (distinct >= T2) return c + W2;
  if (d32 >= T1) return c + W1;
  if (d16 >= T0) return c + W0;
  return 0;
}

/** Moves the histograms from the windows at c + 1 to those at c (all three fit). */
function slideBack(c: u32): void {
  const c0 = counts, c1 = counts + 256, c2 = counts + 512;
  const at = buf + c;
  const come = <usize>load<u8>(at);
  d0 += add(c0 + come);
  d0 -= remove(c0 + <usize>load<u8>(at + W0));
  d1 += add(c1 + come);
  d1 -= remove(c1 + <usize>load<u8>(at + W1));
  d2 += add(c2 + come);
  d2 -= remove(c2 + <usize>load<u8>(at + W2));
  histAt = c;
}

/** Brings the histograms to the windows starting at p (p ≥ histAt). */
function moveHistograms(p: u32): void {
  if (p < histAt || p - histAt > MAX_SLIDE) {
    prime(p);
    return;
  }
  const c0 = counts, c1 = counts + 256, c2 = counts + 512;
  const ptr = buf, len = bufLen;
  let a0 = d0, a1 = d1, a2 = d2;
  for (let q = histAt; q < p; q++) {
    // Slide every window that still fits one byte further.
    const gone = <usize>load<u8>(ptr + q);
    if (q + W0 < len) { a0 -= remove(c0 + gone); a0 += add(c0 + <usize>load<u8>(ptr + q + W0)); }
    if (q + W1 < len) { a1 -= remove(c1 + gone); a1 += add(c1 + <usize>load<u8>(ptr + q + W1)); }
    if (q + W2 < len) { a2 -= remove(c2 + gone); a2 += add(c2 + <usize>load<u8>(ptr + q + W2)); }
  }
  d0 = a0;
  d1 = a1;
  d2 = a2;
  histAt = p;
}

/** Rebuilds the histograms for the windows starting at p (cut short by the buffer's end). */
function prime(p: u32): void {
  memory.fill(counts, 0, 3 << 8);
  const c0 = counts, c1 = counts + 256, c2 = counts + 512;
  let a0: u32 = 0, a1: u32 = 0, a2: u32 = 0;
  const end = min(bufLen, p + W2);
  for (let i = p; i < end; i++) {
    const v = <usize>load<u8>(buf + i);
    if (i < p + W0) a0 += add(c0 + v);
    if (i < p + W1) a1 += add(c1 + v);
    a2 += add(c2 + v);
  }
  d0 = a0;
  d1 = a1;
  d2 = a2;
  histAt = p;
}

/**
 * The prefilter. A window of w bytes with at least w − T + 1 bytes whose value already occurs in
 * the window has fewer than T distinct values. Counting such bytes by what is cheap to test with
 * SIMD, a lower bound: the byte at p + k (k ≥ 1) of the window at p if it repeats one of the
 * k′ ≤ k bytes before it, for k′ = 1, 2, 4, 8 (byte p + 1 the one before, p + 2 and p + 3 one of
 * the 2 before, p + 4 to p + 7 one of the 4 before, from p + 8 on one of the 8 before). That proves
 * most windows of zeros, pointers, small integers and UTF-16 text low without a histogram. Marks,
 * for the starts [a, a + n), those whose three windows are all proven low in deadBits, and returns
 * a + n (a itself when the buffer ends too soon for a block). Needs a ≥ 8: it reads the 8 bytes
 * before a.
 */
function markDead(a: u32): u32 {
  if (a + DEAD_LOOKAHEAD + 64 > bufLen) return a;
  const n = min(DEAD_BLOCK, (bufLen - a - DEAD_LOOKAHEAD) & ~63);
  deadFrom = a;
  // repeatsK[j] = 1 if byte a + j equals one of the K bytes before it.
  const base = buf + a;
  const one = i8x16.splat(1);
  for (let j: usize = 0; j < <usize>n + DEAD_LOOKAHEAD; j += 16) {
    const at = base + j;
    const v = v128.load(at);
    let eq = i8x16.eq(v, v128.load(at - 1));
    v128.store(repeats1 + j, v128.and(eq, one));
    eq = v128.or(eq, i8x16.eq(v, v128.load(at - 2)));
    v128.store(repeats2 + j, v128.and(eq, one));
    eq = v128.or(eq, i8x16.eq(v, v128.load(at - 3)));
    eq = v128.or(eq, i8x16.eq(v, v128.load(at - 4)));
    v128.store(repeats4 + j, v128.and(eq, one));
    eq = v128.or(eq, i8x16.eq(v, v128.load(at - 5)));
    eq = v128.or(eq, i8x16.eq(v, v128.load(at - 6)));
    eq = v128.or(eq, i8x16.eq(v, v128.load(at - 7)));
    eq = v128.or(eq, i8x16.eq(v, v128.load(at - 8)));
    v128.store(repeats8 + j, v128.and(eq, one));
  }
  // sums8[j] = repeats8 in [j, j + 8).
  for (let j: usize = 0; j < <usize>n + 64; j += 16) v128.store(sums8 + j, eightFrom(repeats8 + j));
  const low16 = i8x16.splat(DEAD16 - 1), low32 = i8x16.splat(DEAD32 - 1), low64 = i8x16.splat(DEAD64 - 1);
  for (let j: usize = 0; j < <usize>n; j += 16) {
    let head = i8x16.add(v128.load(repeats1 + j, 1), i8x16.add(v128.load(repeats2 + j, 2), v128.load(repeats2 + j, 3)));
    head = i8x16.add(head, i8x16.add(v128.load(repeats4 + j, 4), v128.load(repeats4 + j, 5)));
    head = i8x16.add(head, i8x16.add(v128.load(repeats4 + j, 6), v128.load(repeats4 + j, 7)));
    const in16 = i8x16.add(head, v128.load(sums8 + j, 8));
    const s = sums8 + j;
    const in32 = i8x16.add(in16, i8x16.add(v128.load(s, 16), v128.load(s, 24)));
    let in64 = i8x16.add(in32, i8x16.add(v128.load(s, 32), v128.load(s, 40)));
    in64 = i8x16.add(in64, i8x16.add(v128.load(s, 48), v128.load(s, 56)));
    const dead = v128.and(v128.and(i8x16.gt_u(in16, low16), i8x16.gt_u(in32, low32)), i8x16.gt_u(in64, low64));
    store<u16>(deadBits + (j >> 3), <u16>i8x16.bitmask(dead));
  }
  return a + n;
}

/** The sums of 8 consecutive bytes at each of 16 consecutive positions. */
@inline function eightFrom(r: usize): v128 {
  let s = i8x16.add(v128.load(r), v128.load(r, 1));
  s = i8x16.add(s, i8x16.add(v128.load(r, 2), v128.load(r, 3)));
  s = i8x16.add(s, i8x16.add(v128.load(r, 4), v128.load(r, 5)));
  return i8x16.add(s, i8x16.add(v128.load(r, 6), v128.load(r, 7)));
}

/** The first start in [p, end) of the block markDead last marked not proven low, or end. */
function nextLive(p: u32, end: u32): u32 {
  let j = p - deadFrom;
  const n = end - deadFrom;
  while (j < n) {
    const live = ~load<u64>(deadBits + (<usize>(j >> 6) << 3)) >> <u64>(j & 63);
    if (live != 0) return deadFrom + j + <u32>ctz(live);
    j = (j | 63) + 1;
  }
  return end;
}

/** Counts one more byte of value at `slot`; 1 if the value is new to the window. */
@inline function add(slot: usize): u32 {
  const n = load<u8>(slot);
  store<u8>(slot, n + 1);
  return n == 0 ? 1 : 0;
}

/** Counts one byte fewer; 1 if the value left the window. */
@inline function remove(slot: usize): u32 {
  const n = load<u8>(slot) - 1;
  store<u8>(slot, n);
  return n == 0 ? 1 : 0;
}

function closeRun(start: u32, end: u32, coreStart: u32, coreEnd: u32): void {
  if (clusterRuns > 0 || clusterOcean) {
    const lastEnd = clusterRuns > 0 ? load<u32>(cluster + <usize>(clusterRuns - 1) * RUN_RECORD, 4) : 0;
    const firstStart = load<u32>(cluster);
    if (start - lastEnd < OCEAN_GAP) {
      if (clusterOcean) {
        store<u32>(cluster, end, 4); // the ocean's one record tracks where it ends
        return;
      }
      if (end - firstStart > OCEAN_BYTES || clusterRuns == MAX_CLUSTER_RUNS) {
        clusterOcean = true;
        clusterRuns = 1;
        store<u32>(cluster, end, 4);
        return;
      }
    } else {
      flushCluster();
    }
  }
  const at = cluster + <usize>clusterRuns * RUN_RECORD;
  store<u32>(at, start);
  store<u32>(at, end, 4);
  store<u32>(at, coreStart, 8);
  store<u32>(at, coreEnd, 12);
  clusterRuns++;
}

/** Emits the islands of the pending cluster unless it is an ocean, and empties it. */
function flushCluster(): void {
  if (!clusterOcean) {
    for (let i: u32 = 0; i < clusterRuns; i++) {
      const at = cluster + <usize>i * RUN_RECORD;
      const coreStart = load<u32>(at, 8);
      if (coreStart != NO_CORE) emitIsland(coreStart, load<u32>(at, 12));
    }
  }
  clusterRuns = 0;
  clusterOcean = false;
}

/** Trims a core (rule 4) and emits it if it is an island (rule 5). */
function emitIsland(coreStart: u32, coreEnd: u32): void {
  let s = coreStart, e = coreEnd;
  while (s < e && load<u8>(buf + s) == 0) s++;
  while (e > s && load<u8>(buf + e - 1) == 0) e--;
  const headWord = <i64>s - <i64>((s + wordPhase) & 7);
  if (s < e && headWord != <i64>s && headWord >= 0 && headWord + 8 <= <i64>bufLen && isStructureWord(<u32>headWord)) {
    s = min(e, <u32>headWord + 8);
    while (s < e && load<u8>(buf + s) == 0) s++;
    while (e > s && load<u8>(buf + e - 1) == 0) e--;
  }
  if (s < e) {
    const tailWord = e - 1 - ((e - 1 + wordPhase) & 7);
    if (tailWord + 8 != e && tailWord >= s && tailWord + 8 <= bufLen && isStructureWord(tailWord)) {
      e = tailWord;
      while (s < e && load<u8>(buf + s) == 0) s++;
      while (e > s && load<u8>(buf + e - 1) == 0) e--;
    }
  }
  const length = e - s;
  if (length < MIN_ISLAND_BYTES || length > MAX_ISLAND_BYTES || s < ownFrom || s >= ownTo) return;
  if (!isStructureSide(<i64>s - SIDE_BYTES, s) || !isStructureSide(e, <i64>e + SIDE_BYTES)) return;
  if (isText(s, e) || isCodeLike(s, e) || isX86Code(s, e) || isPointerTable(s, e)) return;
  if (outCount >= outCap) return;
  const at = outPtr + (<usize>outCount << 3);
  store<u32>(at, s);
  store<u32>(at, length, 4);
  outCount++;
}

/** A little-endian word holding a user-space pointer or an integer below 2^16. */
function isStructureWord(at: u32): bool {
  const word = load<u64>(buf + at);
  if (word >> 48 != 0) return false;
  return (word >> 40) != 0 || (word >> 16) == 0;
}

function isStructureSide(from: i64, to: i64): bool {
  if (from < 0 || to > <i64>bufLen) return true;
  memory.fill(scratch, 0, 256 << 2);
  let zeros: u32 = 0, values: u32 = 0;
  for (let i = <u32>from; i < <u32>to; i++) {
    const v = load<u8>(buf + i);
    if (v == 0) zeros++;
    const slot = scratch + (<usize>v << 2);
    if (load<u32>(slot) == 0) values++;
    store<u32>(slot, 1);
  }
  return zeros >= SIDE_MIN_ZEROS || values <= SIDE_MAX_DISTINCT;
}

function isCodeLike(s: u32, e: u32): bool {
  if (e - s < CODE_TEST_MIN) return false;
  memory.fill(scratch, 0, 256 << 2);
  for (let i = s; i < e; i++) {
    const slot = scratch + (<usize>load<u8>(buf + i) << 2);
    store<u32>(slot, load<u32>(slot) + 1);
  }
  // Sum of the CODE_TOP_VALUES largest counts, by repeated selection (256 × 8 steps per island).
  let top: u32 = 0;
  for (let k: u32 = 0; k < CODE_TOP_VALUES; k++) {
    let best: u32 = 0, bestAt: usize = 0;
    for (let v: usize = 0; v < 256; v++) {
      const n = load<u32>(scratch + (v << 2));
      if (n > best) { best = n; bestAt = v; }
    }
    top += best;
    store<u32>(scratch + (bestAt << 2), 0);
  }
  return top * 10 > (e - s) * 3;
}

/** REX prefixes, mov r/m and call opcodes, the two-byte escape (see island-finder.ts). */
@inline function isX86Opcode(v: u32): bool {
  return v == 0x41 || v == 0x48 || v == 0x49 || v == 0x4c || v == 0x4d || v == 0x89 || v == 0x8b || v == 0xe8 || v == 0x0f;
}

function isX86Code(s: u32, e: u32): bool {
  const start = s > CODE_SIDE_BYTES ? s - CODE_SIDE_BYTES : 0;
  const end = min(bufLen, e + CODE_SIDE_BYTES);
  let hits: u32 = 0;
  for (let i = start; i < end; i++) if (isX86Opcode(load<u8>(buf + i))) hits++;
  return hits >= X86_MIN_HITS && hits * 100 > (end - start) * X86_PERCENT;
}

function isText(s: u32, e: u32): bool {
  let printable: u32 = 0;
  for (let i = s; i < e; i++) {
    const v = load<u8>(buf + i);
    if ((v >= 0x20 && v < 0x7f) || v == 0x09 || v == 0x0a || v == 0x0d) printable++;
  }
  return printable * 4 > (e - s) * 3;
}

function isPointerTable(s: u32, e: u32): bool {
  let words: u32 = 0, pointers: u32 = 0;
  for (let w = s + ((8 - ((s + wordPhase) & 7)) & 7); w + 8 <= e; w += 8) {
    words++;
    const top = load<u16>(buf + w, 6);
    if (top == 0 || top == 0xffff) pointers++;
  }
  return pointers >= 2 && pointers * 4 >= words;
}
