import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { derPrivateKey } from '../../../../src/engine/detectors/binary/der-private-key.ts';
import { classifyKeyDer } from '../../../../src/engine/detectors/der-key-info.ts';
import * as keys from '../../../fixtures/keys.ts';
import {
  ecDer,
  encryptedDer,
  expectBinaryRedacted,
  flipBit,
  nodeFingerprint,
  okpDer,
  plant,
  rsaDer,
  scanBinary,
  spkiDer,
} from '../../../fixtures/binary-keys.ts';

const scan = (bytes: Uint8Array) => scanBinary(derPrivateKey, bytes, bytes.length + 1);

/** The DER TLV header length at `der[0]`. */
const headerLength = (der: Uint8Array) => (der[1]! < 0x80 ? 2 : 2 + (der[1]! & 0x7f));

describe('der-private-key: complete keys', () => {
  const rsaCases = [
    { name: 'PKCS#1 RSA-1024', bits: 1024, type: 'pkcs1' as const, encoding: 'der-pkcs1' },
    { name: 'PKCS#1 RSA-2048', bits: 2048, type: 'pkcs1' as const, encoding: 'der-pkcs1' },
    { name: 'PKCS#1 RSA-4096', bits: 4096, type: 'pkcs1' as const, encoding: 'der-pkcs1' },
    { name: 'PKCS#8 RSA-2048', bits: 2048, type: 'pkcs8' as const, encoding: 'der-pkcs8' },
  ];
  for (const c of rsaCases) {
    it(`finds ${c.name} with high confidence and the SPKI fingerprint, at any chunking`, () => {
      const der = rsaDer(c.bits, c.type);
      const file = plant(der);
      const [f, ...rest] = expectBinaryRedacted(derPrivateKey, file.bytes, [file.range(0)]);
      expect(rest).toEqual([]);
      expect(f).toMatchObject({
        offset: file.at[0],
        length: der.length,
        kind: 'rsa-private-key',
        detector: 'der-private-key',
        confidence: 'high',
        encoding: c.encoding,
        fingerprint: nodeFingerprint(keys.rsaKey(c.bits)),
      });
    });
  }

  for (const curve of ['P-256', 'P-384', 'P-521', 'secp256k1'] as const) {
    it(`finds ${curve} as SEC1 and as PKCS#8 (d·G checked), each once`, () => {
      const sec1 = ecDer(curve, 'sec1');
      const pkcs8 = ecDer(curve, 'pkcs8');
      const file = plant(sec1, pkcs8);
      const findings = expectBinaryRedacted(derPrivateKey, file.bytes, [file.range(0), file.range(1)]);
      const fingerprint = nodeFingerprint(keys.ecKey(curve));
      expect(findings).toEqual([
        { offset: file.at[0], length: sec1.length, kind: 'ec-private-key', detector: 'der-private-key', confidence: 'high', encoding: 'der-sec1', fingerprint },
        { offset: file.at[1], length: pkcs8.length, kind: 'ec-private-key', detector: 'der-private-key', confidence: 'high', encoding: 'der-pkcs8', fingerprint },
      ]);
    });
  }

  const okpKinds = { ed25519: 'ed25519-private-key', x25519: 'x25519-private-key', ed448: 'ed448-private-key', x448: 'x448-private-key' };
  for (const type of ['ed25519', 'x25519', 'ed448', 'x448'] as const) {
    it(`finds ${type} PKCS#8 (exact template) with the derived public key's fingerprint`, () => {
      const der = okpDer(type);
      const file = plant(der);
      const findings = expectBinaryRedacted(derPrivateKey, file.bytes, [file.range(0)]);
      expect(findings).toEqual([
        {
          offset: file.at[0],
          length: der.length,
          kind: okpKinds[type],
          detector: 'der-private-key',
          confidence: 'high',
          encoding: 'der-pkcs8',
          fingerprint: nodeFingerprint(keys.okpKey(type)),
        },
      ]);
    });
  }

  it('checks the public key of a PKCS#8 v1 (OneAsymmetricKey) Ed25519 key', () => {
    const key = keys.okpKey('ed25519');
    const jwk = key.export({ format: 'jwk' });
    const seed = Buffer.from(jwk.d!, 'base64url');
    const pub = Buffer.from(jwk.x!, 'base64url');
    const v1 = (publicKey: Buffer) =>
      Buffer.concat([Buffer.from('3051020101300506032b657004220420', 'hex'), seed, Buffer.from('812100', 'hex'), publicKey]);
    const good = v1(pub);
    const bad = v1(flipBit(pub, 5));
    // (OpenSSL 3.0, hence node:crypto, cannot read the v1 form, so the layout is RFC 8410's §10.3 one.)
    const file = plant(good, bad);
    const findings = expectBinaryRedacted(derPrivateKey, file.bytes, [file.range(0)]);
    expect(findings.map((f) => [f.offset, f.length, f.confidence, f.fingerprint])).toEqual([
      [file.at[0], good.length, 'high', nodeFingerprint(key)],
      [file.at[1], bad.length, 'low', nodeFingerprint(key)],
    ]);
  });

  it('finds RSA-PSS PKCS#8, fingerprinted as rsaEncryption SPKI of the same n, e', () => {
    const key = generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey;
    const der = key.export({ type: 'pkcs8', format: 'der' });
    // node:crypto has no JWK for RSA-PSS: take RSAPublicKey out of the SPKI's BIT STRING.
    const spki = spkiDer(key);
    const algEnd = headerLength(spki) + headerLength(spki.subarray(headerLength(spki))) + lengthOf(spki.subarray(headerLength(spki)));
    const rsaPublicKey = spki.subarray(algEnd + headerLength(spki.subarray(algEnd)) + 1);
    const asRsa = createPublicKey({ key: rsaPublicKey, format: 'der', type: 'pkcs1' });
    const file = plant(der);
    const [f] = expectBinaryRedacted(derPrivateKey, file.bytes, [file.range(0)]);
    expect(f).toMatchObject({ offset: file.at[0], length: der.length, confidence: 'high', encoding: 'der-pkcs8', fingerprint: nodeFingerprint(asRsa) });
  });

  it('checks a compressed public point too (OpenSSL -conv_form compressed)', () => {
    const key = keys.ecKey('P-384');
    const sec1 = ecDer('P-384', 'sec1');
    const { x, y } = key.export({ format: 'jwk' });
    const X = Buffer.from(x!, 'base64url');
    const Y = Buffer.from(y!, 'base64url');
    const compressed = Buffer.concat([Buffer.of(2 + (Y[Y.length - 1]! & 1)), X]);
    // Rebuild: same version, d and parameters, then [1] BIT STRING of the compressed point.
    const head = sec1.subarray(3, 3 + 3 + 2 + 48 + 9); // 30 81 LL | 02 01 01 | 04 30 d | a0 07 06 05 OID
    const body = Buffer.concat([head, keys.tlv(0xa1, keys.tlv(0x03, Buffer.concat([Buffer.of(0), compressed])))]);
    const der = keys.tlv(0x30, body);
    const file = plant(der);
    const [f] = expectBinaryRedacted(derPrivateKey, file.bytes, [file.range(0)]);
    expect(f).toMatchObject({ confidence: 'high', fingerprint: nodeFingerprint(key) });
  });

  it('rates EC keys without a public point medium (PKCS#8 as Java writes it, SEC1 with or without curve)', () => {
    const curveOnly = keys.ecPkcs8WithoutPublicKey(); // P-256, no public key
    const d = Buffer.from(keys.ecKey('P-256').export({ format: 'jwk' }).d!, 'base64url');
    const sec1Named = keys.tlv(0x30, Buffer.from('020101', 'hex'), keys.tlv(0x04, d), Buffer.from('a00a06082a8648ce3d030107', 'hex'));
    const sec1Bare = keys.tlv(0x30, Buffer.from('020101', 'hex'), keys.tlv(0x04, d));
    const file = plant(curveOnly, sec1Named, sec1Bare);
    const findings = expectBinaryRedacted(derPrivateKey, file.bytes, [file.range(0), file.range(1), file.range(2)]);
    const fingerprint = nodeFingerprint(keys.ecKey('P-256'));
    expect(findings.map((f) => [f.offset, f.confidence, f.encoding, f.fingerprint])).toEqual([
      [file.at[0], 'medium', 'der-pkcs8', fingerprint],
      [file.at[1], 'medium', 'der-sec1', fingerprint],
      // 32 bytes without a curve: P-256 or secp256k1, so no fingerprint.
      [file.at[2], 'medium', 'der-sec1', undefined],
    ]);
  });

  it('rates encrypted PKCS#8 (PBES2) and PKCS#12 medium, whole structure', () => {
    const enc = encryptedDer(keys.rsaKey(2048));
    const encEc = encryptedDer(keys.ecKey('P-384'));
    const pfx = keys.pkcs12Der(3000);
    const file = plant(enc, encEc, pfx);
    const findings = expectBinaryRedacted(derPrivateKey, file.bytes, [file.range(0), file.range(1), file.range(2)]);
    expect(findings.map((f) => [f.offset, f.length, f.kind, f.confidence, f.encoding])).toEqual([
      [file.at[0], enc.length, 'encrypted-private-key', 'medium', 'der-pkcs8-encrypted'],
      [file.at[1], encEc.length, 'encrypted-private-key', 'medium', 'der-pkcs8-encrypted'],
      [file.at[2], pfx.length, 'pkcs12', 'medium', 'der-pkcs12'],
    ]);
  });

  it('finds every key of a mixed buffer, each once, at any chunking', () => {
    const parts = [rsaDer(2048, 'pkcs1'), ecDer('P-256', 'pkcs8'), okpDer('ed25519'), rsaDer(1024, 'pkcs8'), ecDer('P-521', 'sec1')];
    const file = plant(...parts);
    const findings = expectBinaryRedacted(derPrivateKey, file.bytes, parts.map((_, i) => file.range(i)), [1, 7, 17, 4099]);
    expect(findings.map((f) => f.confidence)).toEqual(['high', 'high', 'high', 'high', 'high']);
    expect(file.at.every((offset) => offset % 2 === 1)).toBe(true);
    // The text detectors' classifier (der-key-info.ts) agrees on what each found range holds.
    for (const f of findings) expect(classifyKeyDer(file.bytes.subarray(f.offset, f.offset + f.length))).toBe(f.kind);
  });
});

describe('der-private-key: negative twins', () => {
  it('ignores public keys and certificates', () => {
    const file = plant(spkiDer(keys.rsaKey(2048)), spkiDer(keys.ecKey('P-256')), spkiDer(keys.okpKey('ed25519')), keys.certificateDer());
    expect(scan(file.bytes)).toEqual([]);
  });

  it('does not confirm an RSA key whose secret fields belong to another key (low, not zeroed)', () => {
    const a = keys.rsaKey(2048).export({ format: 'jwk' });
    const b = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
    const mixed = createPrivateKey({ key: { ...b, n: a.n, e: a.e }, format: 'jwk' }).export({ type: 'pkcs1', format: 'der' });
    const file = plant(mixed);
    const findings = expectBinaryRedacted(derPrivateKey, file.bytes, []);
    expect(findings.map((f) => [f.offset, f.confidence])).toEqual([[file.at[0], 'low']]);
  });

  it('a flipped bit in p breaks n = p·q but q still divides n: medium, never high', () => {
    const der = rsaDer(2048, 'pkcs1');
    // p is the 5th INTEGER; find it by skipping the first four.
    let at = headerLength(der);
    for (let i = 0; i < 4; i++) at += headerLength(der.subarray(at)) + lengthOf(der.subarray(at));
    const flipped = flipBit(der, at + headerLength(der.subarray(at)) + 20);
    const file = plant(flipped);
    const [f] = expectBinaryRedacted(derPrivateKey, file.bytes, [file.range(0)]);
    expect(f!.confidence).toBe('medium');
  });

  it('a wrong public point in SEC1 is low (d·G ≠ Q)', () => {
    const der = Buffer.from(ecDer('P-256', 'sec1'));
    der[der.length - 1]! ^= 1; // last byte of Y
    const file = plant(der);
    const findings = expectBinaryRedacted(derPrivateKey, file.bytes, []);
    expect(findings.map((f) => [f.offset, f.confidence])).toEqual([[file.at[0], 'low']]);
  });

  it('rejects an INTEGER whose length overruns its SEQUENCE', () => {
    const der = Buffer.from(rsaDer(2048, 'pkcs1'));
    // n: 02 82 01 01 → 02 82 05 01, past the end of the outer SEQUENCE.
    expect(der.subarray(7, 11)).toEqual(Buffer.from('02820101', 'hex'));
    der[9] = 0x05;
    expect(scan(plant(der).bytes)).toEqual([]);
  });

  it('rejects anchors in random data and in zeroed or repeated memory', () => {
    const anchorsInNoise = Buffer.concat(
      derPrivateKey.rawAnchors!.flatMap((a) => [randomBytes(97), Buffer.from(a, 'latin1'), randomBytes(80)]),
    );
    expect(scan(anchorsInNoise)).toEqual([]);
    const ed = Buffer.from(okpDer('ed25519'));
    ed.fill(0, 16);
    expect(scan(plant(ed).bytes)).toEqual([]);
  });
});

describe('der-private-key: truncated keys', () => {
  it('an RSA key cut after p and overwritten: medium over the declared extent; cut inside d: low', () => {
    const der = rsaDer(2048, 'pkcs1');
    const afterP = Buffer.concat([der.subarray(0, 700), randomBytes(490)]);
    const insideD = Buffer.concat([der.subarray(0, 400), randomBytes(790)]);
    const file = plant(afterP, insideD);
    const findings = expectBinaryRedacted(derPrivateKey, file.bytes, [[file.at[0]!, file.at[0]! + der.length]]);
    expect(findings.map((f) => [f.offset, f.confidence])).toEqual([
      [file.at[0], 'medium'],
      [file.at[1], 'low'],
    ]);
  });

  it('an RSA key cut by the end of the data after d (d checked by one modexp): medium up to the end', () => {
    const der = rsaDer(2048, 'pkcs8');
    const bytes = Buffer.concat([randomBytes(333), der.subarray(0, 600)]);
    // The PKCS#8 anchor reports it; the PKCS#1 anchor inside finds the same key and is dropped.
    const findings = expectBinaryRedacted(derPrivateKey, bytes, [[333, bytes.length]]);
    expect(findings.map((f) => [f.offset, f.confidence, f.encoding, f.fingerprint])).toEqual([
      [333, 'medium', 'der-pkcs8', nodeFingerprint(keys.rsaKey(2048))],
    ]);
  });

  it('an EC key cut by the end of the data inside its public point: medium up to the end; inside d: nothing', () => {
    const der = ecDer('P-384', 'sec1');
    const inPoint = Buffer.concat([randomBytes(99), der.subarray(0, der.length - 30)]);
    expect(expectBinaryRedacted(derPrivateKey, inPoint, [[99, inPoint.length]]).map((f) => f.confidence)).toEqual(['medium']);
    const inD = Buffer.concat([randomBytes(99), der.subarray(0, 40)]);
    expect(scan(inD)).toEqual([]);
  });

  it('an EC key overwritten after d: medium over the declared extent (its d is still there)', () => {
    const der = ecDer('P-256', 'sec1');
    // 30 77 02 01 01 04 20 <d> A0 …: keep the header and d, overwrite from the curve parameters on.
    const damaged = Buffer.concat([der.subarray(0, 39), randomBytes(der.length - 39)]);
    damaged[39] = 0x5a; // not a context tag
    const file = plant(damaged);
    const [f] = expectBinaryRedacted(derPrivateKey, file.bytes, [file.range(0)]);
    expect(f!.confidence).toBe('medium');
  });

  it('an EC key whose public point was overwritten is indistinguishable from a wrong point: low', () => {
    const der = ecDer('P-256', 'sec1');
    const damaged = Buffer.concat([der.subarray(0, der.length - 30), randomBytes(30)]);
    const file = plant(damaged);
    expect(expectBinaryRedacted(derPrivateKey, file.bytes, []).map((f) => f.confidence)).toEqual(['low']);
  });

  it('an Ed25519 key cut by the end of the data: medium up to the end', () => {
    const der = okpDer('ed25519');
    const bytes = Buffer.concat([randomBytes(101), der.subarray(0, 30)]);
    const findings = expectBinaryRedacted(derPrivateKey, bytes, [[101, bytes.length]]);
    expect(findings.map((f) => f.confidence)).toEqual(['medium']);
  });

  it('encrypted PKCS#8 and PKCS#12 cut by the end of the data: medium up to the end', () => {
    const enc = encryptedDer(keys.rsaKey(2048));
    const pfx = keys.pkcs12Der(3000);
    for (const der of [enc, pfx]) {
      const bytes = Buffer.concat([randomBytes(77), der.subarray(0, der.length >> 1)]);
      const findings = expectBinaryRedacted(derPrivateKey, bytes, [[77, bytes.length]], [1, 17, 4099]);
      expect(findings.map((f) => f.confidence)).toEqual(['medium']);
    }
  });
});

/** Contents length of the TLV at der[0]. */
function lengthOf(der: Uint8Array): number {
  if (der[1]! < 0x80) return der[1]!;
  let n = 0;
  for (let i = 0; i < (der[1]! & 0x7f); i++) n = n * 256 + der[2 + i]!;
  return n;
}
