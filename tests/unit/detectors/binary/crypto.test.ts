import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bigFromBE, bigFromLE, bigToBE, byteLength } from '../../../../src/engine/crypto/bigint.ts';
import { ecCurveByName, ecDecodePoint, ecPoint, ecPublicPoint, isOnCurve, searchPublicPoint } from '../../../../src/engine/crypto/curves.ts';
import { distinctBytes, looksRandom, minDistinct } from '../../../../src/engine/crypto/entropy.ts';
import { ecFingerprint, okpFingerprint, rsaFingerprint, spkiFingerprint } from '../../../../src/engine/crypto/fingerprint.ts';
import { okpByAlgorithm } from '../../../../src/engine/crypto/okp.ts';
import { checkRsa, exponentWorks, modPow, rsaConfidence } from '../../../../src/engine/crypto/rsa.ts';
import { ecSpki, okpSpki, rsaSpki } from '../../../../src/engine/crypto/spki.ts';
import * as keys from '../../../fixtures/keys.ts';
import { big, ecParts, nodeFingerprint, rsaParts, spkiDer } from '../../../fixtures/binary-keys.ts';

const rsaComponents = (bits: number) => {
  const k = rsaParts(keys.rsaKey(bits));
  return { n: big(k.n), e: big(k.e), d: big(k.d), p: big(k.p), q: big(k.q), dp: big(k.dp), dq: big(k.dq), qinv: big(k.qi) };
};

describe('crypto/bigint', () => {
  it('reads big- and little-endian integers and writes minimal or padded big-endian', () => {
    const bytes = Uint8Array.of(0x00, 0x01, 0x02, 0xff);
    expect(bigFromBE(bytes)).toBe(0x0102ffn);
    expect(bigFromLE(bytes)).toBe(0xff020100n);
    expect(bigFromBE(bytes, 1, 1)).toBe(0n);
    expect([...bigToBE(0x0102ffn)]).toEqual([1, 2, 0xff]);
    expect([...bigToBE(0x0102ffn, 5)]).toEqual([0, 0, 1, 2, 0xff]);
    expect(() => bigToBE(0x0102ffn, 2)).toThrow(RangeError);
    expect(byteLength(0n)).toBe(1);
    expect(byteLength(0x100n)).toBe(2);
  });
});

describe('crypto/spki and fingerprint: byte-exact with node:crypto', () => {
  it('RSA (e = 65537 and e = 3, several sizes)', () => {
    for (const key of [keys.rsaKey(1024), keys.rsaKey(2048), generateKeyPairSync('rsa', { modulusLength: 1536, publicExponent: 3 }).privateKey]) {
      const k = rsaParts(key);
      expect(Buffer.from(rsaSpki(big(k.n), big(k.e)))).toEqual(spkiDer(key));
      expect(rsaFingerprint(big(k.n), big(k.e))).toBe(nodeFingerprint(key));
    }
  });

  it('EC on P-256, P-384, P-521 and secp256k1, from d alone', () => {
    for (const name of ['P-256', 'P-384', 'P-521', 'secp256k1'] as const) {
      const curve = ecCurveByName(name);
      const k = ecParts(name);
      const point = ecPublicPoint(curve, big(k.d))!;
      expect(Buffer.from(point)).toEqual(Buffer.concat([Buffer.of(4), k.x, k.y]));
      expect(Buffer.from(ecSpki(curve.oid, point))).toEqual(spkiDer(keys.ecKey(name)));
      expect(ecFingerprint(curve.oid, point)).toBe(nodeFingerprint(keys.ecKey(name)));
      expect(isOnCurve(curve, big(k.x), big(k.y))).toBe(true);
      expect(isOnCurve(curve, big(k.x), big(k.y) ^ 1n)).toBe(false);
      expect(ecPublicPoint(curve, 0n)).toBeNull();
      expect(ecPublicPoint(curve, curve.order)).toBeNull();
    }
  });

  it('ecDecodePoint decompresses and validates points; searchPublicPoint agrees with ecPublicPoint', () => {
    for (const name of ['P-256', 'P-384', 'P-521', 'secp256k1'] as const) {
      const curve = ecCurveByName(name);
      const k = ecParts(name);
      const point = Uint8Array.from([4, ...k.x, ...k.y]);
      const compressed = Uint8Array.from([2 + (k.y[k.y.length - 1]! & 1), ...k.x]);
      expect(ecDecodePoint(curve, point), name).toEqual(point);
      expect(ecDecodePoint(curve, compressed), name).toEqual(point);
      const offCurve = Uint8Array.from(point);
      offCurve[offCurve.length - 1]! ^= 1;
      expect(ecDecodePoint(curve, offCurve), name).toBeNull();
      expect(ecDecodePoint(curve, point.subarray(0, point.length - 1)), name).toBeNull();
      expect(searchPublicPoint(curve, big(k.d)).toBytes(false), name).toEqual(ecPublicPoint(curve, big(k.d)));
      expect(searchPublicPoint(curve, big(k.d)).equals(ecPoint(curve, compressed)), name).toBe(true);
      expect(searchPublicPoint(curve, big(k.d) + 1n).equals(ecPoint(curve, point)), name).toBe(false);
    }
  });

  it('Ed25519, X25519, Ed448, X448, public key derived from the private key', () => {
    for (const type of ['ed25519', 'x25519', 'ed448', 'x448'] as const) {
      const key = keys.okpKey(type);
      const jwk = key.export({ format: 'jwk' });
      const okp = okpByAlgorithm(type);
      const pub = okp.derivePublic(Buffer.from(jwk.d!, 'base64url'));
      expect(Buffer.from(pub)).toEqual(Buffer.from(jwk.x!, 'base64url'));
      expect(Buffer.from(okpSpki(okp.oid, pub))).toEqual(spkiDer(key));
      expect(okpFingerprint(okp.oid, pub)).toBe(nodeFingerprint(key));
    }
  });

  it('spkiFingerprint is sha256: + hex of the DER', () => {
    const der = spkiDer(keys.rsaKey(2048));
    expect(spkiFingerprint(der)).toBe('sha256:' + createHash('sha256').update(der).digest('hex'));
    expect(nodeFingerprint(createPublicKey(keys.rsaKey(2048)))).toBe(spkiFingerprint(der));
  });
});

describe('crypto/rsa', () => {
  it('confirms a whole key: n = p·q and consistent CRT values', () => {
    const c = rsaComponents(2048);
    expect(checkRsa(c)).toEqual({ factored: true, consistent: true, factorFound: true, exponentWorks: false });
    expect(rsaConfidence(checkRsa(c), true)).toBe('high');
    expect(rsaConfidence(checkRsa(c), false)).toBe('medium');
    // CNG RSA2 / a key cut after q: only n, e, p, q.
    expect(rsaConfidence(checkRsa({ n: c.n, e: c.e, p: c.p, q: c.q }), true)).toBe('high');
  });

  it('grades damaged keys: a bad CRT value or one bad prime is medium, a working d alone is medium, nothing is low', () => {
    const c = rsaComponents(2048);
    expect(rsaConfidence(checkRsa({ ...c, qinv: c.qinv + 1n }), true)).toBe('medium');
    expect(rsaConfidence(checkRsa({ ...c, dp: c.dp ^ 2n }), true)).toBe('medium');
    expect(rsaConfidence(checkRsa({ ...c, p: c.p ^ 4n }), true)).toBe('medium');
    const noPrimes = { ...c, p: c.p ^ 4n, q: c.q ^ 4n };
    expect(checkRsa(noPrimes).exponentWorks).toBe(true);
    expect(rsaConfidence(checkRsa(noPrimes), true)).toBe('medium');
    expect(rsaConfidence(checkRsa({ ...noPrimes, d: c.d ^ 8n }), true)).toBe('low');
    expect(rsaConfidence(checkRsa({ n: c.n, e: c.e }), false)).toBe('low');
  });

  it('modPow and exponentWorks', () => {
    expect(modPow(4n, 13n, 497n)).toBe(445n);
    const c = rsaComponents(1024);
    expect(exponentWorks(c.n, c.e, c.d)).toBe(true);
    expect(exponentWorks(c.n, c.e, c.d + 2n)).toBe(false);
  });
});

describe('crypto/entropy', () => {
  it('keeps the thresholds measured in detectors.md §5.2', () => {
    expect([8, 16, 24, 32, 64, 128].map(minDistinct)).toEqual([7, 14, 20, 27, 48, 86]);
    expect(distinctBytes(Uint8Array.of(1, 1, 2, 3, 3), 0, 5)).toBe(3);
    expect(looksRandom(Buffer.alloc(32, 9), 0, 32)).toBe(false);
    expect(looksRandom(Uint8Array.from({ length: 32 }, (_, i) => i * 7), 0, 32)).toBe(true);
  });
});
