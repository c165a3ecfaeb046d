/**
 * Prime-search throughput (detectors.md §4.3): candidates/s and MB/s of the whole search (kernel +
 * BigInt division) on random bytes (the filters' worst case) and on real corpus files, with 1 and
 * 20 moduli. Prints figures; asserts only that the planted prime is found. Run with
 * `npx vitest run -c tests/bench/vitest.measure.config.ts` (PRIME_MIB sets the random size, default 64).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import type { RsaPublicKey } from '../../src/engine/harvest/public-key.ts';
import { createPrimeSearch, type PrimeSearch } from '../../src/engine/primes/prime-search.ts';
import { makeWindow, windowRange } from '../../src/engine/window.ts';
import { createWasmPrimeCandidateFinder } from '../../src/wasm/prime-candidates.ts';
import { big, leFixed, rsaParts } from '../fixtures/binary-keys.ts';

const CHUNK = 16 * 1024 * 1024;
const MIB = Number(process.env.PRIME_MIB ?? 64);
const CORPUS = new URL('../../../../shared/corpus/public/', import.meta.url);

const keys = Array.from({ length: 20 }, () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
const moduli: RsaPublicKey[] = keys.map((k) => ({ n: big(rsaParts(k).n), e: 65537n, source: 'bench' }));

function run(search: PrimeSearch, file: Uint8Array, mods: readonly RsaPublicKey[]) {
  const t0 = performance.now();
  let tested = 0;
  let found = 0;
  for (let start = 0; start < file.length; start += CHUNK) {
    const end = Math.min(file.length, start + CHUNK);
    const { from, to } = windowRange(start, end, file.length);
    found += search(makeWindow(file.subarray(from, to), from, start, end, file.length), mods).length;
    tested += search.last.tested;
  }
  const s = (performance.now() - t0) / 1000;
  return { seconds: s.toFixed(2), candidates: tested, candidatesPerSecond: Math.round(tested / s), mbPerSecond: (file.length / 2 ** 20 / s).toFixed(1), found };
}

function kernelOnly(module: WebAssembly.Module, file: Uint8Array) {
  const finder = createWasmPrimeCandidateFinder(module);
  const t0 = performance.now();
  let n = 0;
  for (let start = 0; start < file.length; start += CHUNK) {
    n += finder.find(file, start, Math.min(file.length, start + CHUNK), { primeLength: 128, base: 0 }).length;
  }
  const s = (performance.now() - t0) / 1000;
  return { candidates: n, mbPerSecond: (file.length / 2 ** 20 / s).toFixed(1) };
}

it('prime search throughput', async () => {
  const module = await WebAssembly.compile(await readFile(new URL('../../src/wasm/core.wasm', import.meta.url)));
  const search = createPrimeSearch(module, { maxCandidates: Infinity });
  const random = randomBytes(MIB * 2 ** 20);
  // One planted prime (LE limbs, 8-aligned) so the figures include a hit.
  leFixed(rsaParts(keys[0]!).p, 128).copy(random, 8 * 1000);
  console.log(`random ${MIB} MiB, kernel only`, kernelOnly(module, random));
  const one = run(search, random, moduli.slice(0, 1));
  console.log(`random ${MIB} MiB, 1 modulus`, one);
  expect(one.found).toBe(1);
  const slice = random.subarray(0, Math.min(random.length, 8 * 2 ** 20));
  console.log(`random ${slice.length / 2 ** 20} MiB, 20 moduli`, run(search, slice, moduli));

  for (const name of ['eu-ppc64-be.core', 'pyhprof-example-java.hprof', 'bp-stack-exhaustion.dmp', 'eu-aarch64.core']) {
    const file = new Uint8Array(await readFile(new URL(name, CORPUS)));
    console.log(name, `${(file.length / 2 ** 20).toFixed(2)} MiB`, '1 modulus', run(search, file, moduli.slice(0, 1)), '20 moduli', run(search, file, moduli));
  }
});
