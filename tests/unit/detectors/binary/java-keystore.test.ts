import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { javaKeystore } from '../../../../src/engine/detectors/binary/java-keystore.ts';
import { serializedStreamEnd } from '../../../../src/engine/detectors/binary/java-serialization.ts';
import { expectBinaryRedacted, nodeFingerprint, plant, scanBinary, u32be } from '../../../fixtures/binary-keys.ts';
import {
  hasKeytool,
  JCEKS_MAGIC,
  JKS_MAGIC,
  keystoreBytes,
  keytoolStore,
  privateKeyEntry,
  sealedObjectStream,
  type KeystoreEntry,
} from '../../../fixtures/java-keystores.ts';
import * as keys from '../../../fixtures/keys.ts';

const CHUNKS = [1, 7, 17, 4099];

/** The one finding of a store planted alone, after checking its range at every chunking. */
function onlyFinding(store: Uint8Array, expectedLength = store.length) {
  const file = plant(store);
  const start = file.at[0]!;
  const findings = expectBinaryRedacted(javaKeystore, file.bytes, [[start, start + expectedLength]], CHUNKS);
  expect(findings).toHaveLength(1);
  return findings[0]!;
}

/** Index in `store` of the first byte of `part`. */
const indexOf = (store: Buffer, part: Uint8Array) => store.indexOf(Buffer.from(part));

describe('java-keystore: stores built from node:crypto keys', () => {
  const cert = keys.certificateDer(); // SPKI of keys.rsaKey(2048)
  const rsaEntry = privateKeyEntry('server', keys.rsaKey(2048), [cert]);
  const trusted: KeystoreEntry = { tag: 2, alias: 'ca', cert: keys.certificateDer() };

  it('zeroes a JKS (v2: private key with its chain, trusted cert) whole and names the key by its certificate', () => {
    const store = keystoreBytes(JKS_MAGIC, [rsaEntry, trusted]);
    expect(onlyFinding(store)).toMatchObject({
      kind: 'java-keystore',
      detector: 'java-keystore',
      confidence: 'medium',
      encoding: 'jks',
      fingerprint: nodeFingerprint(keys.rsaKey(2048)),
    });
  });

  it('reads version 1 stores, whose certificates have no type string', () => {
    const store = keystoreBytes(JKS_MAGIC, [rsaEntry, trusted], { version: 1 });
    expect(onlyFinding(store)).toMatchObject({ confidence: 'medium', encoding: 'jks' });
  });

  it('zeroes a JCEKS with a secret key (a serialized SealedObject) between two private keys; no fingerprint for two keys', () => {
    const store = keystoreBytes(JCEKS_MAGIC, [rsaEntry, { tag: 3, alias: 'aes', sealed: sealedObjectStream() }, privateKeyEntry('ec', keys.ecKey('P-256'), [cert])]);
    const f = onlyFinding(store);
    expect(f).toMatchObject({ confidence: 'medium', encoding: 'jceks' });
    expect(f.fingerprint).toBeUndefined();
  });

  it('zeroes an empty store (header and trailer) and a trust store, both complete', () => {
    expect(onlyFinding(keystoreBytes(JKS_MAGIC, []))).toMatchObject({ confidence: 'medium' });
    expect(onlyFinding(keystoreBytes(JKS_MAGIC, [trusted]))).toMatchObject({ confidence: 'medium' });
  });

  it('near-miss twins: a changed magic, version, date or tag is no store', () => {
    const store = keystoreBytes(JKS_MAGIC, [rsaEntry]);
    const twins = [
      Buffer.concat([u32be(0xfeedfeee), store.subarray(4)]), // magic
      Buffer.concat([store.subarray(0, 4), u32be(3), store.subarray(8)]), // JKS has versions 1 and 2 only
      keystoreBytes(JCEKS_MAGIC, [rsaEntry], { version: 1 }), // JCEKS has version 2 only
      keystoreBytes(JKS_MAGIC, [{ ...rsaEntry, date: Date.UTC(1990, 0, 1) }]), // before Java
      keystoreBytes(JKS_MAGIC, [{ tag: 3, alias: 'aes', sealed: sealedObjectStream() }]), // secret keys are JCEKS only
      keystoreBytes(JKS_MAGIC, [{ ...rsaEntry, alias: 'a\0b' }]), // a raw NUL is not modified UTF-8
      keystoreBytes(JKS_MAGIC, [rsaEntry], { count: 10_001 }),
    ];
    for (const twin of twins) expect(scanBinary(javaKeystore, plant(twin).bytes, 4099)).toEqual([]);
  });

  it('a count one too high or too low still zeroes every entry and the trailer', () => {
    for (const count of [1, 3]) {
      const store = keystoreBytes(JKS_MAGIC, [rsaEntry, trusted], { count });
      expect(onlyFinding(store)).toMatchObject({ confidence: 'medium' });
    }
  });

  it('a damaged protected key keeps its declared bytes inside the redaction', () => {
    const store = keystoreBytes(JKS_MAGIC, [rsaEntry, trusted]);
    const keyAt = indexOf(store, rsaEntry.key);
    const damaged = Buffer.from(store);
    damaged[keyAt] = 0x31; // not a SEQUENCE
    expect(onlyFinding(damaged, keyAt + rsaEntry.key.length)).toMatchObject({ confidence: 'medium' });
  });

  it('a truncated store is zeroed through the end of the data: medium once a key entry is reached, low before', () => {
    const store = keystoreBytes(JKS_MAGIC, [rsaEntry, trusted]);
    const keyAt = indexOf(store, rsaEntry.key);
    const cut = store.subarray(0, keyAt + 100);
    const atEnd = Buffer.concat([randomBytes(301), cut]);
    expect(scanBinary(javaKeystore, atEnd, 4099)).toMatchObject([{ offset: 301, length: cut.length, confidence: 'medium' }]);
    for (const size of CHUNKS) expect(scanBinary(javaKeystore, atEnd, size)).toEqual(scanBinary(javaKeystore, atEnd, atEnd.length));
    const headerOnly = Buffer.concat([randomBytes(301), store.subarray(0, 20)]);
    expect(scanBinary(javaKeystore, headerOnly, 4099)).toMatchObject([{ offset: 301, length: 20, confidence: 'low' }]);
  });

  it('finds every store among several planted at odd offsets, at any chunking', () => {
    const stores = [keystoreBytes(JKS_MAGIC, [rsaEntry]), keystoreBytes(JCEKS_MAGIC, [trusted, { tag: 3, alias: 's', sealed: sealedObjectStream() }])];
    const file = plant(...stores);
    const findings = expectBinaryRedacted(javaKeystore, file.bytes, [file.range(0), file.range(1)], CHUNKS);
    expect(findings.map((f) => f.encoding)).toEqual(['jks', 'jceks']);
  });
});

describe('serializedStreamEnd', () => {
  const stream = Buffer.concat([sealedObjectStream(), randomBytes(64)]);
  const length = stream.length - 64;

  it('delimits a SealedObject stream, class descriptors shared by handle', () => {
    expect(serializedStreamEnd(stream, 0, stream.length, stream.length)).toBe(length);
  });

  it('tells a stream cut by the end of the data from one over its limit', () => {
    expect(serializedStreamEnd(stream, 0, stream.length, length - 1)).toBe('cut');
    expect(serializedStreamEnd(stream, 0, length - 1, stream.length)).toBeNull();
  });

  it('refuses a wrong magic, an unknown tag and a reference to a handle not yet assigned', () => {
    const wrongMagic = Buffer.from(stream);
    wrongMagic[1] = 0xee;
    expect(serializedStreamEnd(wrongMagic, 0, stream.length, stream.length)).toBeNull();
    const unknownTag = Buffer.from(stream);
    unknownTag[4] = 0x6f;
    expect(serializedStreamEnd(unknownTag, 0, stream.length, stream.length)).toBeNull();
    const badHandle = Buffer.from(stream);
    const ref = badHandle.indexOf(Buffer.of(0x71, 0x00, 0x7e, 0x00, 0x02));
    badHandle[ref + 4] = 0x09;
    expect(serializedStreamEnd(badHandle, 0, stream.length, stream.length)).toBeNull();
  });
});

describe.skipIf(!hasKeytool())('java-keystore: stores written by keytool', () => {
  let jks: { store: Buffer; files: Buffer[] };
  let jceks: { store: Buffer; files: Buffer[] };
  beforeAll(() => {
    jks = keytoolStore('JKS', [
      ['-genkeypair', '-alias', 'a', '-keyalg', 'RSA', '-keysize', '2048', '-dname', 'CN=t'],
      ['-exportcert', '-alias', 'a', '-file', '{dir}/a.der'],
    ], ['a.der']);
    jceks = keytoolStore('JCEKS', [
      ['-genseckey', '-alias', 's', '-keyalg', 'AES', '-keysize', '256'],
      ['-genkeypair', '-alias', 'e', '-keyalg', 'EC', '-groupname', 'secp256r1', '-dname', 'CN=t'],
    ]);
  }, 60_000);

  it('zeroes a JKS whole, with the SPKI fingerprint of its certificate', () => {
    const spki = new X509Certificate(jks.files[0]!).publicKey.export({ type: 'spki', format: 'der' });
    expect(onlyFinding(jks.store)).toMatchObject({
      confidence: 'medium',
      encoding: 'jks',
      fingerprint: 'sha256:' + createHash('sha256').update(spki).digest('hex'),
    });
  });

  it('zeroes a JCEKS holding an AES secret key and an EC private key whole', () => {
    expect(jceks.store.subarray(0, 8)).toEqual(Buffer.from('cececece00000002', 'hex'));
    expect(onlyFinding(jceks.store)).toMatchObject({ confidence: 'medium', encoding: 'jceks' });
  });

  it('cut inside the secret key entry: zeroed to the end of the data', () => {
    const sealedAt = jceks.store.indexOf(Buffer.of(0xac, 0xed, 0x00, 0x05));
    expect(sealedAt).toBeGreaterThan(0);
    const cut = jceks.store.subarray(0, sealedAt + 200);
    const file = Buffer.concat([randomBytes(301), cut]);
    expect(scanBinary(javaKeystore, file, 17)).toMatchObject([{ offset: 301, length: cut.length, confidence: 'medium' }]);
  });
});
