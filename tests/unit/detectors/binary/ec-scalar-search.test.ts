import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { distinctBytes, minDistinct } from '../../../../src/engine/crypto/entropy.ts';
import { derBitString, derSequence } from '../../../../src/engine/crypto/der-writer.ts';
import { OID, oidTlv } from '../../../../src/engine/crypto/oids.ts';
import { anchoredPublicKey, ecScalarSearch } from '../../../../src/engine/detectors/binary/ec-scalar-search.ts';
import { reachAround } from '../../../../src/engine/detectors/binary/reach.ts';
import { MAX_CANDIDATES_PER_KEY, SEARCH_RADIUS, searchPrivateKey } from '../../../../src/engine/detectors/binary/scalar-search.ts';
import { makeWindow } from '../../../../src/engine/window.ts';
import { beFixed, ecParts, expectBinaryRedacted, flipBit, leFixed, nodeFingerprint, scanBinary } from '../../../fixtures/binary-keys.ts';
import type { EcCurve } from '../../../fixtures/keys.ts';
import { occurrences, sanitizeBytes } from '../../../fixtures/dump-checks.ts';
import { rng } from '../../../fixtures/random.ts';

const CURVES: readonly EcCurve[] = ['P-256', 'P-384', 'P-521', 'secp256k1'];
const SIZES: Record<EcCurve, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66, secp256k1: 32 };
const CHUNKS = [4099, 1 << 24];

/**
 * True if a private value passes the search's gate (enough distinct bytes, no two consecutive zero
 * bytes). About 1 random key in 150 does not; the tests must not depend on that luck.
 */
function passesGate(value: Uint8Array): boolean {
  for (let i = 0; i + 1 < value.length; i++) if (value[i] === 0 && value[i + 1] === 0) return false;
  return distinctBytes(value, 0, value.length) >= minDistinct(value.length);
}

function ecKeyFor(curve: EcCurve): { key: KeyObject; d: Buffer; spki: Buffer } {
  for (;;) {
    const key = generateKeyPairSync('ec', { namedCurve: curve }).privateKey;
    const { d } = ecParts(curve, key);
    // The P-521 scalar's top byte is 0 or 1: its 66 bytes as stored must pass, in both byte orders.
    if (passesGate(d)) return { key, d, spki: createPublicKey(key).export({ type: 'spki', format: 'der' }) };
  }
}

function ed25519Key(): { key: KeyObject; seed: Buffer; pub: Buffer; spki: Buffer } {
  for (;;) {
    const key = generateKeyPairSync('ed25519').privateKey;
    const seed = Buffer.from(key.export({ format: 'jwk' }).d!, 'base64url');
    const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
    if (passesGate(seed)) return { key, seed, pub: spki.subarray(-32), spki };
  }
}

/**
 * Heap-like filler that no candidate passes: zero runs, user-space pointers (`xx xx xx xx xx 7f 00 00`)
 * and text, from a seeded generator.
 */
function heap(length: number, seed = 1): Buffer {
  const next = rng(seed);
  const out = Buffer.alloc(length);
  const texts = ['GET /index.html HTTP/1.1\r\n', 'Host: example.test\r\n', '/usr/lib/x86_64-linux-gnu/libssl.so.3', 'Accept: */*\r\n'];
  for (let at = 0; at < length; ) {
    const kind = Math.floor(next() * 3);
    if (kind === 0) {
      at += 8 * (1 + Math.floor(next() * 8));
    } else if (kind === 1) {
      for (let i = 0; i < 4 && at + 8 <= length; i++, at += 8) {
        for (let b = 0; b < 5; b++) out[at + b] = Math.floor(next() * 256);
        out[at + 5] = 0x7f;
      }
    } else {
      at += out.write(texts[Math.floor(next() * texts.length)]!, at, 'latin1') + 8;
    }
  }
  return out;
}

/** `filler` with each [offset, bytes] written over it. */
function layout(filler: Buffer, ...parts: [number, Uint8Array][]): Buffer {
  const out = Buffer.from(filler);
  for (const [at, bytes] of parts) out.set(bytes, at);
  return out;
}

const align = (at: number, to: number, remainder = 0) => Math.ceil((at - remainder) / to) * to + remainder;

const findingsOf = (file: Uint8Array) => scanBinary(ecScalarSearch, file, file.length + 1);

describe('ec-scalar-search: EC scalars next to a SubjectPublicKeyInfo', () => {
  for (const curve of CURVES) {
    it(`${curve}: the scalar as little-endian limbs 10 KiB after and before the SPKI, fingerprinted, with the secret`, () => {
      const { key, d, spki } = ecKeyFor(curve);
      const size = SIZES[curve];
      // OpenSSL keeps whole 64-bit limbs: the P-521 scalar fills 9 limbs, its top 6 bytes zero.
      const limbs = leFixed(d, align(size, 8));
      const spkiAt = 20_001;
      const after = align(spkiAt + spki.length + 10_240, 8);
      const before = align(spkiAt - 10_240, 8);
      for (const at of [after, before]) {
        const file = layout(heap(40_000), [spkiAt, spki], [at, limbs]);
        const [finding] = expectBinaryRedacted(ecScalarSearch, file, [[at, at + size]], CHUNKS);
        expect(finding).toMatchObject({
          offset: at,
          length: size,
          kind: 'ec-private-key',
          detector: 'ec-scalar-search',
          confidence: 'high',
          encoding: 'bignum-le',
          fingerprint: nodeFingerprint(key),
          secret: { kind: 'ec-private-key', curve, fingerprint: nodeFingerprint(key), scalar: new Uint8Array(beFixed(d, size)) },
        });
      }
    });

    it(`${curve}: the scalar big-endian at a 4- but not 8-aligned offset`, () => {
      const { key, d, spki } = ecKeyFor(curve);
      const at = align(30_000, 8, 4);
      const file = layout(heap(40_000), [10_001, spki], [at, d]);
      const [finding] = expectBinaryRedacted(ecScalarSearch, file, [[at, at + SIZES[curve]]], CHUNKS);
      expect(finding).toMatchObject({ encoding: 'bignum-be', fingerprint: nodeFingerprint(key) });
    });
  }

  it('finds the scalar next to a compressed point and next to a CNG public blob (ECS1, ECK3)', () => {
    const p256 = ecKeyFor('P-256');
    const point = Buffer.from(p256.spki.subarray(-65));
    const compressed = Buffer.concat([Buffer.of(2 + (point[64]! & 1)), point.subarray(1, 33)]);
    const compressedSpki = derSequence(derSequence(oidTlv(OID.ecPublicKey), oidTlv(OID.prime256v1)), derBitString(compressed));
    const at = align(25_000, 8);
    const file = layout(heap(40_000), [10_001, compressedSpki], [at, leFixed(p256.d, 32)]);
    expect(findingsOf(file)).toMatchObject([{ offset: at, fingerprint: nodeFingerprint(p256.key) }]);

    for (const [magic, curve] of [['ECS1', 'P-256'], ['ECK3', 'P-384']] as const) {
      const { key, d } = ecKeyFor(curve);
      const { x, y, size } = ecParts(curve, key);
      const blob = Buffer.concat([Buffer.from(magic), Buffer.from([size, 0, 0, 0]), x, y]);
      const file2 = layout(heap(40_000), [10_001, blob], [at, leFixed(d, size)]);
      expect(findingsOf(file2), magic).toMatchObject([{ offset: at, length: size, encoding: 'bignum-le', fingerprint: nodeFingerprint(key) }]);
    }
  });

  it('finds nothing for another key’s scalar, the scalar with one bit flipped, or the public key alone', () => {
    const { d, spki } = ecKeyFor('P-256');
    const other = ecKeyFor('P-256');
    const at = align(25_000, 8);
    const filler = heap(40_000);
    expect(findingsOf(layout(filler, [10_001, spki]))).toEqual([]);
    expect(findingsOf(layout(filler, [10_001, spki], [at, leFixed(other.d, 32)]))).toEqual([]);
    for (const bit of [0, 7]) {
      expect(findingsOf(layout(filler, [10_001, spki], [at, leFixed(flipBit(d, 31, bit), 32)]))).toEqual([]);
    }
    // The twin: the right scalar is found at the same place.
    expect(findingsOf(layout(filler, [10_001, spki], [at, leFixed(d, 32)]))).toHaveLength(1);
  });

  it('does not search little-endian limbs at 4- but not 8-aligned offsets (allocators align bignums to 8)', () => {
    const { d, spki } = ecKeyFor('P-256');
    const filler = heap(40_000);
    expect(findingsOf(layout(filler, [10_001, spki], [align(25_000, 8, 4), leFixed(d, 32)]))).toEqual([]);
    expect(findingsOf(layout(filler, [10_001, spki], [align(25_000, 8), leFixed(d, 32)]))).toHaveLength(1);
  });

  it(`searches ${SEARCH_RADIUS / 1024} KiB each side of the SPKI, not further`, () => {
    const { d, spki } = ecKeyFor('P-256');
    const spkiAt = 70_001;
    const spkiEnd = spkiAt + spki.length;
    const filler = heap(spkiEnd + SEARCH_RADIUS + 200);
    const inside = align(spkiEnd + SEARCH_RADIUS - 32 - 7, 8);
    const outside = align(spkiEnd + SEARCH_RADIUS - 32 + 1, 8);
    expect(findingsOf(layout(filler, [spkiAt, spki], [inside, leFixed(d, 32)]))).toMatchObject([{ offset: inside }]);
    expect(findingsOf(layout(filler, [spkiAt, spki], [outside, leFixed(d, 32)]))).toEqual([]);
    const insideBefore = align(spkiAt - SEARCH_RADIUS, 8);
    expect(findingsOf(layout(filler, [spkiAt, spki], [insideBefore, leFixed(d, 32)]))).toMatchObject([{ offset: insideBefore }]);
    expect(findingsOf(layout(filler, [spkiAt, spki], [insideBefore - 8, leFixed(d, 32)]))).toEqual([]);
  });

  it('finds nothing when the SPKI or the scalar is cut off by the end of the data', () => {
    const { d, spki } = ecKeyFor('P-256');
    const filler = heap(30_000);
    const spkiCut = layout(filler, [align(10_000, 8), leFixed(d, 32)], [30_000 - 40, spki.subarray(0, 40)]);
    expect(findingsOf(spkiCut)).toEqual([]);
    const scalarCut = layout(filler, [10_001, spki], [30_000 - 24, leFixed(d, 32).subarray(0, 24)]);
    expect(findingsOf(scalarCut)).toEqual([]);
  });

  it('finds the scalar once when the SPKI and the scalar lie in different chunks', () => {
    const { key, d, spki } = ecKeyFor('P-384');
    const at = align(30_000, 8);
    const file = layout(heap(40_000), [20_001, spki], [at, leFixed(d, 48)]);
    for (const chunk of [1, 17, 8192]) {
      const findings = scanBinary(ecScalarSearch, file, chunk);
      expect(findings.map((f) => [f.offset, f.length, f.fingerprint]), `chunk ${chunk}`).toEqual([[at, 48, nodeFingerprint(key)]]);
    }
  });
});

describe('ec-scalar-search: Ed25519 seeds', () => {
  it('finds the seed kept as seed ‖ public key at any offset, and the seed alone at a 4-aligned offset', () => {
    const { key, seed, pub, spki } = ed25519Key();
    const fingerprint = nodeFingerprint(key);
    const pair = 30_003;
    const file = layout(heap(40_000), [10_001, spki], [pair, Buffer.concat([seed, pub])]);
    const [finding] = expectBinaryRedacted(ecScalarSearch, file, [[pair, pair + 32]], CHUNKS);
    expect(finding).toMatchObject({ kind: 'ed25519-private-key', encoding: 'raw', confidence: 'high', fingerprint });
    expect(finding!.secret).toEqual({ kind: 'ed25519-private-key', fingerprint, seed: new Uint8Array(seed) });

    const alone = align(21_000, 8, 4);
    expectBinaryRedacted(ecScalarSearch, layout(heap(40_000), [10_001, spki], [alone, seed]), [[alone, alone + 32]], CHUNKS);
  });

  it('finds nothing for another seed before the public key, or a seed with one bit flipped', () => {
    const { seed, pub, spki } = ed25519Key();
    const other = ed25519Key();
    const filler = heap(40_000);
    expect(findingsOf(layout(filler, [10_001, spki], [30_003, Buffer.concat([other.seed, pub])]))).toEqual([]);
    expect(findingsOf(layout(filler, [10_001, spki], [align(21_000, 4), flipBit(seed, 3)]))).toEqual([]);
  });
});

describe('ec-scalar-search: cost', () => {
  /** A window over `bytes` and the P-256 public key of the SPKI at `at` (anchor 0: the P-256 AlgorithmIdentifier). */
  function p256At(bytes: Uint8Array, at: number) {
    const win = makeWindow(bytes, 0, 0, bytes.length, bytes.length);
    const pos = at + 2;
    const reach = reachAround(win, pos);
    return { win, reach, pub: anchoredPublicKey(reach, pos, 0)!.pub };
  }

  it(`tries the ${MAX_CANDIDATES_PER_KEY} nearest candidates in a window of random bytes, then stops (reports the time)`, () => {
    const { spki } = ecKeyFor('P-256');
    const bytes = randomBytes(1 << 18);
    bytes.set(spki, 1 << 17);
    const { win, reach, pub } = p256At(bytes, 1 << 17);
    const started = performance.now();
    const result = searchPrivateKey(win, reach, pub);
    const elapsed = performance.now() - started;
    expect(result.found).toBeNull();
    expect(result.candidates).toBe(MAX_CANDIDATES_PER_KEY);
    expect(result.derivations).toBeGreaterThan(MAX_CANDIDATES_PER_KEY * 0.9);
    console.info(`ec-scalar-search: random window, one P-256 SPKI: ${result.derivations} multiplications, ${elapsed.toFixed(0)} ms`);

    // A second copy of the certificate nearby costs almost nothing: its candidates were derived already.
    const copyAt = (1 << 17) + 256;
    bytes.set(spki, copyAt);
    const copy = p256At(bytes, copyAt);
    const again = searchPrivateKey(win, copy.reach, copy.pub);
    expect(again.candidates).toBe(MAX_CANDIDATES_PER_KEY);
    expect(again.derivations).toBeLessThan(MAX_CANDIDATES_PER_KEY / 2);
  }, 120_000);

  it('tries candidates nearest first, and not past the per-key cap', () => {
    const { d, spki } = ecKeyFor('P-256');
    const bytes = randomBytes(1 << 16);
    const spkiAt = 1 << 15;
    bytes.set(spki, spkiAt);
    const at = align(spkiAt + spki.length + 256, 8);
    bytes.set(leFixed(d, 32), at);
    const small = { candidatesPerKey: 100, guaranteedPerKey: 100, derivationsPerWindow: 100 };
    const near = p256At(bytes, spkiAt);
    expect(searchPrivateKey(near.win, near.reach, near.pub, small).found).toBeNull();
    const fresh = p256At(bytes, spkiAt);
    const result = searchPrivateKey(fresh.win, fresh.reach, fresh.pub);
    expect(result.found).toMatchObject({ start: at, end: at + 32, layout: { encoding: 'bignum-le' } });
    // In random bytes nearly every 4-aligned window is a candidate: about 2 · 256 / 8 · 3 of them lie nearer.
    expect(result.candidates).toBeGreaterThan(150);
  }, 120_000);

  it('a window spends its budget, past which every public key still gets its guaranteed derivations', () => {
    const bytes = randomBytes(1 << 19);
    const firstAt = 1 << 16;
    const secondAt = 3 << 17;
    bytes.set(ecKeyFor('P-256').spki, firstAt);
    bytes.set(ecKeyFor('P-256').spki, secondAt);
    const limits = { candidatesPerKey: 60, guaranteedPerKey: 10, derivationsPerWindow: 50 };
    const first = p256At(bytes, firstAt);
    const second = { ...p256At(bytes, secondAt), win: first.win };
    expect(searchPrivateKey(first.win, first.reach, first.pub, limits)).toMatchObject({ candidates: 60, derivations: 50 });
    expect(searchPrivateKey(second.win, second.reach, second.pub, limits)).toMatchObject({ candidates: 60, derivations: 10 });
  });
});

describe('ec-scalar-search: the secret feeds the derived sweep', () => {
  it('sanitize zeroes the scalar found by the search and its copies far beyond the radius', async () => {
    const { key, d, spki } = ecKeyFor('P-256');
    const near = align(30_000, 8);
    const farLe = align(600_000, 8);
    const farBe = 900_001;
    const input = layout(heap(1 << 20), [10_001, spki], [near, leFixed(d, 32)], [farLe, leFixed(d, 32)], [farBe, d]);
    const { output, manifest } = await sanitizeBytes(input, { policy: 'standard', verify: true, chunkSize: 65_537 });
    const out = Buffer.from(output);
    expect(occurrences(out, leFixed(d, 32))).toEqual([]);
    expect(occurrences(out, d)).toEqual([]);
    expect(occurrences(out, spki), 'the public key is left alone').toEqual([10_001]);
    const fingerprint = nodeFingerprint(key);
    expect(manifest.redactions.filter((r) => r.detector === 'ec-scalar-search')).toMatchObject([{ offset: near, length: 32, fingerprint }]);
    const swept = manifest.redactions.filter((r) => r.detector === 'sweep');
    expect(swept.map((r) => r.offset).sort((a, b) => a - b)).toEqual([farLe, farBe]);
    expect(swept.every((r) => r.fingerprint === fingerprint)).toBe(true);
  }, 120_000);
});

// ---------------------------------------------------------------- with openssl

const available = (tool: string, ...args: string[]) => spawnSync(tool, args, { stdio: 'ignore' }).error === undefined;
const hasOpenssl = available('openssl', 'version');

/** A P-256 key made by openssl whose scalar passes the gate, and a self-signed certificate for it, in `dir`. */
function opensslKeyAndCert(dir: string): { keyPem: string; certPem: string; certDer: Buffer; key: KeyObject; d: Buffer } {
  const keyPem = join(dir, 'key.pem');
  const certPem = join(dir, 'cert.pem');
  for (;;) {
    execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', keyPem], { stdio: 'ignore' });
    const key = createPrivateKey(readFileSync(keyPem));
    const { d } = ecParts('P-256', key);
    if (!passesGate(d)) continue;
    execFileSync('openssl', ['req', '-x509', '-key', keyPem, '-subj', '/CN=test', '-days', '1', '-out', certPem], { stdio: 'ignore' });
    const certDer = execFileSync('openssl', ['x509', '-in', certPem, '-outform', 'DER']);
    return { keyPem, certPem, certDer, key, d };
  }
}

describe.skipIf(!hasOpenssl)('ec-scalar-search: certificates made by openssl', () => {
  it('finds the scalar 17 KiB from a self-signed certificate, with the certificate’s fingerprint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dumpscrub-ecsearch-'));
    try {
      const { certDer, key, d } = opensslKeyAndCert(dir);
      const at = align(2001 + certDer.length + 17 * 1024, 8);
      const file = layout(heap(at + 4096), [2001, certDer], [at, leFixed(d, 32)]);
      const [finding] = expectBinaryRedacted(ecScalarSearch, file, [[at, at + 32]], CHUNKS);
      expect(finding).toMatchObject({ kind: 'ec-private-key', encoding: 'bignum-le', fingerprint: nodeFingerprint(key) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const missing = ['openssl', 'gcore'].filter((tool) => !available(tool, tool === 'openssl' ? 'version' : '--version'));

/** Starts `openssl s_server` on a free port and resolves with the port once it accepts. */
function startServer(certPem: string, keyPem: string) {
  const server = spawn('openssl', ['s_server', '-accept', '127.0.0.1:0', '-cert', certPem, '-key', keyPem, '-www'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const port = new Promise<number>((resolve, reject) => {
    let out = '';
    server.stdout!.setEncoding('latin1');
    server.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const accept = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(out);
      if (accept) resolve(Number(accept[1]));
    });
    server.once('error', reject);
    server.once('exit', (code) => reject(new Error(`s_server exited (${code}): ${out}`)));
    setTimeout(() => reject(new Error(`s_server not accepting after 60 s: ${out}`)), 60_000).unref();
  });
  return { server, port };
}

/** One TLS handshake and request, so the server has used its key. */
function handshake(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => socket.write('GET / HTTP/1.0\r\n\r\n'));
    socket.on('data', () => {});
    socket.once('close', () => resolve());
    socket.once('error', reject);
  });
}

describe.skipIf(missing.length > 0)(`ec-scalar-search: a real openssl s_server${missing.length ? ` (skipped: ${missing.join(', ')} missing)` : ''}`, () => {
  it('finds the P-256 scalar OpenSSL keeps only as little-endian limbs in the core (reports the time)', { timeout: 600_000 }, async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), 'dumpscrub-ecsearch-'));
    const { keyPem, certPem, key, d } = opensslKeyAndCert(dir);
    const { server, port } = startServer(certPem, keyPem);
    try {
      await handshake(await port);
      const prefix = join(dir, 'core');
      const gcore = spawnSync('gcore', ['-o', prefix, String(server.pid)], { encoding: 'utf8', timeout: 300_000 });
      const corePath = `${prefix}.${server.pid}`;
      if (gcore.status !== 0 || !existsSync(corePath)) {
        ctx.skip(`gcore could not dump the process (ptrace not permitted?): ${gcore.stderr.trim().split('\n').pop()}`);
      }
      server.kill('SIGKILL');
      const core = readFileSync(corePath);
      const limbs = occurrences(core, leFixed(d, 32));
      // The premise: the scalar is in the core as limbs, and not big-endian (no DER, no PEM body).
      expect(limbs.length, 'little-endian copies of the scalar').toBeGreaterThan(0);
      expect(occurrences(core, d), 'big-endian copies of the scalar').toEqual([]);

      const started = performance.now();
      const findings = scanBinary(ecScalarSearch, core, 1 << 24);
      const elapsed = performance.now() - started;
      console.info(`ec-scalar-search: s_server core of ${(core.length / 2 ** 20).toFixed(1)} MiB (one window): ${elapsed.toFixed(0)} ms`);
      const ours = findings.filter((f) => f.fingerprint === nodeFingerprint(key));
      expect(ours.length).toBeGreaterThan(0);
      for (const f of ours) {
        expect(limbs).toContain(f.offset);
        expect(f).toMatchObject({ length: 32, kind: 'ec-private-key', confidence: 'high', encoding: 'bignum-le' });
      }
      // No other key is proven in the core: the CA roots' private keys are not there.
      expect(findings.length).toBe(ours.length);
    } finally {
      server.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
