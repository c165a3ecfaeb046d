import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { capiBlob, cngBlob, derPrivateKey } from '../../../src/engine/detectors/binary/index.ts';
import { base64Der } from '../../../src/engine/detectors/base64-der.ts';
import { pem } from '../../../src/engine/detectors/pem.ts';
import { sweepNeedles } from '../../../src/engine/sweep/encodings.ts';
import type { SecretMaterial } from '../../../src/engine/sweep/secret.ts';
import { createSweepDetector } from '../../../src/engine/sweep/sweep-detector.ts';
import type { Finding } from '../../../src/engine/types.ts';
import { ecParts, leFixed, rsaParts } from '../../fixtures/binary-keys.ts';
import * as keys from '../../fixtures/keys.ts';
import { scanBuffer, unionRanges } from '../../fixtures/scan-window.ts';
import { layout, rsaSecretOf, scanAndExtract } from './helpers.ts';

const javaMag = (be: Buffer) => {
  const x = Buffer.concat([Buffer.alloc((4 - (be.length % 4)) % 4), be]);
  const o = Buffer.alloc(x.length);
  for (let i = 0; i < x.length; i += 4) o.writeUInt32LE(x.readUInt32BE(i), i);
  return o;
};

const sorted = (findings: Finding[]) =>
  [...findings].sort((a, b) => a.offset - b.offset || a.length - b.length || a.encoding.localeCompare(b.encoding));
const summary = (findings: Finding[]) => sorted(findings).map((f) => [f.offset, f.length, f.encoding]);

describe('createSweepDetector: every encoding of p, planted at odd offsets', () => {
  const key = keys.rsaKey(2048);
  const secret = rsaSecretOf(key);
  const k = rsaParts(key);
  const p = k.p; // 128 bytes, top bit set
  const sweep = createSweepDetector([secret]);

  // Base64 streams with p at byte offsets ≡ 0, 1, 2 (mod 3) inside longer data.
  const streams = [0, 1, 2].map((a) => Buffer.concat([randomBytes(30 + a), p, randomBytes(31)]));
  const parts = [
    /* 0 */ Buffer.concat([leFixed(p, 128), Buffer.alloc(8)]), // BIGNUM d[]: top = 16, dmax = 17
    /* 1 */ Buffer.concat([randomBytes(16), javaMag(p)]), // int[] behind its object header
    /* 2 */ keys.utf16le(`p=${p.toString('hex').toUpperCase()};`),
    /* 3 */ Buffer.from(`"p": "${p.toString('hex')}"`),
    /* 4 */ Buffer.from(streams[0]!.toString('base64')),
    /* 5 */ Buffer.from(streams[1]!.toString('base64')),
    /* 6 */ Buffer.from(streams[2]!.toString('base64')),
    /* 7 */ keys.utf16le(streams[1]!.toString('base64url')),
    /* 8 */ Buffer.concat([Buffer.of(0x02, 0x81, 0x81, 0x00), p]), // DER INTEGER
  ];
  const file = layout(...parts);

  /** Where a base64 needle of p sits in stream `s` encoded at file offset `at`, in chars. */
  const b64Range = (s: number, at: number, step = 1): [number, number] => {
    const off = 30 + s;
    const a = off % 3;
    const first = ((off - a) / 3) * 4 + Math.ceil((8 * a) / 6);
    const last = ((off - a) / 3) * 4 + Math.floor((8 * (a + 128)) / 6);
    return [at + first * step, at + last * step];
  };

  it('finds each copy exactly, with its encoding, kind and fingerprint', () => {
    const findings = scanBuffer(sweep, file.bytes, file.bytes.length + 1);
    const at = file.at;
    const expected: [number, number, string][] = [
      [at[0]!, 128, 'bignum-le'],
      [at[1]! + 16, 128, 'java-int-array'],
      [at[2]! + 4, 512, 'hex-upper-utf16le'],
      [at[3]! + 6, 256, 'hex'],
      ...[4, 5, 6].map((i): [number, number, string] => {
        const [s, e] = b64Range(i - 4, at[i]!);
        return [s, e - s, 'base64'];
      }),
      (() => {
        const [s, e] = b64Range(1, at[7]!, 2);
        // A needle without + / - _ is the same in both alphabets: searched once, named base64.
        const chars = streams[1]!.toString('base64url').slice((s - at[7]!) / 2, (e - at[7]!) / 2);
        return [s, e - s, /[-_]/.test(chars) ? 'base64url-utf16le' : 'base64-utf16le'] as [number, number, string];
      })(),
      [at[8]! + 3, 129, 'bignum-be'],
    ];
    expect(summary(findings)).toEqual(expected);
    for (const f of findings) {
      expect(f).toMatchObject({ kind: 'rsa-private-key', detector: 'sweep', confidence: 'high', fingerprint: secret.fingerprint });
    }
  });

  it('chunk sizes 1, 7 and 4099 give the same findings as one whole-file scan', () => {
    const whole = sorted(scanBuffer(sweep, file.bytes, file.bytes.length + 1));
    for (const size of [1, 7, 4099]) {
      const chunked = sorted(scanBuffer(sweep, file.bytes, size));
      expect(unionRanges(chunked), `chunk size ${size}`).toEqual(unionRanges(whole));
      expect(chunked, `chunk size ${size}`).toEqual(whole);
    }
  });

  it("another key's values are not found here; nothing is found in noise", () => {
    const other = rsaSecretOf(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    expect(scanBuffer(createSweepDetector([other]), file.bytes, file.bytes.length + 1)).toEqual([]);
    const noise = randomBytes(64 * 1024);
    expect(scanBuffer(sweep, noise, noise.length + 1)).toEqual([]);
  });

  it('identical needles across secrets are searched once', () => {
    const once = createSweepDetector([secret]);
    const twice = createSweepDetector([secret, { ...secret }]);
    expect(twice.anchors).toEqual(once.anchors);
    expect(twice.rawAnchors).toEqual(once.rawAnchors);
    expect(once.anchors.length + once.rawAnchors!.length).toBe(sweepNeedles(secret).length);
    expect(createSweepDetector([]).anchors).toEqual([]);
  });
});

describe('createSweepDetector: EC scalar and symmetric keys', () => {
  it('finds an EC scalar as OpenSSL limbs and as JWK d; an AES key byte-swapped per word and as hex', () => {
    const curve = 'P-256';
    const ec = ecParts(curve);
    const aes = randomBytes(32);
    const secrets: SecretMaterial[] = [
      { kind: 'ec-private-key', curve, scalar: new Uint8Array(ec.d) },
      { kind: 'aes-key', key: new Uint8Array(aes) },
    ];
    let minimal = ec.d;
    while (minimal[0] === 0) minimal = minimal.subarray(1);
    const swapped = Buffer.from(aes);
    for (let i = 0; i < 32; i += 4) swapped.subarray(i, i + 4).reverse();
    const file = layout(
      Buffer.concat([leFixed(minimal, 32), Buffer.alloc(8)]),
      `{"kty":"EC","d":"${ec.d.toString('base64url')}"}`,
      swapped,
      keys.utf16le(aes.toString('hex')),
    );
    const findings = sorted(scanBuffer(createSweepDetector(secrets), file.bytes, 1 << 20));
    const jwkNeedles = sweepNeedles(secrets[0]!).filter((n) => n.encoding === 'base64url').map((n) => n.bytes);
    const jwkEncoding = jwkNeedles.some((n) => /[-_]/.test(n) && ec.d.toString('base64url').includes(n)) ? 'base64url' : 'base64';
    expect(findings.map((f) => [f.kind, f.encoding])).toEqual([
      ['ec-private-key', 'bignum-le'],
      ['ec-private-key', jwkEncoding],
      ['aes-key', 'java-int-array'],
      ['aes-key', 'hex-utf16le'],
    ]);
    expect(findings[0]!.offset).toBe(file.at[0]);
    expect(findings[3]).toMatchObject({ offset: file.at[3], length: 128 });
  });
});

describe('end to end: confirm a key, extract it, sweep for its other copies', () => {
  it('a PEM confirms the key; the sweep finds d as BIGNUM limbs and qi as UTF-16LE hex elsewhere', () => {
    const key = keys.rsaKey(2048);
    const k = rsaParts(key);
    const dLimbs = Buffer.concat([leFixed(k.d, Math.ceil(k.d.length / 8) * 8), Buffer.alloc(16)]);
    const file = layout(keys.rsaPem(2048, 'pkcs8'), dLimbs, keys.utf16le(k.qi.toString('hex')));
    const detectors = [pem, base64Der, derPrivateKey, cngBlob, capiBlob];
    const secrets = scanAndExtract(detectors, file.bytes)
      .map((r) => r.secret)
      .filter((s): s is SecretMaterial => s !== null);
    expect(secrets.length).toBeGreaterThanOrEqual(1);
    const { ders, ...values } = secrets[0]!;
    expect(values).toEqual(rsaSecretOf(key));
    expect(ders).toEqual([new Uint8Array(key.export({ type: 'pkcs8', format: 'der' }))]);
    // Structured-clone safe: what a worker would receive is the same secret.
    expect(structuredClone(secrets[0])).toEqual(secrets[0]);

    const findings = scanBuffer(createSweepDetector(secrets), file.bytes, 4099);
    const outsidePem = findings.filter((f) => f.offset >= file.at[1]!);
    const qiHex = k.qi.toString('hex');
    const skip = qiHex[0] === '0' ? 1 : 0; // an integer's leading zero nibble is not part of the needle
    expect(summary(outsidePem)).toEqual([
      [file.at[1]!, Math.ceil(k.d.length / 4) * 4, 'bignum-le'],
      [file.at[2]! + 2 * skip, 2 * (qiHex.length - skip), 'hex-utf16le'],
    ]);
    // Inside the PEM block the sweep finds its own 64-column lines (a lone line left in a freed
    // buffer is a piece of the key too) and value needles a line happens to hold whole.
    const [pemStart, pemEnd] = file.range(0);
    const insidePem = findings.filter((f) => f.offset < pemEnd);
    for (const f of insidePem) {
      expect(f.offset).toBeGreaterThanOrEqual(pemStart);
      expect(['base64', 'pem-line']).toContain(f.encoding);
    }
    const bodyLines = keys.rsaPem(2048, 'pkcs8').split('\n').filter((l) => /^[A-Za-z0-9+/=]{16,}$/.test(l));
    expect(insidePem.filter((f) => f.encoding === 'pem-line')).toHaveLength(bodyLines.length);
  });
});
