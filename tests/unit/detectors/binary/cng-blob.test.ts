import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cngBlob } from '../../../../src/engine/detectors/binary/cng-blob.ts';
import * as keys from '../../../fixtures/keys.ts';
import {
  cngEccBlob,
  cngEccFullBlob,
  cngRsaBlob,
  ecParts,
  expectBinaryRedacted,
  flipBit,
  kdbmBlob,
  nodeFingerprint,
  plant,
  rsaParts,
  scanBinary,
  randomKey,
} from '../../../fixtures/binary-keys.ts';

const scan = (bytes: Uint8Array) => scanBinary(cngBlob, bytes, bytes.length + 1);
const summary = (findings: { offset: number; length: number; kind: string; confidence: string; encoding: string }[]) =>
  findings.map((f) => [f.offset, f.length, f.kind, f.confidence, f.encoding]);

describe('cng-blob: RSA', () => {
  for (const bits of [1024, 2048, 4096]) {
    it(`finds RSA2 and RSA3 blobs of an RSA-${bits} key (n = p·q, CRT checked), fingerprinted`, () => {
      const k = rsaParts(keys.rsaKey(bits));
      const rsa2 = cngRsaBlob(k, 'RSA2');
      const rsa3 = cngRsaBlob(k, 'RSA3');
      const file = plant(rsa2, rsa3);
      const findings = expectBinaryRedacted(cngBlob, file.bytes, [file.range(0), file.range(1)]);
      expect(summary(findings)).toEqual([
        [file.at[0], rsa2.length, 'rsa-private-key', 'high', 'cng-rsaprivate'],
        [file.at[1], rsa3.length, 'rsa-private-key', 'high', 'cng-rsafullprivate'],
      ]);
      const fingerprint = nodeFingerprint(keys.rsaKey(bits));
      expect(findings.map((f) => f.fingerprint)).toEqual([fingerprint, fingerprint]);
    });
  }

  it('ignores RSA1 (public) blobs and rejects the ASCII text "RSA2048"', () => {
    const k = rsaParts(keys.rsaKey(2048));
    const file = plant(cngRsaBlob(k, 'RSA1'), Buffer.from('key size RSA2048 RSA3072 RSA2 RSA3'));
    expect(scan(file.bytes)).toEqual([]);
  });

  it('a flipped bit in p: q still divides n, so medium; a damaged d in RSA3: medium; both primes damaged: low', () => {
    const k = rsaParts(keys.rsaKey(2048));
    const rsa2 = cngRsaBlob(k, 'RSA2');
    const pAt = 24 + k.e.length + k.n.length;
    const badP = flipBit(rsa2, pAt + 10);
    const badPQ = flipBit(flipBit(rsa2, pAt + 10), pAt + 128 + 10);
    const rsa3 = cngRsaBlob(k, 'RSA3');
    const badD = flipBit(rsa3, rsa3.length - 5);
    const file = plant(badP, badPQ, badD);
    const findings = expectBinaryRedacted(cngBlob, file.bytes, [file.range(0), file.range(2)]);
    expect(findings.map((f) => [f.offset, f.confidence])).toEqual([
      [file.at[0], 'medium'],
      [file.at[1], 'low'],
      [file.at[2], 'medium'],
    ]);
  });

  it('an RSA3 blob cut by the end of the data after q: medium up to the end; after n: low', () => {
    const k = rsaParts(keys.rsaKey(2048));
    const rsa3 = cngRsaBlob(k, 'RSA3');
    const afterQ = Buffer.concat([randomBytes(101), rsa3.subarray(0, 24 + 3 + 256 + 256 + 40)]);
    expect(summary(expectBinaryRedacted(cngBlob, afterQ, [[101, afterQ.length]]))).toEqual([
      [101, afterQ.length - 101, 'rsa-private-key', 'medium', 'cng-rsafullprivate'],
    ]);
    const afterN = Buffer.concat([randomBytes(101), rsa3.subarray(0, 24 + 3 + 256 + 60)]);
    expect(expectBinaryRedacted(cngBlob, afterN, []).map((f) => f.confidence)).toEqual(['low']);
  });
});

describe('cng-blob: ECC', () => {
  const named = [
    ['P-256', 'ECS2', 'ECK2'],
    ['P-384', 'ECS4', 'ECK4'],
    ['P-521', 'ECS6', 'ECK6'],
  ] as const;
  for (const [curve, ecdsa, ecdh] of named) {
    it(`finds ${ecdsa} and ${ecdh} (${curve}, d·G = (X, Y)), fingerprinted; ignores the public blobs`, () => {
      const k = ecParts(curve);
      const s = cngEccBlob(k, ecdsa);
      const h = cngEccBlob(k, ecdh);
      const pub = cngEccBlob(k, ecdsa.replace(/\d/, (d) => String(Number(d) - 1)), false);
      const file = plant(s, pub, h);
      const findings = expectBinaryRedacted(cngBlob, file.bytes, [file.range(0), file.range(2)]);
      expect(summary(findings)).toEqual([
        [file.at[0], s.length, 'ec-private-key', 'high', 'cng-eccprivate'],
        [file.at[2], h.length, 'ec-private-key', 'high', 'cng-eccprivate'],
      ]);
      expect(findings.map((f) => f.fingerprint)).toEqual(Array(2).fill(nodeFingerprint(keys.ecKey(curve))));
    });
  }

  it('finds generic ECDV/ECKV blobs: named-curve layout (secp256k1, P-384) and full-parameter layout', () => {
    const k1 = ecParts('secp256k1');
    const k384 = ecParts('P-384');
    const k256 = ecParts('P-256');
    const parts = [
      cngEccBlob(k1, 'ECDV'),
      cngEccBlob(k384, 'ECKV'),
      cngEccFullBlob('P-256', k256, 'ECDV'),
      cngEccFullBlob('secp256k1', k1, 'ECKV'),
    ];
    const file = plant(...parts);
    const findings = expectBinaryRedacted(cngBlob, file.bytes, parts.map((_, i) => file.range(i)));
    expect(findings.map((f) => [f.offset, f.confidence, f.encoding, f.fingerprint])).toEqual([
      [file.at[0], 'high', 'cng-eccprivate', nodeFingerprint(keys.ecKey('secp256k1'))],
      [file.at[1], 'high', 'cng-eccprivate', nodeFingerprint(keys.ecKey('P-384'))],
      [file.at[2], 'high', 'cng-eccfullprivate', nodeFingerprint(keys.ecKey('P-256'))],
      [file.at[3], 'high', 'cng-eccfullprivate', nodeFingerprint(keys.ecKey('secp256k1'))],
    ]);
  });

  it('a wrong curve point (d of another key) is low, not zeroed; a cbKey that does not fit the magic is nothing', () => {
    const k = ecParts('P-256');
    const other = ecParts('P-256', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    const mixed = cngEccBlob({ ...k, d: other.d }, 'ECS2');
    const wrongSize = cngEccBlob(ecParts('P-384'), 'ECS2');
    const file = plant(mixed, wrongSize);
    expect(expectBinaryRedacted(cngBlob, file.bytes, []).map((f) => [f.offset, f.confidence])).toEqual([[file.at[0], 'low']]);
  });

  it('an ECS4 blob cut inside d by the end of the data: medium up to the end; cut inside Y: nothing', () => {
    const blob = cngEccBlob(ecParts('P-384'), 'ECS4');
    const inD = Buffer.concat([randomBytes(33), blob.subarray(0, blob.length - 20)]);
    expect(summary(expectBinaryRedacted(cngBlob, inD, [[33, inD.length]]))).toEqual([
      [33, inD.length - 33, 'ec-private-key', 'medium', 'cng-eccprivate'],
    ]);
    const inY = Buffer.concat([randomBytes(33), blob.subarray(0, 8 + 48 + 20)]);
    expect(scan(inY)).toEqual([]);
  });
});

describe('cng-blob: KDBM', () => {
  it('finds BCRYPT_KEY_DATA_BLOBs of 16/24/32-byte AES keys and 8-byte DES keys (medium)', () => {
    const parts = [16, 24, 32, 8].map((n) => kdbmBlob(randomKey(n)));
    // Random keys fail the distinct-byte gate rarely (< 1 %); these are fixed to pass it.
    for (const p of parts) for (let i = 12; i < p.length; i++) p[i] = (i * 37 + 11) & 0xff;
    const file = plant(...parts);
    const findings = expectBinaryRedacted(cngBlob, file.bytes, parts.map((_, i) => file.range(i)));
    expect(summary(findings)).toEqual([
      [file.at[0], 28, 'aes-key', 'medium', 'cng-keydata'],
      [file.at[1], 36, 'aes-key', 'medium', 'cng-keydata'],
      [file.at[2], 44, 'aes-key', 'medium', 'cng-keydata'],
      [file.at[3], 20, 'symmetric-key', 'medium', 'cng-keydata'],
    ]);
    expect(findings.every((f) => f.fingerprint === undefined)).toBe(true);
  });

  it('rejects a wrong version, an odd size and low-entropy key bytes', () => {
    const file = plant(kdbmBlob(randomBytes(32), 2), kdbmBlob(randomBytes(20)), kdbmBlob(Buffer.alloc(32, 0x41)), kdbmBlob(Buffer.from('0123456789abcdef0123456789abcdef')));
    expect(scan(file.bytes)).toEqual([]);
  });
});
