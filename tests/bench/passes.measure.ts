/**
 * The cost of each scanning pass alone, in this process, on the bench's dump-like mix
 * (dump-mix.mjs): the anchor detectors, the AES-schedule kernel, the entropy-island kernel, the
 * prime search (1 and 20 moduli), the HMAC-key search per HS256 token, and the partial-copy sweep.
 * Medians of RUNS; one thread (the CLI spreads chunks over a worker per core). Prints a table and
 * asserts nothing about time. `npm run bench` runs it after the end-to-end figures;
 * BENCH_MIB (default 64) and BENCH_RUNS (default 3) size it.
 */
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { it } from 'vitest';
import { createAesScheduleScanner } from '../../src/engine/detectors/binary/aes-schedule.ts';
import { createEntropyIslandScanner } from '../../src/engine/detectors/entropy-islands.ts';
import { jwt } from '../../src/engine/detectors/jose/jwt.ts';
import { binaryKeyDetectors } from '../../src/engine/detectors/binary/index.ts';
import { textKeyDetectors } from '../../src/engine/detectors/registry.ts';
import type { RsaPublicKey } from '../../src/engine/harvest/public-key.ts';
import { createPrimeSearch } from '../../src/engine/primes/prime-search.ts';
import { compileDetectors, scanWindow } from '../../src/engine/scan.ts';
import { createShingleSweep } from '../../src/engine/sweep/shingles.ts';
import type { RsaSecret } from '../../src/engine/sweep/secret.ts';
import { makeWindow, windowRange, type ScanWindow } from '../../src/engine/window.ts';
import { createWasmAnchorFinder } from '../../src/wasm/anchor-finder.ts';
import { big, rsaParts } from '../fixtures/binary-keys.ts';
import { MiB, PLANT_AT, mixBlock } from './dump-mix.mjs';

const SIZE_MIB = Number(process.env.BENCH_MIB ?? 64);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CHUNK = 16 * MiB;

function windows(file: Uint8Array): ScanWindow[] {
  const out: ScanWindow[] = [];
  for (let start = 0; start < file.length; start += CHUNK) {
    const end = Math.min(file.length, start + CHUNK);
    const { from, to } = windowRange(start, end, file.length);
    out.push(makeWindow(file.subarray(from, to), from, start, end, file.length));
  }
  return out;
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/** Median seconds of `pass` over every window of the file. */
function time(wins: readonly ScanWindow[], pass: (win: ScanWindow) => unknown): number {
  const runs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    for (const win of wins) pass(win);
    runs.push((performance.now() - t0) / 1000);
  }
  return median(runs);
}

function hs256(key: Uint8Array, sub: string): Buffer {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, iat: 1700000000 })}`;
  return Buffer.from(`${input}.${createHmac('sha256', key).update(input).digest('base64url')}`);
}

it('pass costs on the bench mix', async () => {
  const kernel = await WebAssembly.compile(await readFile(new URL('../../src/wasm/core.wasm', import.meta.url)));
  const file = Buffer.concat(Array.from({ length: SIZE_MIB }, () => mixBlock()));
  const wins = windows(file);
  const rows: { pass: string; seconds: number; note: string }[] = [];
  const add = (pass: string, seconds: number, note = '') => rows.push({ pass, seconds, note });

  // The engine's two anchor sets (text, bytes), each one kernel pass.
  for (const [name, detectors] of [['text', textKeyDetectors], ['binary', binaryKeyDetectors]] as const) {
    const set = compileDetectors(detectors);
    const finder = createWasmAnchorFinder(kernel, set.anchors);
    add(`${name} detectors (${set.anchors.length} anchors)`, time(wins, (w) => scanWindow(w, finder, set)));
  }
  const aes = createAesScheduleScanner(kernel);
  add('AES key schedules (18 layouts)', time(wins, (w) => aes.scan(w)));
  const islands = createEntropyIslandScanner(kernel);
  add('entropy islands', time(wins, (w) => islands.scan(w)));

  const keys = Array.from({ length: 20 }, () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
  const moduli: RsaPublicKey[] = keys.map((k) => ({ n: big(rsaParts(k).n), e: 65537n, source: 'bench' }));
  const primes = createPrimeSearch(kernel);
  for (const count of [1, 20]) {
    let tested = 0;
    const seconds = time(wins, (w) => {
      primes(w, moduli.slice(0, count));
      tested += primes.last.tested;
    });
    add(`prime search, ${count} modul${count === 1 ? 'us' : 'i'}`, seconds, `${Math.round(tested / RUNS)} candidates divided`);
  }

  const parts = rsaParts(keys[0]!);
  const secret: RsaSecret = {
    kind: 'rsa-private-key', fingerprint: 'bench', n: big(parts.n), e: 65537n, d: big(parts.d),
    p: big(parts.p), q: big(parts.q), dp: big(parts.dp), dq: big(parts.dq), qi: big(parts.qi),
  };
  const shingles = createShingleSweep(kernel);
  add('partial copies (one RSA key)', time(wins, (w) => shingles(w, [secret], 'bench')));

  // One HS256 token per MiB whose key is nowhere: each search runs to its cap or its radius.
  const tokens = Buffer.from(file);
  const perMiB = Math.max(1, Math.floor(SIZE_MIB / 16));
  for (let m = 0; m < SIZE_MIB; m += 16) hs256(randomBytes(32), `user-${m}`).copy(tokens, m * MiB + PLANT_AT);
  const set1 = compileDetectors([jwt]);
  const finder1 = createWasmAnchorFinder(kernel, set1.anchors);
  const jwtSeconds = time(windows(tokens), (w) => scanWindow(w, finder1, set1));
  add(`HMAC-key search (${perMiB} HS256 tokens, key absent)`, jwtSeconds, `${((jwtSeconds / perMiB) * 1000).toFixed(0)} ms per token, incl. the jwt detector's own pass`);

  console.log(`\nPass costs, ${SIZE_MIB} MiB of the bench mix, one thread, median of ${RUNS}\n`);
  console.log('| pass | median s | MB/s | note |');
  console.log('| --- | ---: | ---: | --- |');
  for (const r of rows) console.log(`| ${r.pass} | ${r.seconds.toFixed(2)} | ${(file.length / 1e6 / r.seconds).toFixed(0)} | ${r.note} |`);
});
