#!/usr/bin/env node
// Throughput of the entropy-island kernel alone (core.wasm's findIslands), single thread, on
// generated 16 MiB buffers (the bench's dump-like mix, pure random, zeros) and on corpus files.
// Not a test: nothing here passes or fails. Prints MB/s (median of runs, by CPU time) and the island count with
// a checksum of the islands, so a kernel change that alters output shows up beside its speed.
//
//   npm run asbuild && node tests/bench/islands.mjs [--runs 5] [--corpus /work/shared/corpus/public] [--wasm other.wasm]
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, corpus: { type: 'string' }, wasm: { type: 'string' } } });
const runs = Number(values.runs);
const MiB = 1024 * 1024;

const module = new WebAssembly.Module(readFileSync(values.wasm ?? new URL('../../src/wasm/core.wasm', import.meta.url)));
const kernel = new WebAssembly.Instance(module, {}).exports;

const TEXT = 'GET /api/v1/items?id=42 HTTP/1.1\r\nHost: example.internal\r\nUser-Agent: bench\r\n\r\n';

/** The bench's per-MiB mix: a quarter each of zeros, user pointers, ASCII/UTF-16 text, random. */
function mix(sizeMiB) {
  const text = Buffer.from(TEXT.repeat(3300)).subarray(0, MiB / 8);
  const wide = Buffer.from(text.subarray(0, MiB / 16).toString('latin1'), 'utf16le');
  const out = Buffer.alloc(sizeMiB * MiB);
  for (let m = 0; m < sizeMiB; m++) {
    const block = out.subarray(m * MiB, (m + 1) * MiB);
    for (let i = MiB / 4; i < MiB / 2; i += 8) block.writeBigUInt64LE(0x00007f0000000000n | BigInt(Math.floor(Math.random() * 2 ** 32)), i);
    text.copy(block, MiB / 2);
    wide.copy(block, MiB / 2 + text.length);
    randomBytes(MiB / 4).copy(block, (3 * MiB) / 4);
  }
  return out;
}

/** Median MB/s of findIslands over the whole buffer, and its islands' count and checksum. */
function time(bytes) {
  const input = kernel.alloc(bytes.length) >>> 0;
  const cap = Math.floor(bytes.length / 16) + 1;
  const out = kernel.alloc(8 * cap) >>> 0;
  new Uint8Array(kernel.memory.buffer, input, bytes.length).set(bytes);
  const seconds = [];
  let count = 0;
  for (let r = 0; r < runs; r++) {
    // CPU time, not wall time: the machine is shared, and the kernel runs on this one thread.
    const t0 = process.cpuUsage();
    count = kernel.findIslands(input, bytes.length, 0, bytes.length, 0, out, cap) >>> 0;
    const t = process.cpuUsage(t0);
    seconds.push((t.user + t.system) / 1e6);
  }
  const raw = new Uint32Array(kernel.memory.buffer, out, count * 2);
  let sum = 0;
  for (const v of raw) sum = (Math.imul(sum, 31) + v) >>> 0;
  const median = seconds.sort((a, b) => a - b)[Math.floor(runs / 2)];
  return { mbps: bytes.length / 1e6 / median, count, sum };
}

const report = (name, bytes) => {
  const { mbps, count, sum } = time(bytes);
  console.log(`${name.padEnd(34)} ${(bytes.length / MiB).toFixed(2).padStart(7)} MiB ${mbps.toFixed(0).padStart(6)} MB/s  islands ${count} #${sum.toString(16)}`);
};

report('mix (zeros/pointers/text/random)', mix(16));
report('random', randomBytes(16 * MiB));
report('ascii text', Buffer.from(TEXT.repeat((16 * MiB) / TEXT.length)));
report('utf-16 text', Buffer.from(TEXT.repeat((8 * MiB) / TEXT.length), 'utf16le'));
const pointers = Buffer.alloc(16 * MiB);
for (let i = 0; i < pointers.length; i += 8) pointers.writeBigUInt64LE(0x00007f0000000000n | BigInt(Math.floor(Math.random() * 2 ** 40)), i);
report('pointers (0x7fxx_xxxx_xxxx)', pointers);
report('zeros', new Uint8Array(16 * MiB));
if (values.corpus) {
  for (const name of readdirSync(values.corpus).sort()) {
    const bytes = readFileSync(join(values.corpus, name));
    if (bytes.length >= 64 * 1024) report(name, bytes);
  }
}
