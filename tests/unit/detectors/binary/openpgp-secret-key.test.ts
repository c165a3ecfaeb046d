import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { openpgpSecretKey } from '../../../../src/engine/detectors/binary/openpgp-secret-key.ts';
import type { SecretMaterial } from '../../../../src/engine/sweep/secret.ts';
import { createSweepDetector } from '../../../../src/engine/sweep/sweep-detector.ts';
import type { Finding } from '../../../../src/engine/types.ts';
import { big, expectBinaryRedacted, flipBit, leFixed, nodeFingerprint, plant, rsaParts, scanBinary } from '../../../fixtures/binary-keys.ts';
import { gnuStubPacket, gpgSecretKeys, hasGpg, secretKeyPacket, type GpgExport, type PgpKeyType } from '../../../fixtures/openpgp-packets.ts';
import { scanBuffer } from '../../../fixtures/scan-window.ts';

const CHUNKS = [1, 7, 17, 4099];

/** The one finding of a packet planted alone, after checking its range at every chunking. */
function onlyFinding(packet: Uint8Array, range: [number, number] = [0, packet.length], chunks = CHUNKS): Finding {
  const file = plant(packet);
  const at = file.at[0]!;
  const findings = expectBinaryRedacted(openpgpSecretKey, file.bytes, [[at + range[0], at + range[1]]], chunks);
  expect(findings).toHaveLength(1);
  return findings[0]!;
}

const scan = (bytes: Uint8Array) => scanBinary(openpgpSecretKey, plant(bytes).bytes, 4099);
const b64u = (s: string | undefined) => Buffer.from(s!, 'base64url');

describe('openpgp-secret-key: keys in the clear, built from node:crypto keys', () => {
  const cases: [PgpKeyType, string][] = [
    ['rsa', 'rsa-private-key'],
    ['p256', 'ec-private-key'],
    ['ed25519', 'ed25519-private-key'],
    ['x25519', 'x25519-private-key'],
    ['ed25519-native', 'ed25519-private-key'],
    ['x25519-native', 'x25519-private-key'],
    ['ed448-native', 'ed448-private-key'],
    ['x448-native', 'x448-private-key'],
  ];
  for (const [type, kind] of cases) {
    it(`${type}: the whole packet, high, its SPKI fingerprint and its secret`, () => {
      const { bytes, key } = secretKeyPacket(type, { tag: type === 'rsa' ? 7 : 5, format: type.startsWith('x') ? 'new' : 'old' });
      const f = onlyFinding(bytes);
      expect(f).toMatchObject({ kind, detector: 'openpgp-secret-key', confidence: 'high', encoding: 'openpgp', fingerprint: nodeFingerprint(key) });
      expect(f.secret?.kind).toBe(kind);
      expect(f.secret?.fingerprint).toBe(f.fingerprint);
      const j = key.export({ format: 'jwk' });
      const s = f.secret as SecretMaterial;
      if (s.kind === 'rsa-private-key') {
        expect(s.p * s.q).toBe(big(b64u(j.n)));
        expect(s.d).toBe(big(b64u(j.d)));
        expect((s.qi * s.q) % s.p).toBe(1n);
      } else if (s.kind === 'ec-private-key') {
        expect(Buffer.from(s.scalar)).toEqual(b64u(j.d));
      } else if ('seed' in s) {
        expect(Buffer.from(s.seed)).toEqual(b64u(j.d));
      }
    });
  }

  it('reads every header form: old format with 1- and 2-byte lengths, new format with 1- and 2-byte lengths', () => {
    for (const type of ['ed25519', 'rsa'] as const) {
      for (const format of ['old', 'new'] as const) {
        const { bytes } = secretKeyPacket(type, { format, tag: 7 });
        expect(scan(bytes)).toMatchObject([{ length: bytes.length, confidence: 'high' }]);
      }
    }
  });

  it('the secret it attaches lets the sweep find another copy of the key (p as little-endian limbs)', () => {
    const { bytes, key } = secretKeyPacket('rsa');
    const [f] = scan(bytes);
    const p = rsaParts(key).p;
    const file = plant(Buffer.concat([leFixed(p, 128), Buffer.alloc(8)]));
    const swept = scanBuffer(createSweepDetector([f!.secret!]), file.bytes, 4099);
    expect(swept.some((s) => s.offset === file.at[0] && s.length >= 128)).toBe(true);
  });
});

describe('openpgp-secret-key: near-miss twins, stubs and damage', () => {
  it('a changed version, creation time, algorithm or MPI length is no key packet', () => {
    const { bytes, body } = secretKeyPacket('rsa');
    const twins = [
      Object.assign(Buffer.from(bytes), { [body]: 5 }), // version 5 (LibrePGP) is not read
      Object.assign(Buffer.from(bytes), { [body + 1]: 0 }), // created before 1995
      Object.assign(Buffer.from(bytes), { [body + 5]: 17 }), // DSA
      Object.assign(Buffer.from(bytes), { [body + 7]: bytes[body + 7]! + 1 }), // n's bit count: 2049
    ];
    for (const twin of twins) expect(scan(twin)).toEqual([]);
    const ed = secretKeyPacket('ed25519');
    expect(scan(Object.assign(Buffer.from(ed.bytes), { [ed.body + 7]: 0x2c }))).toEqual([]); // OID byte
  });

  it('a changed prime breaks checksum and n = p·q; q still divides n, so medium, without a secret', () => {
    const { bytes, secret } = secretKeyPacket('rsa');
    const twin = flipBit(bytes, secret + 1 + 258 + 10, 3); // inside p, after d's 2 + 256 bytes
    const f = onlyFinding(twin, undefined, [17]);
    expect(f).toMatchObject({ kind: 'rsa-private-key', confidence: 'medium' });
    expect(f.secret).toBeUndefined();
  });

  it('a changed seed proves nothing (low); a changed checksum leaves the maths alone (medium)', () => {
    const { bytes, secret } = secretKeyPacket('ed25519');
    const seedByte = flipBit(bytes, secret + 5);
    expect(scan(seedByte)).toMatchObject([{ kind: 'ed25519-private-key', confidence: 'low' }]);
    const checksum = flipBit(bytes, bytes.length - 1);
    expect(scan(checksum)).toMatchObject([{ kind: 'ed25519-private-key', confidence: 'medium' }]);
    expect(scan(checksum)[0]!.secret).toBeUndefined();
    const native = secretKeyPacket('ed25519-native');
    expect(scan(flipBit(native.bytes, native.bytes.length - 1))).toMatchObject([{ confidence: 'low' }]);
  });

  it('a key in the clear whose header was overwritten is still zeroed from its version byte', () => {
    const { bytes, body } = secretKeyPacket('x25519', { format: 'new' });
    const headless = Buffer.from(bytes);
    headless[0] = 0xc6; // tag 6: a public key
    expect(onlyFinding(headless, [body, bytes.length], [7, 4099])).toMatchObject({ confidence: 'high' });
  });

  it('secret fields that do not parse: the packet its header delimits, medium; without a header nothing delimits it', () => {
    const { bytes, secret } = secretKeyPacket('rsa');
    const damaged = Object.assign(Buffer.from(bytes), { [secret + 1]: 0, [secret + 2]: 0 }); // d's bit count: 0
    expect(onlyFinding(damaged, undefined, [17, 4099])).toMatchObject({ kind: 'openpgp-secret-key', confidence: 'medium' });
    expect(scan(Object.assign(damaged, { 0: 0x98 }))).toEqual([]);
  });

  it('a GnuPG stub holds no secret: nothing', () => {
    expect(scan(gnuStubPacket())).toEqual([]);
  });

  it('truncated inside the secret fields: medium, from the header to the end of the data', () => {
    for (const encrypted of [false, true]) {
      const { bytes, secret } = secretKeyPacket('rsa', { encrypted });
      const cut = bytes.subarray(0, secret + 300);
      const file = Buffer.concat([randomBytes(301), cut]);
      for (const size of [7, 4099]) {
        expect(scanBinary(openpgpSecretKey, file, size)).toMatchObject([{ offset: 301, length: cut.length, confidence: 'medium' }]);
      }
    }
  });
});

describe('openpgp-secret-key: encrypted packets', () => {
  for (const [type, version] of [['rsa', 4], ['p256', 4], ['ed25519', 4], ['ed25519-native', 6], ['x448-native', 6]] as const) {
    it(`${type} v${version}: the whole packet, medium, kind openpgp-secret-key`, () => {
      const { bytes, key } = secretKeyPacket(type, { version, encrypted: true, format: version === 6 ? 'new' : 'old' });
      const f = onlyFinding(bytes);
      expect(f).toMatchObject({ kind: 'openpgp-secret-key', confidence: 'medium', fingerprint: nodeFingerprint(key) });
      expect(f.secret).toBeUndefined();
    });
  }

  it('near-miss twins: no header, or S2K parameters that do not add up, is nothing', () => {
    const { bytes, secret } = secretKeyPacket('ed25519-native', { encrypted: true, format: 'new' });
    expect(scan(Object.assign(Buffer.from(bytes), { 0: 0xc6 }))).toEqual([]);
    expect(scan(Object.assign(Buffer.from(bytes), { [secret + 1]: bytes[secret + 1]! + 1 }))).toEqual([]); // v6 parameter count
    const v4 = secretKeyPacket('p256', { encrypted: true });
    expect(scan(Object.assign(Buffer.from(v4.bytes), { [v4.secret + 1]: 5 }))).toEqual([]); // no cipher 5
  });
});

describe.skipIf(!hasGpg())('openpgp-secret-key: keys exported by gpg', () => {
  let keys: { clear: GpgExport; encrypted: GpgExport };
  beforeAll(() => {
    keys = gpgSecretKeys();
  }, 60_000);

  it('finds the Ed25519 primary key and the Curve25519 and RSA subkeys in the clear, each high, at the offsets gpg lists', () => {
    const file = plant(keys.clear.bytes);
    const at = file.at[0]!;
    const findings = expectBinaryRedacted(openpgpSecretKey, file.bytes, keys.clear.packets.map(([s, e]) => [at + s, at + e]), [17, 4099]);
    expect(findings.map((f) => [f.kind, f.confidence, f.secret?.kind])).toEqual([
      ['ed25519-private-key', 'high', 'ed25519-private-key'],
      ['x25519-private-key', 'high', 'x25519-private-key'],
      ['rsa-private-key', 'high', 'rsa-private-key'],
    ]);
    for (const f of findings) expect(f.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('finds the same three packets encrypted under a passphrase, medium, with the same fingerprints', () => {
    const file = plant(keys.encrypted.bytes);
    const at = file.at[0]!;
    const findings = expectBinaryRedacted(openpgpSecretKey, file.bytes, keys.encrypted.packets.map(([s, e]) => [at + s, at + e]), [17, 4099]);
    expect(findings.map((f) => [f.kind, f.confidence])).toEqual(Array(3).fill(['openpgp-secret-key', 'medium']));
    const clear = scanBinary(openpgpSecretKey, keys.clear.bytes, 4099);
    expect(findings.map((f) => f.fingerprint)).toEqual(clear.map((f) => f.fingerprint));
  });
});
