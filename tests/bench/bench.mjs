#!/usr/bin/env node
// `npm run bench`: throughput and peak memory of `dumpscrub scan` and `sanitize` on a generated,
// realistic dump, side by side with peers from Debian (rsakeyfind, aeskeyfind, yara) when they are
// installed. Each command runs several times; medians are reported, and ratios against the peers.
// Not a test: nothing here passes or fails on timing.
//
//   npm run bench [-- --size-mib 512 --runs 5]
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, rmSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { 'size-mib': { type: 'string', default: '512' }, runs: { type: 'string', default: '5' } } });
const sizeMiB = Number(values['size-mib']);
const runs = Number(values.runs);
const MiB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'dumpscrub-bench-'));
const dump = join(dir, 'bench.core');

/**
 * A dump-like mix per MiB: a quarter zero pages, a quarter pointer tables (8-byte words sharing
 * their top bytes), a quarter ASCII/UTF-16 text, a quarter random (compressed or encrypted data);
 * private keys in several text forms planted every 64 MiB.
 */
function generate() {
  const fd = openSync(dump, 'w');
  const text = Buffer.from('GET /api/v1/items?id=42 HTTP/1.1\r\nHost: example.internal\r\nUser-Agent: bench\r\n\r\n'.repeat(3300)).subarray(0, MiB / 8);
  const wide = Buffer.from(text.subarray(0, MiB / 16).toString('latin1'), 'utf16le');
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  for (let m = 0; m < sizeMiB; m++) {
    const block = Buffer.alloc(MiB);
    for (let i = MiB / 4; i < MiB / 2; i += 8) block.writeBigUInt64LE(0x00007f0000000000n | BigInt(Math.floor(Math.random() * 2 ** 32)), i);
    text.copy(block, MiB / 2);
    wide.copy(block, MiB / 2 + text.length);
    randomBytes(MiB / 4).copy(block, (3 * MiB) / 4);
    if (m % 64 === 32) Buffer.from(pem, m % 128 === 32 ? 'latin1' : 'utf16le').copy(block, 4097);
    writeSync(fd, block);
  }
  closeSync(fd);
}

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
  console.log(`generating a ${sizeMiB} MiB dump …`);
  generate();
  const bin = new URL('../../bin/dumpscrub.js', import.meta.url).pathname;
  const rows = [];
  const add = (name, m) => rows.push({ name, ...m, mbps: (sizeMiB * MiB) / 1e6 / m.seconds });
  add('dumpscrub scan', measure(process.execPath, [bin, 'scan', dump]));
  add('dumpscrub sanitize (scan+write+verify)', measure(process.execPath, [bin, 'sanitize', dump, '-o', join(dir, 'out.core')]));
  add('dumpscrub sanitize --no-verify', measure(process.execPath, [bin, 'sanitize', dump, '-o', join(dir, 'out2.core'), '--no-verify']));
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
} finally {
  rmSync(dir, { recursive: true, force: true });
}
