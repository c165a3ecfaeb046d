import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { createReferenceIslandFinder, createWasmIslandFinder, type IslandFinder } from '../../src/wasm/island-finder.ts';
import { rng } from '../fixtures/random.ts';

let wasm: IslandFinder;
const reference = createReferenceIslandFinder();

beforeAll(async () => {
  wasm = createWasmIslandFinder(await WebAssembly.compile(await readFile(new URL('../../src/wasm/core.wasm', import.meta.url))));
});

/** Heap-like bytes from a seed: zero runs, small integers, user pointers, and random blobs of key sizes. */
function heapLike(seed: number, length: number): Uint8Array {
  const next = rng(seed);
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  let at = 0;
  while (at + 8 <= length) {
    const pick = next();
    if (pick < 0.35) {
      at += 8 * (1 + Math.floor(next() * 6)); // zeros
    } else if (pick < 0.6) {
      view.setBigUint64(at, BigInt(Math.floor(next() * 300)), true);
      at += 8;
    } else if (pick < 0.85) {
      view.setBigUint64(at, 0x7f0000000000n + BigInt(Math.floor(next() * 2 ** 40)), true);
      at += 8;
    } else {
      const size = [8, 12, 16, 20, 24, 32, 48, 64, 100, 200][Math.floor(next() * 10)]!;
      for (let k = 0; k < size && at < length; k++) out[at++] = Math.floor(next() * 256);
    }
  }
  return out;
}

describe('island kernel', () => {
  it('matches the reference on seeded heap-like buffers, ranges and phases', () => {
    let total = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const bytes = heapLike(seed, 3000 + seed * 97);
      const from = seed % 3 === 0 ? 0 : seed * 31;
      const to = seed % 4 === 0 ? bytes.length : bytes.length - seed * 17;
      const phase = seed % 8;
      const expected = reference.find(bytes, from, to, phase);
      total += expected.length;
      expect(wasm.find(bytes, from, to, phase), `seed ${seed}`).toEqual(expected);
    }
    expect(total).toBeGreaterThan(20); // the buffers do exercise islands
  });

  it('matches the reference on random runs of every length around the ocean limit', () => {
    for (const run of [15, 16, 17, 40, 1279, 1281, 4090, 4200]) {
      const bytes = new Uint8Array(run + 600);
      bytes.set(randomBytes(run), 300);
      expect(wasm.find(bytes, 0, bytes.length, 0), `run ${run}`).toEqual(reference.find(bytes, 0, bytes.length, 0));
    }
  });

  it('handles buffers shorter than a window and empty ranges', () => {
    for (const bytes of [new Uint8Array(0), randomBytes(10), randomBytes(16), randomBytes(40)]) {
      expect(wasm.find(bytes, 0, bytes.length, 0)).toEqual(reference.find(bytes, 0, bytes.length, 0));
    }
    const bytes = heapLike(7, 2000);
    expect(wasm.find(bytes, 500, 500, 0)).toEqual([]);
  });

  it('reports only islands starting in [from, to), the same ones a whole-buffer call reports', () => {
    const bytes = heapLike(99, 20000);
    const all = wasm.find(bytes, 0, bytes.length, 0);
    const cut = 10000;
    const parts = [...wasm.find(bytes, 0, cut, 0), ...wasm.find(bytes, cut, bytes.length, 0)];
    expect(parts).toEqual(all);
  });

  it('reuses its memory across calls of growing and shrinking size', () => {
    const small = heapLike(3, 5000);
    const big = heapLike(4, 200000);
    const first = wasm.find(small, 0, small.length, 0);
    wasm.find(big, 0, big.length, 0);
    expect(wasm.find(small, 0, small.length, 0)).toEqual(first);
  });
});
