import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createReferenceShingleFinder,
  createWasmShingleFinder,
  SHINGLE_BYTES,
  type ShingleFinder,
} from '../../src/wasm/shingle-finder.ts';
import { rng } from '../fixtures/random.ts';

let wasmModule: WebAssembly.Module;

beforeAll(async () => {
  wasmModule = await WebAssembly.compile(await readFile(new URL('../../src/wasm/core.wasm', import.meta.url)));
});

function randomBuffer(random: () => number, length: number, alphabet = 256): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (random() * alphabet) | 0;
  return out;
}

const finders = (needles: Uint8Array): { wasm: ShingleFinder; ref: ShingleFinder } => ({
  wasm: createWasmShingleFinder(wasmModule, needles),
  ref: createReferenceShingleFinder(needles),
});

const needleAt = (needles: Uint8Array, n: number) => needles.subarray(n * SHINGLE_BYTES, (n + 1) * SHINGLE_BYTES);

describe('shingle kernel vs reference', () => {
  it('finds needles planted at every offset modulo 8, at the very start and at the last possible position', () => {
    const random = rng(1);
    const needles = randomBuffer(random, 64 * SHINGLE_BYTES);
    const buffer = randomBuffer(random, 4099);
    const planted: number[] = [0];
    for (let at = 37; at + SHINGLE_BYTES < buffer.length - 40; at += 61) planted.push(at);
    planted.push(buffer.length - SHINGLE_BYTES);
    planted.forEach((at, i) => buffer.set(needleAt(needles, i % 64), at));

    const { wasm, ref } = finders(needles);
    const hits = wasm.find(buffer, 0, buffer.length);
    expect(hits).toEqual(ref.find(buffer, 0, buffer.length));
    expect(hits.map((h) => h.pos)).toEqual(planted);
    expect(new Set(planted.map((at) => at % 8)).size).toBe(8);
  });

  it('agrees on random needle sets, sub-ranges and buffers drawn from a small alphabet (many chains and near misses)', () => {
    const random = rng(2);
    for (let round = 0; round < 40; round++) {
      const alphabet = round % 2 ? 256 : 3;
      const count = 1 + ((random() * 300) | 0);
      const needles = randomBuffer(random, count * SHINGLE_BYTES, alphabet);
      // Needles sharing their first 8 (or last 8) bytes, and exact duplicates.
      for (let n = 1; n < count; n += 7) needles.copyWithin(n * SHINGLE_BYTES, (n - 1) * SHINGLE_BYTES, (n - 1) * SHINGLE_BYTES + 8);
      if (count > 3) needles.copyWithin(2 * SHINGLE_BYTES, 3 * SHINGLE_BYTES, 4 * SHINGLE_BYTES);
      const buffer = randomBuffer(random, 1 + ((random() * 3000) | 0), alphabet);
      for (let k = 0; k < 20; k++) {
        const at = (random() * (buffer.length - SHINGLE_BYTES + 1)) | 0;
        if (at >= 0 && buffer.length >= SHINGLE_BYTES) buffer.set(needleAt(needles, (random() * count) | 0), at);
      }
      const from = (random() * buffer.length) | 0;
      const to = from + ((random() * (buffer.length - from + 1)) | 0);
      const { wasm, ref } = finders(needles);
      expect(wasm.find(buffer, from, to), `round ${round}`).toEqual(ref.find(buffer, from, to));
      expect(wasm.find(buffer, 0, Infinity), `round ${round}`).toEqual(ref.find(buffer, 0, Infinity));
    }
  });

  it('resumes without loss or repeat when one call yields more hits than its output holds', () => {
    // 8 rotations of one 16-byte pattern: a periodic buffer holds one of them at every offset.
    const period = randomBuffer(rng(3), 8);
    const needles = new Uint8Array(8 * SHINGLE_BYTES);
    for (let r = 0; r < 8; r++) for (let i = 0; i < SHINGLE_BYTES; i++) needles[r * SHINGLE_BYTES + i] = period[(r + i) % 8]!;
    const buffer = new Uint8Array(20_000).map((_, i) => period[i % 8]!);
    const { wasm, ref } = finders(needles);
    const hits = wasm.find(buffer, 3, buffer.length);
    expect(hits.length).toBe(buffer.length - SHINGLE_BYTES + 1 - 3);
    expect(hits).toEqual(ref.find(buffer, 3, buffer.length));
  });

  it('finds nothing for 15 bytes of a needle, an empty range, a buffer shorter than a needle or no needles', () => {
    const needles = randomBytes(4 * SHINGLE_BYTES);
    const buffer = new Uint8Array(200);
    buffer.set(needles.subarray(0, 15), 50);
    buffer[65] = needles[15]! ^ 1;
    const { wasm } = finders(needles);
    expect(wasm.find(buffer, 0, buffer.length)).toEqual([]);
    expect(wasm.find(needles, 5, 5)).toEqual([]);
    expect(wasm.find(needles.subarray(0, 15), 0, 15)).toEqual([]);
    expect(createWasmShingleFinder(wasmModule, new Uint8Array(0)).find(needles, 0, needles.length)).toEqual([]);
    // Control: the needle itself is found, so the absent hits above are not a broken finder.
    expect(wasm.find(needles, 0, needles.length).map((h) => h.needle)).toEqual([0, 1, 2, 3]);
  });

  it('rejects a needle list that is not a whole number of needles', () => {
    expect(() => createWasmShingleFinder(wasmModule, new Uint8Array(17))).toThrow(/whole number/);
  });
});

describe('shingle kernel speed', () => {
  // A figure, not a timed test: the machine is shared, so the best of 3 runs is printed, by wall
  // clock and by this process's CPU time.
  it('reports MB/s on random data with 1 000 and 10 000 needles', () => {
    const buffer = randomBytes(32 << 20);
    for (const count of [1000, 10_000]) {
      const finder = createWasmShingleFinder(wasmModule, randomBytes(count * SHINGLE_BYTES));
      let wall = Infinity;
      let cpu = Infinity;
      for (let run = 0; run < 3; run++) {
        const cpuStart = process.cpuUsage();
        const started = performance.now();
        expect(finder.find(buffer, 0, buffer.length)).toEqual([]);
        wall = Math.min(wall, (performance.now() - started) / 1000);
        cpu = Math.min(cpu, process.cpuUsage(cpuStart).user / 1e6);
      }
      const mbps = (seconds: number) => (buffer.length / seconds / 1e6).toFixed(0);
      console.log(`shingle kernel, ${count} needles: ${mbps(wall)} MB/s wall, ${mbps(cpu)} MB/s CPU time`);
    }
  });
});
