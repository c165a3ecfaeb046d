/**
 * Acceptance on a real core: a live Node process holding an RSA private key (as a JS string and a
 * Buffer) is dumped with gcore, sanitized by the built CLI, and the key must be gone while gdb
 * still sees the same threads, backtraces and registers in the sanitized core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openAsBlob, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aesKeyFingerprint } from '../../../src/engine/detectors/binary/aes-schedule.ts';
import { parseDump, regionAt } from '../../../src/engine/formats/dump-map.ts';
import type { Manifest } from '../../../src/engine/manifest-types.ts';
import { blobSource } from '../../../src/engine/source.ts';
import { dumpscrub, ensureCliBuilt } from '../../fixtures/cli.ts';
import { MEMORY_KINDS, entriesAt, occurrences, pemBodyLines, vaPlus } from '../../fixtures/dump-checks.ts';
import { expectSameUnderGdb, gcoreOf, missingTools } from '../../fixtures/gcore.ts';
import { valueEncodings } from '../../fixtures/oracle.ts';

const missing = missingTools('gcore', 'gdb');

/**
 * Generates an RSA and an EC key and keeps them as KeyObjects (OpenSSL holds their values as
 * little-endian bignum limbs), strings and a Buffer, and holds three AES cipher contexts (OpenSSL
 * keeps their expanded schedules: AES-256-GCM and AES-128-CBC encryption, AES-192-CBC decryption);
 * prints the JWK and AES keys on one line, then the PEM, then `ready`, and waits.
 */
const CHILD = `
const { createCipheriv, createDecipheriv, generateKeyPairSync, randomBytes } = require('node:crypto');
const aes = { 'aes-256-gcm': randomBytes(32), 'aes-128-cbc': randomBytes(16), 'aes-192-cbc': randomBytes(24) };
globalThis.heldCiphers = [
  createCipheriv('aes-256-gcm', aes['aes-256-gcm'], randomBytes(12)),
  createCipheriv('aes-128-cbc', aes['aes-128-cbc'], randomBytes(16)),
  createDecipheriv('aes-192-cbc', aes['aes-192-cbc'], randomBytes(16)),
];
const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const pem = key.export({ type: 'pkcs8', format: 'pem' });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
globalThis.heldEcKey = ec;
globalThis.heldEcPem = ec.export({ type: 'sec1', format: 'pem' });
globalThis.heldKey = key;
globalThis.heldPem = pem;
globalThis.heldBuffer = Buffer.from(pem, 'latin1');
const aesHex = Object.fromEntries(Object.entries(aes).map(([name, k]) => [name, k.toString('hex')]));
process.stdout.write(JSON.stringify({ ...key.export({ format: 'jwk' }), ecD: ec.export({ format: 'jwk' }).d, aes: aesHex }) + '\\n');
process.stdout.write(pem);
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);
`;

/** The private values of the RSA key and the EC key's scalar (`ecD`) as OpenSSL keeps them: little-endian bytes. */
function limbsOf(jwk: Record<string, string>): Record<string, Buffer> {
  const values: Record<string, Buffer> = {};
  for (const name of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'ecD']) values[name] = Buffer.from(jwk[name]!, 'base64url').reverse();
  return values;
}

/** Starts the child and resolves with its JWK line and PEM once it printed `ready`. */
function startKeyHolder(): { child: ChildProcess; pem: Promise<string> } {
  const child = spawn(process.execPath, ['-e', CHILD], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pem = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('latin1');
    child.stdout!.on('data', (d: string) => {
      out += d;
      if (out.endsWith('ready\n')) resolve(out.slice(0, -'ready\n'.length));
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`key holder exited early (${code}): ${out}`)));
    setTimeout(() => reject(new Error(`key holder not ready after 60 s: ${out}`)), 60_000).unref();
  });
  return { child, pem };
}

describe.skipIf(missing.length > 0)(`gcore of a live node process holding keys${missing.length ? ` (skipped: ${missing.join(', ')} not installed)` : ''}`, () => {
  it('sanitize (built CLI) removes its RSA, EC and AES keys in every encoding; gdb sees the same backtraces and registers', { timeout: 900_000 }, async (ctx) => {
    ensureCliBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'dumpscrub-gcore-gdb-'));
    const { child, pem: pemPromise } = startKeyHolder();
    try {
      const [jwkLine, ...pemLines] = (await pemPromise).split('\n');
      const pem = pemLines.join('\n');
      const held = JSON.parse(jwkLine!) as Record<string, string> & { aes: Record<string, string> };
      const limbs = limbsOf(held);
      const aesKeys = Object.entries(held.aes).map(([cipher, hex]) => ({ cipher, key: Buffer.from(hex, 'hex') }));
      expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
      const lines = pemBodyLines(pem);
      expect(lines.length).toBeGreaterThan(20);

      const dumped = gcoreOf(child.pid!, dir);
      if ('skip' in dumped) return ctx.skip(dumped.skip);
      const { core } = dumped;
      child.kill('SIGKILL');

      const coreSize = statSync(core).size;
      // The key really is in the core, in full, as text: otherwise "gone" would prove nothing.
      const planted = occurrences(readFileSync(core), pem);
      expect(planted.length, 'copies of the PEM in the core').toBeGreaterThan(0);

      const sanitized = join(dir, 'sanitized.core');
      const manifestPath = join(dir, 'manifest.json');
      const cli = dumpscrub(['sanitize', core, '-o', sanitized, '--manifest', manifestPath]);
      expect(cli.code, `dumpscrub sanitize failed:\n${cli.stdout}\n${cli.stderr}`).toBe(0);
      expect(statSync(sanitized).size).toBe(coreSize);

      const output = readFileSync(sanitized);
      for (const line of lines) expect(occurrences(output, line), `base64 line ${line.slice(0, 12)}… survived`).toEqual([]);
      // The Storm-0558 lesson: OpenSSL's own copy is bignum limbs, found only by the derived sweep.
      const original = readFileSync(core);
      const limbCopies = Object.values(limbs).reduce((n, v) => n + occurrences(original, v).length, 0);
      expect(limbCopies, 'little-endian copies of the private values in the original core').toBeGreaterThan(0);
      expect(occurrences(original, limbs.ecD!).length, 'the EC scalar as limbs in the original core').toBeGreaterThan(0);
      for (const [name, value] of Object.entries(limbs)) {
        const be = Buffer.from(value).reverse();
        for (const encoding of valueEncodings(be)) expect(occurrences(output, encoding.bytes), `${name} survived as ${encoding.name}`).toEqual([]);
      }

      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
      expect(manifest.verified).toBe(true);
      // The AES keys: their schedules are found by the recurrence, named by fingerprint, and no
      // encoding of a key is left.
      for (const { cipher, key } of aesKeys) {
        expect(occurrences(original, key).length, `${cipher} key in the original core`).toBeGreaterThan(0);
        const named = manifest.redactions.filter((r) => r.fingerprint === aesKeyFingerprint(key));
        expect(named.some((r) => r.kind === 'aes-key-schedule'), `${cipher} schedule in the manifest`).toBe(true);
        for (const encoding of valueEncodings(key)) expect(occurrences(output, encoding.bytes), `${cipher} key survived as ${encoding.name}`).toEqual([]);
      }
      expect(manifest.input.format).toBe('elf-core');
      expect(manifest.output.size).toBe(coreSize);
      const map = await parseDump(blobSource(await openAsBlob(core)));
      for (const at of planted) {
        const entries = entriesAt(manifest.redactions, at).filter((e) => e.detector !== 'policy');
        expect(entries.length, `a redaction covers the PEM at ${at}`).toBeGreaterThan(0);
        const e = entries[0]!;
        expect(e.kind).toMatch(/private-key$/);
        expect(e.offset + e.length).toBeGreaterThanOrEqual(at + pem.trimEnd().length);
        expect([...MEMORY_KINDS]).toContain(e.region.kind);
        expect(e.region.va).toMatch(/^0x[0-9a-f]+$/);
        const region = regionAt(map, e.offset);
        expect(e.region.kind).toBe(region.kind);
        expect(e.region.va).toBe(vaPlus(region.va!, e.offset - region.offset));
      }

      expectSameUnderGdb(process.execPath, core, sanitized);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
