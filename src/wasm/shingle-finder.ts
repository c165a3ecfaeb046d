/**
 * The two ShingleFinder implementations: the WebAssembly kernel (src/wasm/shingles.as.ts) behind a
 * plain-TS wrapper, and a simple reference that the tests hold the kernel to.
 */
import { clipRange, inputArea, kernelAllocator } from './kernel-memory.ts';

/** Every needle of a shingle search is this long. */
export const SHINGLE_BYTES = 16;

export interface ShingleHit {
  /** Index in the searched buffer of the needle's first byte. */
  pos: number;
  /** Index of the needle in the list the finder was built with. */
  needle: number;
}

export interface ShingleFinder {
  /** Every occurrence starting in [from, to) and lying inside `bytes`, sorted by pos, then needle. */
  find(bytes: Uint8Array, from: number, to: number): ShingleHit[];
}

/** Raw exports of the shingle kernel in core.wasm; see shingles.as.ts for the meaning of each. */
export interface ShingleKernelExports {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  setShingles(needles: number, count: number): number;
  findShingles(ptr: number, len: number, from: number, to: number, probeFrom: number, out: number, cap: number): number;
  shinglesStoppedAt(): number;
}

const DONE = 0xffffffff;
const MIN_OUTPUT_HITS = 4096;

function needleCount(needles: Uint8Array): number {
  if (needles.length % SHINGLE_BYTES !== 0) {
    throw new RangeError(`Shingle needles: ${needles.length} bytes is not a whole number of ${SHINGLE_BYTES}-byte needles`);
  }
  return needles.length / SHINGLE_BYTES;
}

const byPosThenNeedle = (a: ShingleHit, b: ShingleHit) => a.pos - b.pos || a.needle - b.needle;

/** `needles`: the needles back to back, SHINGLE_BYTES each. */
export function createReferenceShingleFinder(needles: Uint8Array): ShingleFinder {
  const count = needleCount(needles);
  const latin1 = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.subarray(at, at + SHINGLE_BYTES));
  const byText = new Map<string, number[]>();
  for (let n = 0; n < count; n++) {
    const key = latin1(needles, n * SHINGLE_BYTES);
    byText.set(key, [...(byText.get(key) ?? []), n]);
  }
  return {
    find(bytes, from, to) {
      const [start, end] = clipRange(bytes.length, from, to);
      const hits: ShingleHit[] = [];
      for (let pos = start; pos < end && pos + SHINGLE_BYTES <= bytes.length; pos++) {
        for (const needle of byText.get(latin1(bytes, pos)) ?? []) hits.push({ pos, needle });
      }
      return hits;
    },
  };
}

/** One kernel instance per finder: the stub runtime never frees, so a new needle set gets a new one. */
export function createWasmShingleFinder(module: WebAssembly.Module, needles: Uint8Array): ShingleFinder {
  const count = needleCount(needles);
  const kernel = new WebAssembly.Instance(module, {}).exports as unknown as ShingleKernelExports;
  const alloc = kernelAllocator(kernel, 'ShingleFinder');
  const table = alloc(Math.max(1, needles.length));
  new Uint8Array(kernel.memory.buffer, table, needles.length).set(needles);
  // The kernel never splits one probe's hits across calls, so the output must hold them all.
  const outCap = Math.max(MIN_OUTPUT_HITS, 2 * kernel.setShingles(table, count));
  const out = alloc(outCap * 8);
  const area = inputArea(kernel, alloc, 0);

  return {
    find(bytes, from, to) {
      const [start, end] = clipRange(bytes.length, from, to);
      if (start >= end || count === 0) return [];
      // Only the bytes a hit starting in [start, end) can cover are copied in.
      const windowEnd = Math.min(bytes.length, end - 1 + SHINGLE_BYTES);
      const input = area.place(bytes.subarray(start, windowEnd));
      const hits: ShingleHit[] = [];
      let probeFrom = 0;
      do {
        const found = kernel.findShingles(input, windowEnd - start, 0, end - start, probeFrom, out, outCap) >>> 0;
        const raw = new Uint32Array(kernel.memory.buffer, out, found * 2);
        for (let i = 0; i < raw.length; i += 2) hits.push({ pos: start + raw[i]!, needle: raw[i + 1]! });
        probeFrom = kernel.shinglesStoppedAt() >>> 0;
      } while (probeFrom !== DONE);
      return hits.sort(byPosThenNeedle);
    },
  };
}
