// Entropy-island kernel (AssemblyScript, built by `npm run asbuild` as part of core.wasm).
//
// One pass keeps a rolling byte histogram for each key-sized window (16, 32, 64 bytes) and
// its distinct-value count; windows with enough distinct values join into runs, runs into clusters
// (oceans are dropped whole), and each surviving run's core is trimmed and tested. The rules and
// their constants are stated once, in island-finder.ts, whose reference implementation the tests
// hold this kernel to.

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

function ensureScratch(): void {
  if (counts != 0) return;
  counts = heap.alloc(3 << 8);
  scratch = heap.alloc(256 << 2);
  cluster = heap.alloc(<usize>MAX_CLUSTER_RUNS * RUN_RECORD);
}

/**
 * Writes up to `cap` islands (u32 pairs: offset relative to `ptr`, length) whose first byte lies in
 * [from, to) to `out`, in order, and returns how many. `phase` is the file offset of ptr modulo 8.
 * The buffer's ends count as structure. A cap of len / 16 + 1 always suffices.
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
  memory.fill(counts, 0, 3 << 8);

  const c0 = counts, c1 = counts + 256, c2 = counts + 512;
  let d0: u32 = 0, d1: u32 = 0, d2: u32 = 0;
  // Prime each histogram with its first window (or the whole buffer if shorter).
  for (let i: u32 = 0; i < min(len, W2); i++) {
    const v = <usize>load<u8>(ptr + i);
    if (i < W0) d0 += add(c0 + v);
    if (i < W1) d1 += add(c1 + v);
    d2 += add(c2 + v);
  }

  let runStart: u32 = 0, runEnd: u32 = 0, coreStart: u32 = NO_CORE, coreEnd: u32 = 0;
  let inRun = false;
  const last0 = len >= W0 ? len - W0 : 0;
  // Windows start at p; the smallest is the last to fit, so p runs to len - W0.
  for (let p: u32 = 0; p <= last0 && len >= W0; p++) {
    let reach: u32 = 0;
    let core: u32 = 0;
    if (d0 >= T0) { reach = p + W0; core = p + W0; }
    if (p + W1 <= len && d1 >= T1) { reach = p + W1; core = p + W1; }
    if (p + W2 <= len && d2 >= T2) reach = p + W2;
    if (reach != 0) {
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
      if (core != 0) {
        if (coreStart == NO_CORE) coreStart = p;
        if (core > coreEnd) coreEnd = core;
      }
    }
    // Slide every window that still fits one byte further.
    const gone = <usize>load<u8>(ptr + p);
    if (p + W0 < len) { d0 -= remove(c0 + gone); d0 += add(c0 + <usize>load<u8>(ptr + p + W0)); }
    if (p + W1 < len) { d1 -= remove(c1 + gone); d1 += add(c1 + <usize>load<u8>(ptr + p + W1)); }
    if (p + W2 < len) { d2 -= remove(c2 + gone); d2 += add(c2 + <usize>load<u8>(ptr + p + W2)); }
  }
  if (inRun) closeRun(runStart, runEnd, coreStart, coreEnd);
  flushCluster();
  return outCount;
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
