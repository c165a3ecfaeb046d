import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { derSequence, derUnsigned } from '../../../../src/engine/crypto/der-writer.ts';
import { publicDerRanges } from '../../../../src/engine/detectors/binary/public-der.ts';
import { ecDer, plant, rsaDer, rsaParts, spkiDer } from '../../../fixtures/binary-keys.ts';
import * as keys from '../../../fixtures/keys.ts';

const rangesIn = (bytes: Uint8Array) => publicDerRanges(bytes, 0, bytes.length, bytes.length);

describe('publicDerRanges', () => {
  it('finds SubjectPublicKeyInfos, RSAPublicKeys and ECDSA signatures, whole', () => {
    const rsa = keys.rsaKey(2048);
    const k = rsaParts(rsa);
    const rsaPublicKey = derSequence(derUnsigned(BigInt('0x' + k.n.toString('hex'))), derUnsigned(65537n));
    const signature = derSequence(derUnsigned((1n << 255n) + 12345n), derUnsigned((1n << 254n) + 6789n));
    const parts = [spkiDer(rsa), spkiDer(keys.ecKey('P-256')), rsaPublicKey, signature];
    const file = plant(...parts);
    expect(rangesIn(file.bytes)).toEqual(parts.map((_, i) => file.range(i)));
  });

  it('does not take private keys or short sequences for public structures', () => {
    const file = plant(rsaDer(2048, 'pkcs1'), rsaDer(2048, 'pkcs8'), ecDer('P-256', 'sec1'), ecDer('P-384', 'pkcs8'));
    expect(rangesIn(file.bytes)).toEqual([]);
    // A pair of integers that is neither a modulus and exponent nor a signature.
    expect(rangesIn(plant(derSequence(derUnsigned(1n << 600n), derUnsigned(1n << 600n))).bytes)).toEqual([]);
  });

  it('a structure cut by the end of the data is not taken', () => {
    const spki = spkiDer(keys.ecKey('P-256'));
    expect(rangesIn(spki.subarray(0, spki.length - 1))).toEqual([]);
    expect(rangesIn(spki)).toEqual([[0, spki.length]]);
  });

  it.skipIf(spawnSync('openssl', ['version'], { stdio: 'ignore' }).error !== undefined)(
    'covers a certificate made by openssl, and its TBSCertificate alone, as one range each',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'dumpscrub-public-der-'));
      try {
        const keyPem = join(dir, 'key.pem');
        execFileSync('openssl', ['ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', keyPem], { stdio: 'ignore' });
        const cert = execFileSync('openssl', ['req', '-x509', '-key', keyPem, '-subj', '/CN=test', '-days', '1', '-outform', 'DER']);
        // Certificate: 30 82 LL LL, then the TBSCertificate 30 82 LL LL.
        const tbs = cert.subarray(4, 8 + cert.readUInt16BE(6));
        const file = plant(cert, tbs);
        expect(rangesIn(file.bytes)).toEqual([file.range(0), file.range(1)]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
