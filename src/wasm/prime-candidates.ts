/**
 * The two prime-candidate finders (detectors.md §4.3 steps 2–3): the WebAssembly kernel
 * (src/wasm/prime-candidates.as.ts) behind a plain-TS wrapper, and a naive reference that the tests
 * hold the kernel to. Both report the same candidates in the same order.
 */

import { inputArea, kernelAllocator } from './kernel-memory.ts';
import { bigFromBE, bigFromLE } from '../engine/crypto/bigint.ts';

/** How a prime sits in memory; the names are the `encoding` of a prime-search finding. */
export type PrimeLayout = 'bignum-le' | 'bignum-be' | 'java-int-array';

export const PRIME_LAYOUTS: readonly PrimeLayout[] = ['bignum-le', 'bignum-be', 'java-int-array'];

/** Layout bits as the kernel numbers them (index in PRIME_LAYOUTS = log2 of the bit). */
const LAYOUT_BIT: Record<PrimeLayout, number> = { 'bignum-le': 1, 'bignum-be': 2, 'java-int-array': 4 };

export interface PrimeCandidate {
  /** Index in the searched buffer of the window's first byte. */
  pos: number;
  layout: PrimeLayout;
}

export interface CandidateQuery {
  /** Prime length in bytes (L = ⌈bits(n) / 16⌉). */
  primeLength: number;
  /** File offset of bytes[0]: LE limbs are looked for at 8-aligned and Java ints at 4-aligned file offsets. */
  base: number;
  /** Layouts to report; all by default. */
  layouts?: readonly PrimeLayout[];
}

export interface PrimeCandidateFinder {
  /**
   * Every candidate whose window starts in [from, to) and lies wholly inside `bytes`, ordered by
   * position then layout (LE, BE, Java). Stops once `max` candidates are reported.
   */
  find(bytes: Uint8Array, from: number, to: number, query: CandidateQuery, max?: number): PrimeCandidate[];
}

/** Expected distinct byte values in `length` uniformly random bytes. */
const expectedDistinct = (length: number) => 256 * (1 - (255 / 256) ** length);

/**
 * Fewest distinct byte values a prime window must show: 64 for 128 bytes (random data averages about
 * 101, and a prime is random data), scaled by the expected count for other lengths.
 */
export function minDistinctFor(length: number): number {
  return Math.round((expectedDistinct(length) * 64) / expectedDistinct(128));
}

/** Small odd primes of the sieve (3 to 97): a real prime of L ≥ 8 bytes is divisible by none of them. */
const SIEVE_PRIMES = [3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n, 43n, 47n, 53n, 59n, 61n, 67n, 71n, 73n, 79n, 83n, 89n, 97n];

/** The window's value in a layout, as the exact test reads it. */
export function candidateValue(bytes: Uint8Array, pos: number, length: number, layout: PrimeLayout): bigint {
  // Whole 64-bit words are read through a DataView: about twice as fast as parsing hex.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let v = 0n;
  if (layout === 'java-int-array') {
    for (let w = pos; w < pos + length; w += 4) v = (v << 32n) | BigInt(view.getUint32(w, true));
    return v;
  }
  if (length % 8 !== 0) return layout === 'bignum-le' ? bigFromLE(bytes, pos, pos + length) : bigFromBE(bytes, pos, pos + length);
  if (layout === 'bignum-le') for (let w = pos + length - 8; w >= pos; w -= 8) v = (v << 64n) | view.getBigUint64(w, true);
  else for (let w = pos; w < pos + length; w += 8) v = (v << 64n) | view.getBigUint64(w, false);
  return v;
}

function layoutSet(query: CandidateQuery): PrimeLayout[] {
  const wanted = query.layouts ?? PRIME_LAYOUTS;
  // Java's int[] holds whole words: a length that is not a multiple of 4 has no such layout here.
  return PRIME_LAYOUTS.filter((l) => wanted.includes(l) && (l !== 'java-int-array' || query.primeLength % 4 === 0));
}

export function createReferencePrimeCandidateFinder(): PrimeCandidateFinder {
  return {
    find(bytes, from, to, query, max = Infinity) {
      const L = query.primeLength;
      const layouts = layoutSet(query);
      const minDistinct = minDistinctFor(L);
      const out: PrimeCandidate[] = [];
      for (let pos = Math.max(0, from); pos < to && pos + L <= bytes.length; pos++) {
        const offset = query.base + pos;
        const msb = { 'bignum-le': pos + L - 1, 'bignum-be': pos, 'java-int-array': pos + 3 };
        const lsb = { 'bignum-le': pos, 'bignum-be': pos + L - 1, 'java-int-array': pos + L - 4 };
        const aligned = { 'bignum-le': offset % 8 === 0, 'bignum-be': true, 'java-int-array': offset % 4 === 0 };
        const passing = layouts.filter((l) => aligned[l] && bytes[msb[l]]! >= 0x80 && bytes[lsb[l]]! & 1);
        if (passing.length === 0 || new Set(bytes.subarray(pos, pos + L)).size < minDistinct) continue;
        for (const layout of passing) {
          const value = candidateValue(bytes, pos, L, layout);
          if (SIEVE_PRIMES.some((p) => value % p === 0n)) continue;
          if (out.length >= max) return out;
          out.push({ pos, layout });
        }
      }
      return out;
    },
  };
}

/** Raw exports of the kernel in core.wasm; see prime-candidates.as.ts. */
interface PrimeKernelExports {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  primeCandidates(
    ptr: number, len: number, from: number, to: number, primeLength: number, minDistinct: number,
    phase: number, layouts: number, out: number, cap: number,
  ): number;
  primeStoppedAt(): number;
}

/** Candidates per kernel call: the output buffer holds this many (8 bytes each). */
const OUTPUT_CANDIDATES = 64 * 1024;

/** `outputCandidates`: the kernel's output capacity per call (small values exercise resuming). */
export function createWasmPrimeCandidateFinder(module: WebAssembly.Module, outputCandidates = OUTPUT_CANDIDATES): PrimeCandidateFinder {
  const kernel = new WebAssembly.Instance(module, {}).exports as unknown as PrimeKernelExports;
  const alloc = kernelAllocator(kernel, 'PrimeCandidateFinder');
  const cap = Math.max(3, outputCandidates);
  const out = alloc(cap * 8);
  const area = inputArea(kernel, alloc, 0);

  return {
    find(bytes, from, to, query, max = Infinity) {
      const L = query.primeLength;
      const start = Math.max(0, from);
      const end = Math.min(to, bytes.length - L + 1);
      if (start >= end || L <= 0) return [];
      const windowEnd = end - 1 + L;
      const windowLen = windowEnd - start;
      const input = area.place(bytes.subarray(start, windowEnd));
      const bits = layoutSet(query).reduce((sum, l) => sum | LAYOUT_BIT[l], 0);
      const phase = (((query.base + start) % 8) + 8) % 8;
      const found: PrimeCandidate[] = [];
      const rangeLen = end - start;
      let next = 0;
      while (next < rangeLen && found.length < max) {
        const count = kernel.primeCandidates(input, windowLen, next, rangeLen, L, minDistinctFor(L), phase, bits, out, cap) >>> 0;
        const raw = new Uint32Array(kernel.memory.buffer, out, count * 2);
        for (let i = 0; i < raw.length && found.length < max; i += 2) {
          found.push({ pos: start + raw[i]!, layout: PRIME_LAYOUTS[Math.log2(raw[i + 1]!)]! });
        }
        next = kernel.primeStoppedAt() >>> 0;
      }
      return found;
    },
  };
}
