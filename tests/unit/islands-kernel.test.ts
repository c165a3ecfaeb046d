import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createReferenceIslandFinder, createWasmIslandFinder, type IslandFinder } from '../../src/wasm/island-finder.ts';
import { CORPUS } from '../fixtures/dump-checks.ts';
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

  it('matches the reference on every public corpus file (up to 3 slices of 64 KiB each)', () => {
    const names = readdirSync(CORPUS).filter((n) => n !== 'SOURCES.md');
    expect(names.length).toBeGreaterThan(20);
    let total = 0;
    for (const name of names) {
      const file = new Uint8Array(readFileSync(join(CORPUS, name)));
      const slice = 64 * 1024;
      const starts = file.length <= 3 * slice ? [0] : [0, (file.length >> 1) & ~7, file.length - slice];
      for (const start of starts) {
        const bytes = starts.length === 1 ? file : file.subarray(start, start + slice);
        const expected = reference.find(bytes, 0, bytes.length, start % 8);
        total += expected.length;
        expect(wasm.find(bytes, 0, bytes.length, start % 8), `${name} at ${start}`).toEqual(expected);
      }
    }
    expect(total).toBeGreaterThan(500);
  });

  it('matches the reference on dump-like segments: long random runs, gaps, pointer tables, text', () => {
    let total = 0;
    for (let seed = 1; seed <= 16; seed++) {
      const bytes = segments(seed, 24000);
      const expected = reference.find(bytes, 0, bytes.length, seed % 8);
      total += expected.length;
      expect(wasm.find(bytes, 0, bytes.length, seed % 8), `seed ${seed}`).toEqual(expected);
    }
    expect(total).toBeGreaterThan(30);
  });

  it('matches the reference where a run too long to be an island ends: at every gap and tail', () => {
    // The kernel follows such a run 64 bytes at a time. Its exact end decides whether the key after
    // it shares its cluster (gap < 64) and whether that cluster is an ocean (> 4096 bytes).
    for (const run of [1350, 3990, 4030, 5003]) {
      for (const tail of [0, 29, 63]) {
        const random = randomBytes(run);
        const key = randomBytes(32);
        for (let gap = 40; gap <= 90; gap++) {
          const bytes = new Uint8Array(100 + run + tail + gap + 32 + 100);
          bytes.set(random, 100);
          for (let i = 0; i < tail; i++) bytes[100 + run + i] = Math.floor(i * 0.8); // only 64-byte windows stay high
          bytes.set(key, 100 + run + tail + gap);
          const expected = reference.find(bytes, 0, bytes.length, 0);
          expect(wasm.find(bytes, 0, bytes.length, 0), `run ${run} tail ${tail} gap ${gap}`).toEqual(expected);
        }
      }
    }
  });

  it('matches the reference where an ocean of text ends: at every gap before the next key', () => {
    // Text joins into an ocean of short runs that the kernel follows by hops of up to 63 bytes past
    // the run; where the last run ends decides whether the key after it is absorbed.
    const next = rng(11);
    const outcomes = new Set<number>();
    // Varied enough that high 16-byte windows come 1 to ~75 bytes apart.
    const words = ['GET', '/api/v1/', 'items?id=42', 'Host:', 'example.org', 'User-Agent:', 'Mozilla/5.0', 'charset=utf-8'];
    words.push('Content-Type:', 'quick', 'brown', 'fox', 'jumps', 'lazy', 'dog', '\r\n', '    ', '0000');
    for (const length of [4100, 4500, 7000]) {
      let text = '';
      while (text.length < length) text += words[Math.floor(next() * words.length)]! + (next() < 0.5 ? ' ' : '');
      const key = randomBytes(32);
      const burst = randomBytes(16);
      for (const burstAt of [-1, 9]) {
        for (let gap = 40; gap <= 90; gap++) {
          const bytes = new Uint8Array(100 + length + gap + 32 + 100);
          bytes.set(Buffer.from(text.slice(0, length), 'latin1'), 100);
          // A short run between ocean and key, which a hop straight to the key would skip.
          if (burstAt >= 0) bytes.set(burst, 100 + length + burstAt);
          bytes.set(key, 100 + length + gap);
          const expected = reference.find(bytes, 0, bytes.length, 0);
          outcomes.add(expected.length);
          expect(wasm.find(bytes, 0, bytes.length, 0), `text ${length} burst ${burstAt} gap ${gap}`).toEqual(expected);
        }
      }
    }
    expect([outcomes.has(0), outcomes.has(1)]).toEqual([true, true]); // some keys are absorbed, some not
  });
});

/**
 * Dump-like bytes from a seed, in segments: zeros, user pointers (two or three zero bytes each),
 * small integers, ASCII and UTF-16 text, bytes of moderate entropy, and random blobs from key size
 * to beyond an ocean.
 */
function segments(seed: number, length: number): Uint8Array {
  const next = rng(seed);
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  const text = 'the quick brown fox jumps over a lazy dog; GET /api/v1/items?id=42 HTTP/1.1 Host: example ';
  let at = 0;
  while (at + 8 <= length) {
    const pick = Math.floor(next() * 7);
    const words8 = pick === 6 && next() < 0.3 ? 700 : 60; // some random blobs exceed an ocean
    const size = Math.min(length - at, 8 * (1 + Math.floor(next() * words8)));
    for (let k = 0; k + 8 <= size; k += 8) {
      const w = at + k;
      if (pick === 1) view.setBigUint64(w, 0x7f0000000000n + BigInt(Math.floor(next() * 2 ** 40)), true);
      else if (pick === 2) view.setBigUint64(w, BigInt(Math.floor(next() * 4000)), true);
      else if (pick === 3) for (let i = 0; i < 8; i++) out[w + i] = text.charCodeAt((w + i) % text.length);
      else if (pick === 4) for (let i = 0; i < 8; i += 2) out[w + i] = text.charCodeAt(((w + i) >> 1) % text.length);
      else if (pick === 5) for (let i = 0; i < 8; i++) out[w + i] = Math.floor((w + i) * 0.8 + next() * 4);
      else if (pick === 6) for (let i = 0; i < 8; i++) out[w + i] = Math.floor(next() * 256);
    }
    at += size;
  }
  return out;
}
