/**
 * Acceptance on a real OpenSSL server (issue #4): `openssl s_server` loads an RSA and an EC key from
 * PEM files, answers one TLS handshake with each, and is dumped with gcore. OpenSSL keeps both keys
 * only as little-endian bignum limbs (no PEM, no DER survives in the process), so only the maths
 * finds them: the RSA primes by the prime search against the certificate's modulus, the EC scalar
 * by d·G = Q next to the certificate's public point. Every encoding of every private value must be
 * gone after sanitizing, the manifest must name both keys by fingerprint, and gdb must still load
 * the core the same way.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src/engine/manifest-types.ts';
import { dumpscrub, ensureCliBuilt } from '../../fixtures/cli.ts';
import { occurrences } from '../../fixtures/dump-checks.ts';
import { expectSameUnderGdb, gcoreOf, missingTools } from '../../fixtures/gcore.ts';
import { valueEncodings } from '../../fixtures/oracle.ts';

const missing = missingTools('openssl', 'gcore', 'gdb');

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
}

/** A self-signed certificate and its key, as files in `dir`. */
function certAndKey(dir: string, name: string, keyArgs: string[]): KeyObject {
  openssl(['req', '-x509', '-nodes', ...keyArgs, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-subj', `/CN=${name}`, '-days', '2'], dir);
  return createPrivateKey(readFileSync(join(dir, `${name}.key`)));
}

/** Starts s_server on a free loopback port; resolves with the port once it accepts. */
function startServer(dir: string): { server: ChildProcess; port: Promise<number> } {
  const server = spawn(
    'openssl',
    ['s_server', '-accept', '127.0.0.1:0', '-cert', 'rsa.crt', '-key', 'rsa.key', '-dcert', 'ec.crt', '-dkey', 'ec.key', '-www'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const port = new Promise<number>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString('latin1');
      const m = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.once('exit', (code) => reject(new Error(`s_server exited (${code}): ${out}`)));
    setTimeout(() => reject(new Error(`s_server not listening after 30 s: ${out}`)), 30_000).unref();
  });
  return { server, port };
}

/** One complete TLS handshake, signed by the server key the signature algorithm selects. */
function handshake(port: number, sigalgs: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, sigalgs, maxVersion: 'TLSv1.3' }, () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      resolve(cert.subject.CN as string);
    });
    socket.once('error', reject);
  });
}

const spkiFingerprint = (key: KeyObject) =>
  `sha256:${createHash('sha256').update(createPublicKey(key).export({ type: 'spki', format: 'der' })).digest('hex')}`;

/** The private values as big-endian bytes, by name. */
function privateValues(rsa: KeyObject, ec: KeyObject): Record<string, Buffer> {
  const values: Record<string, Buffer> = {};
  const r = rsa.export({ format: 'jwk' });
  for (const name of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) values[`rsa.${name}`] = Buffer.from(r[name]!, 'base64url');
  values['ec.d'] = Buffer.from(ec.export({ format: 'jwk' }).d!, 'base64url');
  return values;
}

describe.skipIf(missing.length > 0)(`gcore of openssl s_server after TLS handshakes${missing.length ? ` (skipped: ${missing.join(', ')} not installed)` : ''}`, () => {
  it('sanitize removes every encoding of its RSA and EC keys, names both by fingerprint, and gdb sees the same core', { timeout: 900_000 }, async (ctx) => {
    ensureCliBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'dumpscrub-openssl-'));
    let server: ChildProcess | undefined;
    try {
      const rsa = certAndKey(dir, 'rsa', ['-newkey', 'rsa:2048']);
      const ec = certAndKey(dir, 'ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
      const started = startServer(dir);
      server = started.server;
      const port = await started.port;
      expect(await handshake(port, 'rsa_pss_rsae_sha256')).toBe('rsa');
      expect(await handshake(port, 'ecdsa_secp256r1_sha256')).toBe('ec');

      const dumped = gcoreOf(server.pid!, dir);
      if ('skip' in dumped) return ctx.skip(dumped.skip);
      const { core } = dumped;
      server.kill('SIGKILL');

      const values = privateValues(rsa, ec);
      const original = readFileSync(core);
      // The keys really are in the core, as OpenSSL keeps them: otherwise "gone" would prove nothing.
      for (const [name, be] of Object.entries(values)) {
        const le = valueEncodings(be).find((e) => e.name === 'le')!.bytes;
        expect(occurrences(original, le).length, `${name} as little-endian limbs in the original core`).toBeGreaterThan(0);
      }

      const sanitized = join(dir, 'sanitized.core');
      const manifestPath = join(dir, 'manifest.json');
      const cli = dumpscrub(['sanitize', core, '-o', sanitized, '--manifest', manifestPath]);
      expect(cli.code, `dumpscrub sanitize failed:\n${cli.stdout}\n${cli.stderr}`).toBe(0);
      expect(statSync(sanitized).size).toBe(statSync(core).size);

      const output = readFileSync(sanitized);
      for (const [name, be] of Object.entries(values)) {
        for (const encoding of valueEncodings(be)) {
          expect(occurrences(output, encoding.bytes), `${name} survived as ${encoding.name}`).toEqual([]);
        }
      }
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
      expect(manifest.verified).toBe(true);
      const named = (kind: string, key: KeyObject) =>
        manifest.redactions.filter((r) => r.kind === kind && r.fingerprint === spkiFingerprint(key));
      expect(named('rsa-private-key', rsa).length, 'redactions naming the RSA key').toBeGreaterThan(0);
      expect(named('ec-private-key', ec).length, 'redactions naming the EC key').toBeGreaterThan(0);

      const exe = spawnSync('sh', ['-c', 'command -v openssl'], { encoding: 'utf8' }).stdout.trim();
      expectSameUnderGdb(exe, core, sanitized);
    } finally {
      server?.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
