/**
 * The two IslandFinder implementations: the WebAssembly kernel (src/wasm/islands.as.ts) behind a
 * plain-TS wrapper, and a naive reference that the tests hold the kernel to. Both follow the same
 * rules (detectors.md §5.2–5.3), stated once here:
 *
 * 1. A window of w bytes is *high* when it holds at least T distinct byte values: (16, 14),
 *    (32, 27), (64, 48). Those pass ≥ 99.2 % of random keys of that size. (128-byte windows,
 *    ≥ 86, would only bridge what 64-byte ones already do, at a quarter more time per byte.)
 * 2. High windows that overlap or touch form a *run*. Its *core* is the span of its 16- and 32-byte
 *    high windows only: the larger windows connect a long key's parts but reach further into the
 *    padding around it. A run without a core is not key-like at key scale.
 * 3. Runs less than OCEAN_GAP apart form a cluster; a cluster spanning more than OCEAN_BYTES is an
 *    *ocean* (compressed data, ciphertext) and none of its runs is an island.
 * 4. The core is trimmed: zero bytes at its ends (zeroing them changes nothing), then a partly
 *    covered structure word (a pointer or a small integer, 8-aligned in the file) at either end.
 * 5. The island is kept if it is 16..MAX_ISLAND_BYTES long, bounded on both sides by structure
 *    (16 bytes with ≥ 4 zeros or ≤ 8 distinct values; a buffer edge counts), not text (> ¾
 *    printable ASCII), not code (its top-8 byte values make up > 30 % of an island of
 *    ≥ CODE_TEST_MIN bytes, or x86-64 opcode bytes make up > 12 % of it and CODE_SIDE_BYTES on
 *    each side), and not a pointer table (≥ 2 and ≥ ¼ of its aligned words with top bytes 0x0000
 *    or 0xffff).
 */
import { inputArea, kernelAllocator } from './kernel-memory.ts';

/** An island: its first byte's index in the scanned buffer and its length. */
export interface Island {
  offset: number;
  length: number;
}

export interface IslandFinder {
  /**
   * Islands of `bytes` whose first byte lies in [from, to). `phase` is the file offset of bytes[0]
   * modulo 8 (word alignment is the file's). The buffer's ends count as structure: callers pass
   * enough context (ISLAND_CONTEXT_BYTES) that an island starting in [from, to) never needs more.
   */
  find(bytes: Uint8Array, from: number, to: number, phase: number): Island[];
}

export const WINDOWS: readonly (readonly [size: number, minDistinct: number])[] = [
  [16, 14],
  [32, 27],
  [64, 48],
];
/** Windows up to this size define a run's core. */
const CORE_WINDOW = 32;
export const OCEAN_GAP = 64;
export const OCEAN_BYTES = 4096;
/** About a DER RSA-2048 private key with its header; longer runs are bulk data. */
export const MAX_ISLAND_BYTES = 1280;
const MIN_ISLAND_BYTES = 16;
const SIDE_BYTES = 16;
const SIDE_MIN_ZEROS = 4;
const SIDE_MAX_DISTINCT = 8;
const CODE_TEST_MIN = 64;
const CODE_TOP_VALUES = 8;
const CODE_SIDE_BYTES = 32;
/**
 * REX prefixes, mov r/m and call opcodes, the two-byte escape: together ~25 % of x86-64 code and
 * 9/256 = 3.5 % of random bytes.
 */
const X86_OPCODES = new Set([0x41, 0x48, 0x49, 0x4c, 0x4d, 0x89, 0x8b, 0xe8, 0x0f]);
const X86_MIN_HITS = 6;
const X86_PERCENT = 12;
/**
 * Context an island finder needs on each side of the range whose islands it reports: more than
 * an ocean, its gap and a side, so a run it classifies is never cut by the buffer's ends.
 */
export const ISLAND_CONTEXT_BYTES = 8192;

/** Per byte value, the distinct() call that last saw it (a fresh Set per window costs 10× more). */
const seenIn = new Uint32Array(256);
let distinctCalls = 0;

function distinct(bytes: Uint8Array, from: number, to: number): number {
  distinctCalls = (distinctCalls + 1) >>> 0;
  if (distinctCalls === 0) {
    seenIn.fill(0);
    distinctCalls = 1;
  }
  const call = distinctCalls;
  let count = 0;
  for (let i = from; i < to; i++) {
    const v = bytes[i]!;
    if (seenIn[v] !== call) {
      seenIn[v] = call;
      count++;
    }
  }
  return count;
}

/** A little-endian 8-byte word that holds a user-space pointer or an integer below 2^16. */
function isStructureWord(b: Uint8Array, at: number): boolean {
  if (b[at + 6] !== 0 || b[at + 7] !== 0) return false;
  return b[at + 5] !== 0 || (b[at + 2] === 0 && b[at + 3] === 0 && b[at + 4] === 0);
}

function isStructureSide(b: Uint8Array, from: number, to: number): boolean {
  if (from < 0 || to > b.length) return true;
  let zeros = 0;
  for (let i = from; i < to; i++) if (b[i] === 0) zeros++;
  return zeros >= SIDE_MIN_ZEROS || distinct(b, from, to) <= SIDE_MAX_DISTINCT;
}

function isCodeLike(b: Uint8Array, from: number, to: number): boolean {
  if (to - from < CODE_TEST_MIN) return false;
  const counts = new Array<number>(256).fill(0);
  for (let i = from; i < to; i++) counts[b[i]!]!++;
  const top = counts.sort((x, y) => y - x).slice(0, CODE_TOP_VALUES).reduce((s, c) => s + c, 0);
  return top * 10 > (to - from) * 3;
}

function isX86Code(b: Uint8Array, from: number, to: number): boolean {
  const start = Math.max(0, from - CODE_SIDE_BYTES);
  const end = Math.min(b.length, to + CODE_SIDE_BYTES);
  let hits = 0;
  for (let i = start; i < end; i++) if (X86_OPCODES.has(b[i]!)) hits++;
  return hits >= X86_MIN_HITS && hits * 100 > (end - start) * X86_PERCENT;
}

function isText(b: Uint8Array, from: number, to: number): boolean {
  let printable = 0;
  for (let i = from; i < to; i++) if (isPrintable(b[i]!)) printable++;
  return printable * 4 > (to - from) * 3;
}

const isPrintable = (v: number): boolean => (v >= 0x20 && v < 0x7f) || v === 0x09 || v === 0x0a || v === 0x0d;

function isPointerTable(b: Uint8Array, from: number, to: number, phase: number): boolean {
  let words = 0;
  let pointers = 0;
  for (let w = from + ((8 - ((from + phase) & 7)) & 7); w + 8 <= to; w += 8) {
    words++;
    const top = b[w + 6]! | (b[w + 7]! << 8);
    if (top === 0 || top === 0xffff) pointers++;
  }
  return pointers >= 2 && pointers * 4 >= words;
}

interface Run {
  start: number;
  end: number;
  coreStart: number;
  coreEnd: number;
}

/** Runs of high windows, each window's distinct count computed afresh. */
function referenceRuns(b: Uint8Array): Run[] {
  const runs: Run[] = [];
  let run: Run | null = null;
  for (let p = 0; p < b.length; p++) {
    for (const [w, min] of WINDOWS) {
      if (p + w > b.length || distinct(b, p, p + w) < min) continue;
      if (run && p <= run.end) {
        run.end = Math.max(run.end, p + w);
      } else {
        run = { start: p, end: p + w, coreStart: -1, coreEnd: -1 };
        runs.push(run);
      }
      if (w <= CORE_WINDOW) {
        if (run.coreStart < 0) run.coreStart = p;
        run.coreEnd = Math.max(run.coreEnd, p + w);
      }
    }
  }
  return runs;
}

/** The island a run's core yields after trimming (rule 4), or null. */
export function trimCore(b: Uint8Array, coreStart: number, coreEnd: number, phase: number): Island | null {
  let s = coreStart;
  let e = coreEnd;
  const trimZeros = () => {
    while (s < e && b[s] === 0) s++;
    while (e > s && b[e - 1] === 0) e--;
  };
  trimZeros();
  const headWord = s - ((s + phase) & 7);
  if (s < e && headWord !== s && headWord >= 0 && headWord + 8 <= b.length && isStructureWord(b, headWord)) {
    s = Math.min(e, headWord + 8);
    trimZeros();
  }
  const tailWord = e - 1 - ((e - 1 + phase) & 7);
  if (s < e && tailWord + 8 !== e && tailWord >= s && tailWord + 8 <= b.length && isStructureWord(b, tailWord)) {
    e = tailWord;
    trimZeros();
  }
  return e - s >= MIN_ISLAND_BYTES ? { offset: s, length: e - s } : null;
}

/** Rule 5 on a trimmed island. */
export function isIsland(b: Uint8Array, island: Island, phase: number): boolean {
  const s = island.offset;
  const e = s + island.length;
  return (
    island.length <= MAX_ISLAND_BYTES &&
    isStructureSide(b, s - SIDE_BYTES, s) &&
    isStructureSide(b, e, e + SIDE_BYTES) &&
    !isText(b, s, e) &&
    !isCodeLike(b, s, e) &&
    !isX86Code(b, s, e) &&
    !isPointerTable(b, s, e, phase)
  );
}

/** Rules 3–5 over runs in buffer order. */
function islandsOfRuns(b: Uint8Array, runs: readonly Run[], from: number, to: number, phase: number): Island[] {
  const out: Island[] = [];
  for (let first = 0; first < runs.length; ) {
    let last = first;
    while (last + 1 < runs.length && runs[last + 1]!.start - runs[last]!.end < OCEAN_GAP) last++;
    if (runs[last]!.end - runs[first]!.start <= OCEAN_BYTES) {
      for (let i = first; i <= last; i++) {
        const r = runs[i]!;
        if (r.coreStart < 0) continue;
        const island = trimCore(b, r.coreStart, r.coreEnd, phase);
        if (island && island.offset >= from && island.offset < to && isIsland(b, island, phase)) out.push(island);
      }
    }
    first = last + 1;
  }
  return out;
}

export function createReferenceIslandFinder(): IslandFinder {
  return {
    find(bytes, from, to, phase) {
      return islandsOfRuns(bytes, referenceRuns(bytes), from, to, phase & 7);
    },
  };
}

/** Raw exports of the island kernel in core.wasm; see islands.as.ts. */
export interface IslandKernelExports {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  findIslands(ptr: number, len: number, from: number, to: number, phase: number, out: number, cap: number): number;
}

export function createWasmIslandFinder(module: WebAssembly.Module): IslandFinder {
  const kernel = new WebAssembly.Instance(module, {}).exports as unknown as IslandKernelExports;
  const alloc = kernelAllocator(kernel, 'IslandFinder');
  const area = inputArea(kernel, alloc, 0);
  let out = 0;
  let outCap = 0;
  return {
    find(bytes, from, to, phase) {
      if (islandCap(bytes.length) > outCap) {
        // The stub runtime never frees: doubling bounds what growing inputs leak.
        outCap = Math.max(islandCap(bytes.length), 2 * outCap);
        out = alloc(8 * outCap);
      }
      const input = area.place(bytes);
      const count = kernel.findIslands(input, bytes.length, from, to, phase & 7, out, islandCap(bytes.length)) >>> 0;
      const raw = new Uint32Array(kernel.memory.buffer, out, count * 2);
      const islands: Island[] = [];
      for (let i = 0; i < raw.length; i += 2) islands.push({ offset: raw[i]!, length: raw[i + 1]! });
      return islands;
    },
  };
}

/** Islands are at least 16 bytes long and disjoint. */
const islandCap = (length: number): number => Math.floor(length / MIN_ISLAND_BYTES) + 1;
