import { execFileSync, spawnSync } from 'node:child_process';
import { createPublicKey, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { opensshBinary as detector } from '../../../../src/engine/detectors/binary/openssh-binary.ts';
import { expectBinaryRedacted, nodeFingerprint, opensshBinary, plant, scanBinary } from '../../../fixtures/binary-keys.ts';
import * as keys from '../../../fixtures/keys.ts';

const scan = (bytes: Uint8Array) => scanBinary(detector, bytes, bytes.length + 1);

/** ssh-keygen runs (it exits non-zero on `-?`; only a spawn error means it is missing). */
const hasSshKeygen = () => spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore' }).error === undefined;

describe('openssh-binary', () => {
  for (const type of ['ed25519', 'rsa', 'ecdsa'] as const) {
    it(`finds an unencrypted ${type} key (checkints equal, known type): high, fingerprinted from its public key`, () => {
      const { bytes: blob, key } = opensshBinary(type);
      const file = plant(blob);
      const findings = expectBinaryRedacted(detector, file.bytes, [file.range(0)]);
      expect(findings).toEqual([
        {
          offset: file.at[0],
          length: blob.length,
          kind: 'openssh-private-key',
          detector: 'openssh-binary',
          confidence: 'high',
          encoding: 'openssh-key-v1',
          fingerprint: nodeFingerprint(key),
        },
      ]);
    });
  }

  it('rates an encrypted key medium (whole blob), still fingerprinted', () => {
    const { bytes: blob, key } = opensshBinary('rsa', { encrypted: true });
    const file = plant(blob);
    const [f] = expectBinaryRedacted(detector, file.bytes, [file.range(0)]);
    expect(f).toMatchObject({ offset: file.at[0], length: blob.length, confidence: 'medium', fingerprint: nodeFingerprint(key) });
  });

  it('rates unequal checkints low (not zeroed)', () => {
    const { bytes: blob } = opensshBinary('ed25519', { checkMismatch: true });
    const file = plant(blob);
    expect(expectBinaryRedacted(detector, file.bytes, []).map((f) => [f.offset, f.confidence])).toEqual([[file.at[0], 'low']]);
  });

  it('a key cut by the end of the data inside the private section: medium up to the end; before it: nothing', () => {
    const { bytes: blob } = opensshBinary('ed25519');
    const inPrivate = Buffer.concat([randomBytes(21), blob.subarray(0, blob.length - 40)]);
    expect(expectBinaryRedacted(detector, inPrivate, [[21, inPrivate.length]]).map((f) => f.confidence)).toEqual(['medium']);
    const inPublic = Buffer.concat([randomBytes(21), blob.subarray(0, 60)]);
    expect(scan(inPublic)).toEqual([]);
  });

  it('rejects the magic followed by junk, and the base64 text form (a text detector covers it)', () => {
    const file = plant(
      Buffer.concat([Buffer.from('openssh-key-v1\0'), randomBytes(200)]),
      Buffer.from(keys.opensshPem()),
    );
    expect(scan(file.bytes)).toEqual([]);
  });

  it.skipIf(!hasSshKeygen())('finds keys written by ssh-keygen (ed25519 unencrypted, ecdsa encrypted)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dumpscrub-ssh-'));
    try {
      const generate = (type: string, pass: string) => {
        const path = join(dir, type);
        execFileSync('ssh-keygen', ['-q', '-t', type, '-N', pass, '-C', 'test', '-f', path]);
        return keys.pemDer(readFileSync(path, 'latin1'));
      };
      const ed = generate('ed25519', '');
      const ec = generate('ecdsa', 'passphrase');
      const ecSpki = execFileSync('ssh-keygen', ['-e', '-m', 'PKCS8', '-f', join(dir, 'ecdsa.pub')], { encoding: 'latin1' });
      const file = plant(ed, ec);
      const findings = expectBinaryRedacted(detector, file.bytes, [file.range(0), file.range(1)], [1, 17, 4099]);
      expect(findings.map((f) => [f.offset, f.confidence])).toEqual([
        [file.at[0], 'high'],
        [file.at[1], 'medium'],
      ]);
      expect(findings[1]!.fingerprint).toBe(nodeFingerprint(createPublicKey(ecSpki)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
