import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  classifyKeyDer,
  decodeBase64,
  derSequenceLength,
  type KeyKind,
} from '../../../src/engine/detectors/der-key-info.ts';
import {
  certificateDer,
  dsaKey,
  ecKey,
  ecPkcs8WithoutPublicKey,
  okpKey,
  pkcs12Der,
  rsaKey,
  type EcCurve,
  type OkpType,
} from '../../fixtures/keys.ts';

const CURVES: EcCurve[] = ['P-256', 'P-384', 'P-521', 'secp256k1'];

function cases(): [string, Buffer, KeyKind][] {
  const encrypted = { type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: 'test' } as const;
  const okpKinds: Record<OkpType, KeyKind> = {
    ed25519: 'ed25519-private-key',
    x25519: 'x25519-private-key',
    ed448: 'private-key',
    x448: 'private-key',
  };
  return [
    ...[1024, 2048].flatMap((bits): [string, Buffer, KeyKind][] => [
      [`RSA-${bits} PKCS#1`, rsaKey(bits).export({ type: 'pkcs1', format: 'der' }), 'rsa-private-key'],
      [`RSA-${bits} PKCS#8`, rsaKey(bits).export({ type: 'pkcs8', format: 'der' }), 'rsa-private-key'],
    ]),
    ...CURVES.flatMap((c): [string, Buffer, KeyKind][] => [
      [`${c} SEC1`, ecKey(c).export({ type: 'sec1', format: 'der' }), 'ec-private-key'],
      [`${c} PKCS#8`, ecKey(c).export({ type: 'pkcs8', format: 'der' }), 'ec-private-key'],
    ]),
    ...(Object.keys(okpKinds) as OkpType[]).map((t): [string, Buffer, KeyKind] => [
      t,
      okpKey(t).export({ type: 'pkcs8', format: 'der' }),
      okpKinds[t],
    ]),
    ['DSA PKCS#8', dsaKey().export({ type: 'pkcs8', format: 'der' }), 'dsa-private-key'],
    ['encrypted RSA', rsaKey(2048).export(encrypted), 'encrypted-private-key'],
    ['encrypted Ed25519', okpKey('ed25519').export(encrypted), 'encrypted-private-key'],
    ['EC PKCS#8 without public key', ecPkcs8WithoutPublicKey(), 'ec-private-key'],
    ['PKCS#12', pkcs12Der(), 'pkcs12'],
  ];
}

describe('classifyKeyDer', () => {
  it.each(cases())('classifies %s, whole and from a 40-byte prefix', (_, der, kind) => {
    expect(classifyKeyDer(der)).toBe(kind);
    expect(classifyKeyDer(der.subarray(0, 40))).toBe(kind);
    expect(derSequenceLength(der)).toBe(der.length);
  });

  it('rejects public keys and certificates', () => {
    for (const key of [rsaKey(2048), ecKey('P-256'), okpKey('ed25519')]) {
      expect(classifyKeyDer(createPublicKey(key).export({ type: 'spki', format: 'der' }))).toBeNull();
    }
    expect(classifyKeyDer(certificateDer())).toBeNull();
  });

  it('rejects a prefix whose declared length cannot hold what follows', () => {
    // SEQUENCE of 3 bytes claiming to hold a PKCS#1 key.
    expect(classifyKeyDer(Buffer.from('30030201000282010100', 'hex'))).toBeNull();
    expect(classifyKeyDer(Buffer.from('31820100020100', 'hex'))).toBeNull();
    expect(classifyKeyDer(new Uint8Array(0))).toBeNull();
  });
});

describe('decodeBase64', () => {
  it('decodes whole and partial groups and stops at padding', () => {
    expect(Buffer.from(decodeBase64('TWFu')!).toString()).toBe('Man');
    expect(Buffer.from(decodeBase64('TWE=')!).toString()).toBe('Ma');
    expect(Buffer.from(decodeBase64('TWFuTW')!).toString()).toBe('ManM');
  });

  it('rejects characters outside the alphabet', () => {
    expect(decodeBase64('TW-u')).toBeNull();
    expect(decodeBase64('TW\nu')).toBeNull();
  });
});
