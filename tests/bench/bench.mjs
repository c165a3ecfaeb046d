#!/usr/bin/env node
// `npm run bench`: throughput and peak memory of `dumpscrub scan` and `sanitize` on a generated,
// realistic dump, side by side with peers from Debian (rsakeyfind, aeskeyfind, yara) when they are
// installed. Each command runs several times; medians are reported, and ratios against the peers.
// Not a test: nothing here passes or fails on timing.
//
//   npm run bench [-- --size-mib 512 --runs 5]
import { spawnSync } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, rmSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MiB, PLANT_AT, mixBlock } from './dump-mix.mjs';

const { values } = parseArgs({ options: { 'size-mib': { type: 'string', default: '512' }, runs: { type: 'string', default: '5' } } });
const sizeMiB = Number(values['size-mib']);
const runs = Number(values.runs);
const dir = mkdtempSync(join(tmpdir(), 'dumpscrub-bench-'));
const dump = join(dir, 'bench.core');

/**
 * The dump-like mix (dump-mix.mjs), with private keys in several text forms planted every 64 MiB.
 * Variants add what triggers the bounded searches: certificates whose keys are absent (the prime
 * search runs over the whole dump) and HS256 tokens whose keys are absent (the HMAC-key search).
 */
function generate(path, extra = () => null) {
  const fd = openSync(path, 'w');
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  for (let m = 0; m < sizeMiB; m++) {
    const block = mixBlock();
    if (m % 64 === 32) Buffer.from(pem, m % 128 === 32 ? 'latin1' : 'utf16le').copy(block, 4097);
    extra(m)?.copy(block, PLANT_AT);
    writeSync(fd, block);
  }
  closeSync(fd);
}

/** Every 32 MiB, the SPKI of an RSA-2048 key that is nowhere else in the dump. */
const certificates = (m) =>
  m % 32 === 16 ? generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }) : null;

/** Every 16 MiB, an HS256 JWT whose key is nowhere in the dump. */
const hs256Tokens = (m) => {
  if (m % 16 !== 8) return null;
  const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: `user-${m}`, iat: 1700000000 + m })}`;
  return Buffer.from(`${input}.${createHmac('sha256', randomBytes(32)).update(input).digest('base64url')}`);
};

const haveTime = existsSync('/usr/bin/time');
/** Runs a command `runs` times; median wall seconds and median peak RSS (MiB, via /usr/bin/time). */
function measure(cmd, args) {
  const times = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    const full = haveTime ? ['/usr/bin/time', ['-f', '%M', cmd, ...args]] : [cmd, args];
    const t0 = process.hrtime.bigint();
    const r = spawnSync(full[0], full[1], { encoding: 'utf8', maxBuffer: 256 * MiB });
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (haveTime) rss.push(Number(r.stderr.trim().split('\n').pop()) / 1024);
    if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 300)}`);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { seconds: median(times), rssMiB: rss.length ? median(rss) : null };
}

const which = (name) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;

try {
  console.log(`generating ${sizeMiB} MiB dumps …`);
  generate(dump);
  const withCerts = join(dir, 'certs.core');
  generate(withCerts, certificates);
  const withTokens = join(dir, 'tokens.core');
  generate(withTokens, hs256Tokens);
  const bin = new URL('../../bin/dumpscrub.js', import.meta.url).pathname;
  const rows = [];
  const add = (name, m) => rows.push({ name, ...m, mbps: (sizeMiB * MiB) / 1e6 / m.seconds });
  add('dumpscrub scan', measure(process.execPath, [bin, 'scan', dump]));
  add('dumpscrub sanitize (scan+write+verify)', measure(process.execPath, [bin, 'sanitize', dump, '-o', join(dir, 'out.core')]));
  add('dumpscrub sanitize --no-verify', measure(process.execPath, [bin, 'sanitize', dump, '-o', join(dir, 'out2.core'), '--no-verify']));
  add(`dumpscrub scan + prime search (${Math.ceil(sizeMiB / 32)} moduli, no key)`, measure(process.execPath, [bin, 'scan', withCerts]));
  add(`dumpscrub scan + HMAC-key search (${Math.ceil(sizeMiB / 16)} HS256 JWTs, no key)`, measure(process.execPath, [bin, 'scan', withTokens]));
  if (which('rsakeyfind')) add('rsakeyfind (DER RSA keys)', measure('rsakeyfind', [dump]));
  if (which('aeskeyfind')) add('aeskeyfind (AES schedules)', measure('aeskeyfind', ['-q', dump]));
  if (which('yara')) {
    const rule = join(dir, 'pem.yar');
    writeFileSync(rule, 'rule pem { strings: $a = "-----BEGIN " ascii wide condition: $a }\n');
    add('yara (PEM header, ascii+wide)', measure('yara', ['-s', rule, dump]));
  }
  const base = rows[0];
  console.log(`\n${sizeMiB} MiB generated dump, median of ${runs} runs, ${process.env.CI ? 'CI' : 'local'} machine\n`);
  console.log('| command | median s | MB/s | peak RSS MiB | time vs dumpscrub scan |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.seconds.toFixed(2)} | ${r.mbps.toFixed(0)} | ${r.rssMiB?.toFixed(0) ?? 'n/a'} | ${(r.seconds / base.seconds).toFixed(2)}× |`);
  }
  const missing = ['rsakeyfind', 'aeskeyfind', 'yara'].filter((p) => !which(p));
  if (missing.length) console.log(`\n(peers not installed: ${missing.join(', ')}; apt-get install ${missing.join(' ')})`);
  // The cost of each pass alone, in one process (needs the TypeScript sources, hence vitest).
  const passes = spawnSync('npx', ['vitest', 'run', '-c', 'tests/bench/vitest.measure.config.ts', 'tests/bench/passes.measure.ts'], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_MIB: String(Math.min(sizeMiB, 64)), BENCH_RUNS: String(runs) },
  });
  if (passes.status !== 0) throw new Error('the pass-cost measurement failed');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
