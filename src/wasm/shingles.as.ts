// Shingle search kernel (AssemblyScript, part of core.wasm; built by `npm run asbuild`).
//
// Finds every occurrence of thousands of 16-byte needles at any byte offset while probing only every
// 8th position. An occurrence starting at s contains the 8 bytes at a = s + o, the next multiple of
// 8 (o in 0..7), and those are bytes o..o+7 of the needle. So each needle is entered 8 times, keyed
// by its bytes o..o+7, and a probe at a that finds entry (needle, o) is a candidate at a - o, which
// is then compared in full. Exactly one probe position lies in s..s+7, so no occurrence is reported
// twice. A blocked Bloom filter (8 bits per entry, two of them set in one 64-bit word, so one read
// per probe; false positives about 5 %) rejects nearly every probe of unrelated data before the
// larger hash table is read.
//
// The anchor kernel (anchors.as.ts) plans its buckets in time cubic in the anchor count; this one
// is linear in the needle count, which is why the sweep's shingles come here.

const NEEDLE: usize = 16;
const STRIDE: usize = 8;
const EMPTY: u32 = 0xffffffff;
/** Fibonacci hashing: the top bits of key * 2^64/phi are well mixed for any key. */
const GOLDEN: u64 = 0x9e3779b97f4a7c15;
const FILTER_BITS_PER_ENTRY: usize = 8;
const MIN_FILTER_LOG: u64 = 12;
/** 2^26 bits = 8 MiB: beyond that the filter leaves the cache and stops paying for itself. */
const MAX_FILTER_LOG: u64 = 26;
/** Returned by shinglesStoppedAt() once the whole range was probed. */
const DONE: u32 = 0xffffffff;

let needleBase: usize = 0;
let filter: usize = 0;
/** Shifts a hash down to its filter word index. */
let filterShift: u64 = 0;
/** Open addressing, linear probing: a u64 key and a u32 value (needle * 8 + o, or EMPTY) per slot. */
let tableKeys: usize = 0;
let tableValues: usize = 0;
let tableMask: usize = 0;
let tableShift: u64 = 0;
/** The most entries sharing one key: the most hits a single probe can produce. */
let chainMax: u32 = 0;
let resumeAt: u32 = DONE;

/** The two bits an entry sets in its filter word: from the hash bits below the word index. */
@inline function filterMask(h: u64): u64 {
  return (<u64>1 << ((h >> (filterShift - 6)) & 63)) | (<u64>1 << ((h >> (filterShift - 12)) & 63));
}

/** ceil(log2(n)) for n >= 1. */
@inline function log2Ceil(n: usize): u64 {
  return n <= 1 ? 0 : <u64>(64 - clz(<u64>(n - 1)));
}

/**
 * Loads `count` needles of 16 bytes, back to back at `needles` (memory from `alloc` that the caller
 * keeps unchanged while searching). Call once per instance. Returns the most hits one probe
 * position can produce: `findShingles` needs an output of at least that many.
 */
export function setShingles(needles: usize, count: u32): u32 {
  needleBase = needles;
  const entries = <usize>count * STRIDE;

  const filterLog = min<u64>(MAX_FILTER_LOG, max<u64>(MIN_FILTER_LOG, log2Ceil(entries * FILTER_BITS_PER_ENTRY)));
  const filterBytes = (<usize>1 << <usize>filterLog) >> 3;
  filter = heap.alloc(filterBytes);
  memory.fill(filter, 0, filterBytes);
  filterShift = 64 - (filterLog - 6);

  // Load factor at most 1/2: probes of absent keys stop after about 2.5 slots.
  const tableLog = max<u64>(4, log2Ceil(entries * 2));
  const slots = <usize>1 << <usize>tableLog;
  tableKeys = heap.alloc(slots << 3);
  tableValues = heap.alloc(slots << 2);
  memory.fill(tableValues, 0xff, slots << 2);
  tableMask = slots - 1;
  tableShift = 64 - tableLog;

  chainMax = 0;
  for (let n: u32 = 0; n < count; n++) {
    const bytes = needles + <usize>n * NEEDLE;
    for (let o: usize = 0; o < STRIDE; o++) insert(load<u64>(bytes + o), (n << 3) | <u32>o);
  }
  return chainMax;
}

function insert(key: u64, value: u32): void {
  const h = key * GOLDEN;
  const word = filter + (<usize>(h >> filterShift) << 3);
  store<u64>(word, load<u64>(word) | filterMask(h));

  let slot = <usize>(h >> tableShift);
  let same: u32 = 1;
  while (load<u32>(tableValues + (slot << 2)) != EMPTY) {
    if (load<u64>(tableKeys + (slot << 3)) == key) same++;
    slot = (slot + 1) & tableMask;
  }
  store<u64>(tableKeys + (slot << 3), key);
  store<u32>(tableValues + (slot << 2), value);
  if (same > chainMax) chainMax = same;
}

/**
 * Writes hits (u32 pairs: start relative to `ptr`, needle index) to `out` for every needle occurrence
 * starting in [from, to) and ending by `len`, probing from `probeFrom` on (0 for a new range), in
 * probe order (not sorted). Stops before a probe whose hits might not fit in `cap`;
 * `shinglesStoppedAt()` then says which `probeFrom` resumes the range, or DONE. `ptr` must be
 * 8-byte aligned (`alloc` gives 16), and `cap` at least what `setShingles` returned.
 */
export function findShingles(ptr: usize, len: u32, from: u32, to: u32, probeFrom: u32, out: usize, cap: u32): u32 {
  resumeAt = DONE;
  if (len < <u32>STRIDE || from >= to) return 0;
  // A hit starting at s < to is probed at most 7 bytes later; a probe reads 8 bytes below len.
  const probeEnd = min<usize>(<usize>to + STRIDE - 1, <usize>(len - <u32>STRIDE) + 1);
  let a = max<usize>(<usize>probeFrom, (<usize>from + STRIDE - 1) & ~(STRIDE - 1));
  let count: u32 = 0;
  for (; a < probeEnd; a += STRIDE) {
    const key = load<u64>(ptr + a);
    const h = key * GOLDEN;
    const mask = filterMask(h);
    if ((load<u64>(filter + (<usize>(h >> filterShift) << 3)) & mask) != mask) continue;
    if (count + chainMax > cap) {
      resumeAt = <u32>a;
      break;
    }
    count = probe(ptr, len, from, to, a, key, h, out, count);
  }
  return count;
}

/** Looks `key`, read at probe position `a`, up in the table and emits the verified hits. */
function probe(ptr: usize, len: u32, from: u32, to: u32, a: usize, key: u64, h: u64, out: usize, count: u32): u32 {
  let slot = <usize>(h >> tableShift);
  let value = load<u32>(tableValues + (slot << 2));
  while (value != EMPTY) {
    if (load<u64>(tableKeys + (slot << 3)) == key) {
      const o = <usize>(value & 7);
      const needle = value >> 3;
      if (a >= <usize>from + o && a - o < <usize>to && a - o + NEEDLE <= <usize>len) {
        const at = ptr + a - o;
        const bytes = needleBase + <usize>needle * NEEDLE;
        if (load<u64>(at) == load<u64>(bytes) && load<u64>(at, 8) == load<u64>(bytes, 8)) {
          const rec = out + (<usize>count << 3);
          store<u32>(rec, <u32>(a - o));
          store<u32>(rec, needle, 4);
          count++;
        }
      }
    }
    slot = (slot + 1) & tableMask;
    value = load<u32>(tableValues + (slot << 2));
  }
  return count;
}

/** Where the last `findShingles` stopped (the `probeFrom` to resume with), or DONE. */
export function shinglesStoppedAt(): u32 {
  return resumeAt;
}
