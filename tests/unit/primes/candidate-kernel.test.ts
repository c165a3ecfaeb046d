import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  candidateValue,
  createReferencePrimeCandidateFinder,
  createWasmPrimeCandidateFinder,
  minDistinctFor,
  type CandidateQuery,
} from '../../../src/wasm/prime-candidates.ts';
import { rng } from '../../fixtures/random.ts';

let wasmModule: WebAssembly.Module;

beforeAll(async () => {
  wasmModule = await WebAssembly.compile(await readFile(new URL('../../../src/wasm/core.wasm', import.meta.url)));
});

/**
 * Seeded bytes mixing what dumps hold: random runs (which pass the distinct filter), zero runs,
 * text-like runs (few distinct values) and pointer-like runs, so every filter both passes and fails.
 */
function mixedBytes(seed: number, length: number): Uint8Array {
  const next = rng(seed);
  const out = new Uint8Array(length);
  let i = 0;
  while (i < length) {
    const run = Math.min(length - i, 16 + Math.floor(next() * 400));
    const kind = Math.floor(next() * 4);
    for (let k = 0; k < run; k++) {
      const r = Math.floor(next() * 256);
      out[i + k] = kind === 0 ? r : kind === 1 ? 0 : kind === 2 ? 0x61 + (r % 26) : k % 8 < 5 ? r : 0;
    }
    i += run;
  }
  return out;
}

const reference = createReferencePrimeCandidateFinder();

describe('prime-candidate kernel against the reference filter', () => {
  const cases: { seed: number; length: number; query: CandidateQuery; from: number; to: number }[] = [];
  for (let seed = 1; seed <= 6; seed++) {
    for (const primeLength of [64, 128, 63, 192]) {
      cases.push({ seed, length: 6000 + seed * 37, query: { primeLength, base: seed * 3 }, from: seed, to: 5000 + seed });
    }
  }
  it.each(cases)('seed $seed, L $query.primeLength, base $query.base', ({ seed, length, query, from, to }) => {
    const bytes = mixedBytes(seed, length);
    const expected = reference.find(bytes, from, to, query);
    expect(expected.length).toBeGreaterThan(0);
    expect(createWasmPrimeCandidateFinder(wasmModule).find(bytes, from, to, query)).toEqual(expected);
    // A tiny output buffer makes the kernel stop and resume many times: same answer.
    expect(createWasmPrimeCandidateFinder(wasmModule, 3).find(bytes, from, to, query)).toEqual(expected);
  });

  it('reports all three layouts, and only the ones asked for', () => {
    const bytes = mixedBytes(99, 20000);
    const query: CandidateQuery = { primeLength: 128, base: 0 };
    const all = createWasmPrimeCandidateFinder(wasmModule).find(bytes, 0, bytes.length, query);
    for (const layout of ['bignum-le', 'bignum-be', 'java-int-array'] as const) {
      expect(all.some((c) => c.layout === layout), layout).toBe(true);
    }
    const beOnly = createWasmPrimeCandidateFinder(wasmModule).find(bytes, 0, bytes.length, { ...query, layouts: ['bignum-be'] });
    expect(beOnly).toEqual(all.filter((c) => c.layout === 'bignum-be'));
  });

  it('every candidate passes each filter, and alignment follows the file offset', () => {
    const bytes = mixedBytes(7, 30000);
    const base = 5;
    for (const c of createWasmPrimeCandidateFinder(wasmModule).find(bytes, 0, bytes.length, { primeLength: 128, base })) {
      const v = candidateValue(bytes, c.pos, 128, c.layout);
      expect(v >> 1023n, 'top bit').toBe(1n);
      expect(v & 1n, 'odd').toBe(1n);
      for (const small of [3n, 29n, 31n, 47n, 53n, 71n, 73n, 97n]) expect(v % small, `divisible by ${small}`).not.toBe(0n);
      expect(new Set(bytes.subarray(c.pos, c.pos + 128)).size).toBeGreaterThanOrEqual(64);
      if (c.layout === 'bignum-le') expect((base + c.pos) % 8).toBe(0);
      if (c.layout === 'java-int-array') expect((base + c.pos) % 4).toBe(0);
    }
  });

  it('stops at `max`, and reports nothing for windows that do not fit', () => {
    const bytes = mixedBytes(3, 8000);
    const query: CandidateQuery = { primeLength: 128, base: 0 };
    const all = reference.find(bytes, 0, bytes.length, query);
    expect(createWasmPrimeCandidateFinder(wasmModule).find(bytes, 0, bytes.length, query, 5)).toEqual(all.slice(0, 5));
    expect(createWasmPrimeCandidateFinder(wasmModule).find(bytes.subarray(0, 127), 0, 127, query)).toEqual([]);
  });

  it('candidateValue reads each layout as its definition says, at odd offsets and odd lengths', () => {
    const bytes = mixedBytes(11, 600);
    const hex = (b: number[]) => BigInt('0x' + b.map((x) => x.toString(16).padStart(2, '0')).join(''));
    for (const [pos, L] of [[3, 128], [8, 64], [5, 63], [1, 192]] as const) {
      const w = [...bytes.subarray(pos, pos + L)];
      expect(candidateValue(bytes, pos, L, 'bignum-be'), `BE ${pos} ${L}`).toBe(hex(w));
      expect(candidateValue(bytes, pos, L, 'bignum-le'), `LE ${pos} ${L}`).toBe(hex([...w].reverse()));
      if (L % 4 === 0) {
        const java = w.flatMap((_, i) => (i % 4 === 0 ? w.slice(i, i + 4).reverse() : []));
        expect(candidateValue(bytes, pos, L, 'java-int-array'), `Java ${pos} ${L}`).toBe(hex(java));
      }
    }
  });

  it('the distinct threshold is 64 for 128-byte primes and scales with the length', () => {
    expect(minDistinctFor(128)).toBe(64);
    expect(minDistinctFor(64)).toBeLessThan(64);
    expect(minDistinctFor(256)).toBeGreaterThan(64);
  });
});
