import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binaryKeyDetectors } from '../../../../src/engine/detectors/binary/index.ts';
import { MAX_MATCH_BYTES } from '../../../../src/engine/window.ts';
import * as keys from '../../../fixtures/keys.ts';
import {
  capiPrivateKeyBlob,
  chachaState,
  cngEccBlob,
  cngRsaBlob,
  dpapiBlob,
  ecDer,
  ecParts,
  expectBinaryRedacted,
  kdbmBlob,
  nodeFingerprint,
  okpDer,
  opensshBinary,
  plaintextKeyBlob,
  plant,
  rsaDer,
  rsaParts,
  scanBinary,
  randomKey,
} from '../../../fixtures/binary-keys.ts';
import { JKS_MAGIC, keystoreBytes, privateKeyEntry } from '../../../fixtures/java-keystores.ts';
import { secretKeyPacket } from '../../../fixtures/openpgp-packets.ts';


describe('binaryKeyDetectors', () => {
  it('lists the nine detectors, with byte anchors only', () => {
    expect(binaryKeyDetectors.map((d) => d.id)).toEqual([
      'der-private-key',
      'cng-blob',
      'capi-blob',
      'openssh-binary',
      'dpapi-blob',
      'chacha-state',
      'java-keystore',
      'openpgp-secret-key',
      'ec-scalar-search',
    ]);
    for (const d of binaryKeyDetectors) {
      expect(d.anchors).toEqual([]);
      expect(d.rawAnchors!.length).toBeGreaterThan(0);
      for (const a of d.rawAnchors!) expect(a).toMatch(/^[\x00-\xff]{4,}$/);
    }
  });

  it('together zero exactly the planted keys of one RSA key in many layouts plus others, at any chunking', () => {
    const rsa = keys.rsaKey(2048);
    const k = rsaParts(rsa);
    const parts = [
      rsaDer(2048, 'pkcs1'),
      rsaDer(2048, 'pkcs8'),
      cngRsaBlob(k, 'RSA3'),
      cngRsaBlob(k, 'RSA1'), // public: nothing
      capiPrivateKeyBlob(k),
      ecDer('P-384', 'sec1'),
      cngEccBlob(ecParts('P-256'), 'ECK2'),
      okpDer('ed448'),
      opensshBinary('ed25519').bytes,
      kdbmBlob(randomKey(32)),
      plaintextKeyBlob(0x6610, randomKey(32)),
      dpapiBlob(),
      chachaState(randomKey(32)),
      keystoreBytes(JKS_MAGIC, [privateKeyEntry('a', keys.ecKey('P-256'), [keys.certificateDer()])]),
      secretKeyPacket('ed25519').bytes,
      createPublicSpki(),
    ];
    const file = plant(...parts);
    const expected = parts.map((_, i) => file.range(i)).filter((_, i) => i !== 3 && i !== parts.length - 1);
    const findings = expectBinaryRedacted(binaryKeyDetectors, file.bytes, expected, [1, 7, 17, 4099]);
    const rsaFindings = findings.filter((f) => f.kind === 'rsa-private-key');
    expect(rsaFindings.map((f) => [f.encoding, f.confidence, f.fingerprint])).toEqual(
      ['der-pkcs1', 'der-pkcs8', 'cng-rsafullprivate', 'capi-privatekeyblob'].map((e) => [e, 'high', nodeFingerprint(rsa)]),
    );
    expect(findings).toHaveLength(expected.length);
  });

  it('never reports a finding reaching further than MAX_MATCH_BYTES from its anchor', () => {
    // A PKCS#12 claiming 300 KiB: cut at the reach, whatever the window.
    const pfx = keys.pkcs12Der(300 * 1024);
    const file = plant(pfx);
    expect(pfx.subarray(5, 9)).toEqual(Buffer.from('02010330', 'hex')); // 30 83 LL LL LL | 02 01 03 30
    const anchorAt = file.at[0]! + 5;
    const findings = expectBinaryRedacted(binaryKeyDetectors, file.bytes, [[file.at[0]!, anchorAt + MAX_MATCH_BYTES]], [4099, 65536]);
    expect(findings.map((f) => [f.kind, f.confidence])).toEqual([['pkcs12', 'medium']]);
  });

  it('finds nothing in 1 MiB of random data', () => {
    expect(scanBinary(binaryKeyDetectors, randomBytes(1 << 20), 1 << 18)).toEqual([]);
  });

  it.skipIf(!hasOpenssl())('finds a PKCS#12 written by openssl, and the shrouded key bag inside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dumpscrub-p12-'));
    try {
      const keyPem = join(dir, 'key.pem');
      writeFileSync(keyPem, keys.rsaPem(2048, 'pkcs8'));
      const cert = join(dir, 'cert.pem');
      execFileSync('openssl', ['req', '-x509', '-key', keyPem, '-subj', '/CN=test', '-days', '1', '-out', cert], { stdio: 'ignore' });
      const p12 = join(dir, 'k.p12');
      execFileSync('openssl', ['pkcs12', '-export', '-inkey', keyPem, '-in', cert, '-passout', 'pass:test', '-out', p12], { stdio: 'ignore' });
      const pfx = readFileSync(p12);
      const file = plant(pfx);
      const findings = expectBinaryRedacted(binaryKeyDetectors, file.bytes, [file.range(0)], [17, 4099]);
      expect(findings).toMatchObject([{ offset: file.at[0], length: pfx.length, kind: 'pkcs12', confidence: 'medium' }]);
      // OpenSSL puts the key in a pkcs8ShroudedKeyBag (an EncryptedPrivateKeyInfo): listed once as
      // part of the PFX, and still found on its own when the PFX header is overwritten.
      const headless = Buffer.from(pfx);
      headless.fill(0, 0, 8);
      const inner = scanBinary(binaryKeyDetectors, plant(headless).bytes, 4099);
      expect(inner.map((f) => f.kind)).toContain('encrypted-private-key');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function createPublicSpki(): Buffer {
  return keys.pemDer(keys.publicPem(keys.rsaKey(2048)));
}

function hasOpenssl(): boolean {
  return spawnSync('openssl', ['version'], { stdio: 'ignore' }).error === undefined;
}
