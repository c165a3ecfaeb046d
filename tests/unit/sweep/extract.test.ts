import { describe, expect, it } from 'vitest';
import { capiBlob, cngBlob, derPrivateKey } from '../../../src/engine/detectors/binary/index.ts';
import { base64Der } from '../../../src/engine/detectors/base64-der.ts';
import type { Detector } from '../../../src/engine/detectors/detector.ts';
import { pem } from '../../../src/engine/detectors/pem.ts';
import { ppk } from '../../../src/engine/detectors/ppk.ts';
import { extractSecret } from '../../../src/engine/sweep/extract.ts';
import type { SecretMaterial } from '../../../src/engine/sweep/secret.ts';
import { makeWindow } from '../../../src/engine/window.ts';
import {
  capiPrivateKeyBlob,
  cngEccBlob,
  cngEccFullBlob,
  cngRsaBlob,
  ecParts,
  flipBit,
  kdbmBlob,
  nodeFingerprint,
  plaintextKeyBlob,
  randomKey,
  rsaParts,
} from '../../fixtures/binary-keys.ts';
import * as keys from '../../fixtures/keys.ts';
import { layout, rsaSecretOf, scanAndExtract } from './helpers.ts';

const DETECTORS: readonly Detector[] = [pem, base64Der, derPrivateKey, cngBlob, capiBlob];

/**
 * The one secret extracted from the only high finding of `carrier` (planted at an odd offset), for
 * two chunkings; without `ders` (the DER forms it was found in), which the sweep tests cover.
 */
function extractOne(carrier: Uint8Array | string, detectors: readonly Detector[] = DETECTORS): SecretMaterial | null {
  const file = layout(carrier);
  const results: (SecretMaterial | null)[] = [];
  for (const chunk of [file.bytes.length + 1, 4099]) {
    const found = scanAndExtract(detectors, file.bytes, chunk).filter((r) => r.finding.confidence !== 'low');
    const [start, end] = file.range(0);
    // The carrier is found once per chunking (duplicates from overlapping chunks are identical).
    const own = found.filter((r) => r.finding.offset >= start && r.finding.offset + r.finding.length <= end);
    expect(own.length, 'findings inside the carrier').toBeGreaterThan(0);
    results.push(own[0]!.secret);
    for (const r of own) expect(r.secret).toEqual(own[0]!.secret);
  }
  expect(results[1]).toEqual(results[0]);
  if (!results[0]) return null;
  const { ders: _found, ...values } = results[0];
  return values;
}

const b64u = (s: string | undefined) => Buffer.from(s!, 'base64url');

describe('extractSecret: RSA', () => {
  const key = keys.rsaKey(2048);
  const expected = rsaSecretOf(key);
  const pkcs1 = keys.rsaPem(2048, 'pkcs1');
  const pkcs8 = keys.rsaPem(2048, 'pkcs8');
  const k = rsaParts(key);

  const carriers: [string, () => Uint8Array | string][] = [
    ['PEM PKCS#1, ASCII', () => pkcs1],
    ['PEM PKCS#8, UTF-16LE', () => keys.utf16le(pkcs8)],
    ['PEM PKCS#8, CRLF', () => keys.crlf(pkcs8)],
    ['PEM PKCS#1, JSON-escaped', () => `{"private_key": "${keys.jsonEscape(pkcs1)}"}`],
    ['PEM PKCS#8, JSON-escaped in UTF-16LE', () => keys.utf16le(`"key":"${keys.jsonEscape(pkcs8)}"`)],
    ['headerless base64 PKCS#1, one line', () => `RSA_KEY=${keys.headerless(pkcs1, false)};`],
    ['headerless base64 PKCS#8, wrapped, UTF-16LE', () => keys.utf16le(keys.headerless(pkcs8, true))],
    ['headerless base64 PKCS#8, escaped line breaks', () => `"${keys.jsonEscape(keys.headerless(pkcs8, true))}"`],
    ['DER PKCS#1', () => keys.pemDer(pkcs1)],
    ['DER PKCS#8', () => keys.pemDer(pkcs8)],
    ['CNG RSA3', () => cngRsaBlob(k, 'RSA3')],
    ['CAPI PRIVATEKEYBLOB', () => capiPrivateKeyBlob(k)],
  ];
  for (const [name, carrier] of carriers) {
    it(`recovers n, e, d, p, q, dp, dq, qi from ${name}`, () => {
      expect(extractOne(carrier())).toEqual(expected);
    });
  }

  it('CNG RSA2 (e, n, p, q only): derives d = e⁻¹ mod λ(n) and the CRT values', () => {
    const secret = extractOne(cngRsaBlob(k, 'RSA2'));
    // node:crypto (OpenSSL 3) uses λ(n) too, so every value matches the JWK.
    expect(secret).toEqual(expected);
  });
});

describe('extractSecret: EC, Ed25519/X25519/Ed448', () => {
  const ecExpected = (curve: keys.EcCurve): SecretMaterial => ({
    kind: 'ec-private-key',
    curve,
    fingerprint: nodeFingerprint(keys.ecKey(curve)),
    scalar: new Uint8Array(ecParts(curve).d),
  });

  const cases: [string, keys.EcCurve, () => Uint8Array | string][] = [
    ['SEC1 DER, P-256', 'P-256', () => keys.ecKey('P-256').export({ type: 'sec1', format: 'der' })],
    ['PKCS#8 DER, P-384', 'P-384', () => keys.ecKey('P-384').export({ type: 'pkcs8', format: 'der' })],
    ['SEC1 PEM, secp256k1', 'secp256k1', () => keys.ecPem('secp256k1', 'sec1')],
    ['PKCS#8 PEM UTF-16LE, P-521', 'P-521', () => keys.utf16le(keys.ecPem('P-521', 'pkcs8'))],
    ['headerless base64 SEC1, P-256', 'P-256', () => keys.headerless(keys.ecPem('P-256', 'sec1'), false)],
    ['CNG ECS2, P-256', 'P-256', () => cngEccBlob(ecParts('P-256'), 'ECS2')],
    ['CNG ECK6, P-521', 'P-521', () => cngEccBlob(ecParts('P-521'), 'ECK6')],
    ['CNG ECDV full blob, secp256k1', 'secp256k1', () => cngEccFullBlob('secp256k1', ecParts('secp256k1'))],
  ];
  for (const [name, curve, carrier] of cases) {
    it(`recovers the scalar (curve width, big-endian) from ${name}`, () => {
      expect(extractOne(carrier())).toEqual(ecExpected(curve));
    });
  }

  for (const type of ['ed25519', 'x25519', 'ed448'] as const) {
    it(`recovers the ${type} private key from PKCS#8 DER and PEM`, () => {
      const key = keys.okpKey(type);
      const expected: SecretMaterial = {
        kind: `${type}-private-key`,
        fingerprint: nodeFingerprint(key),
        seed: new Uint8Array(b64u(key.export({ format: 'jwk' }).d)),
      };
      expect(extractOne(key.export({ type: 'pkcs8', format: 'der' }))).toEqual(expected);
      expect(extractOne(keys.okpPem(type))).toEqual(expected);
    });
  }
});

describe('extractSecret: symmetric blobs (medium findings)', () => {
  it('PLAINTEXTKEYBLOB AES-256 and 3DES, KDBM AES-128', () => {
    const aes = randomKey(32);
    expect(extractOne(plaintextKeyBlob(0x6610, aes))).toEqual({ kind: 'aes-key', key: new Uint8Array(aes) });
    const des3 = randomKey(24);
    expect(extractOne(plaintextKeyBlob(0x6603, des3))).toEqual({ kind: 'symmetric-key', key: new Uint8Array(des3) });
    const kdbm = randomKey(16);
    expect(extractOne(kdbmBlob(kdbm))).toEqual({ kind: 'aes-key', key: new Uint8Array(kdbm) });
  });
});

describe('extractSecret: returns null when unsure', () => {
  const k = rsaParts(keys.rsaKey(2048));

  it('medium and low findings of RSA keys (a damaged prime; a PEM cut before END)', () => {
    const rsa2 = cngRsaBlob(k, 'RSA2');
    const damaged = flipBit(rsa2, 24 + k.e.length + k.n.length + 10);
    const pemText = keys.rsaPem(2048, 'pkcs1');
    const cut = pemText.slice(0, pemText.indexOf('-----END') - 200);
    const file = layout(damaged, cut);
    const results = scanAndExtract(DETECTORS, file.bytes);
    // The cut PEM is also a medium headerless base64 body.
    expect(new Set(results.map((r) => r.finding.confidence))).toEqual(new Set(['medium']));
    expect(results.length).toBeGreaterThanOrEqual(2);
    for (const r of results) expect(r.secret).toBeNull();
  });

  it('findings of detectors it does not know, tampered findings, findings outside the window', () => {
    const der = keys.pemDer(keys.rsaPem(2048, 'pkcs1'));
    const file = layout(der, keys.ppkText());
    const results = scanAndExtract([derPrivateKey, ppk], file.bytes);
    const derResult = results.find((r) => r.finding.detector === 'der-private-key')!;
    const ppkResult = results.find((r) => r.finding.detector === 'ppk')!;
    expect(derResult.secret).not.toBeNull();
    expect(ppkResult.secret).toBeNull();

    const win = makeWindow(file.bytes, 0, 0, file.bytes.length, file.bytes.length);
    const f = derResult.finding;
    expect(extractSecret(win, { ...f, fingerprint: 'sha256:' + '0'.repeat(64) })).toBeNull();
    expect(extractSecret(win, { ...f, kind: 'ec-private-key' })).toBeNull();
    expect(extractSecret(win, { ...f, length: f.length - 1 })).toBeNull();
    expect(extractSecret(win, { ...f, offset: f.offset + 1 })).toBeNull();
    expect(extractSecret(win, { ...f, confidence: 'medium' })).toBeNull();
    expect(extractSecret(win, { ...f, offset: file.bytes.length - 10 })).toBeNull();
    expect(extractSecret(makeWindow(file.bytes.subarray(100), 100, 100, file.bytes.length, file.bytes.length), f)).toEqual(derResult.secret);
  });

  it('a PEM whose body is an encrypted key, or an OpenSSH key, yields no secret', () => {
    const file = layout(keys.encryptedPem(keys.rsaKey(2048)), keys.opensshPem());
    const results = scanAndExtract([pem], file.bytes);
    expect(results.length).toBe(2);
    expect(results.map((r) => r.secret)).toEqual([null, null]);
  });
});
