import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { capiBlob } from '../../../../src/engine/detectors/binary/capi-blob.ts';
import * as keys from '../../../fixtures/keys.ts';
import {
  capiPrivateKeyBlob,
  capiPublicKeyBlob,
  expectBinaryRedacted,
  flipBit,
  nodeFingerprint,
  plaintextKeyBlob,
  plant,
  rsaParts,
  scanBinary,
  randomKey,
} from '../../../fixtures/binary-keys.ts';

const scan = (bytes: Uint8Array) => scanBinary(capiBlob, bytes, bytes.length + 1);


describe('capi-blob: PRIVATEKEYBLOB', () => {
  for (const bits of [1024, 2048, 4096]) {
    it(`finds an RSA-${bits} PRIVATEKEYBLOB (little-endian, n = p·q), fingerprinted`, () => {
      const blob = capiPrivateKeyBlob(rsaParts(keys.rsaKey(bits)));
      const sign = capiPrivateKeyBlob(rsaParts(keys.rsaKey(bits)), 0x2400);
      const file = plant(blob, sign);
      const findings = expectBinaryRedacted(capiBlob, file.bytes, [file.range(0), file.range(1)]);
      const fingerprint = nodeFingerprint(keys.rsaKey(bits));
      expect(findings).toEqual([file.at[0], file.at[1]].map((offset) => ({
        offset,
        length: blob.length,
        kind: 'rsa-private-key',
        detector: 'capi-blob',
        confidence: 'high',
        encoding: 'capi-privatekeyblob',
        fingerprint,
      })));
    });
  }

  it('ignores PUBLICKEYBLOB and header-only look-alikes', () => {
    const k = rsaParts(keys.rsaKey(2048));
    const wrongAlg = capiPrivateKeyBlob(k, 0x6610);
    const file = plant(capiPublicKeyBlob(k), wrongAlg, Buffer.from('07020000', 'hex'));
    expect(scan(file.bytes)).toEqual([]);
  });

  it('a flipped bit in p: medium (q still divides n); p, q and d all damaged: low', () => {
    const k = rsaParts(keys.rsaKey(2048));
    const blob = capiPrivateKeyBlob(k);
    const p = 20 + 256;
    const badP = flipBit(blob, p + 7);
    const badAll = flipBit(flipBit(flipBit(blob, p + 7), p + 128 + 7), blob.length - 9);
    const file = plant(badP, badAll);
    const findings = expectBinaryRedacted(capiBlob, file.bytes, [file.range(0)]);
    expect(findings.map((f) => [f.offset, f.confidence])).toEqual([
      [file.at[0], 'medium'],
      [file.at[1], 'low'],
    ]);
  });

  it('a blob cut by the end of the data inside dq: medium up to the end', () => {
    const blob = capiPrivateKeyBlob(rsaParts(keys.rsaKey(2048)));
    const bytes = Buffer.concat([randomBytes(55), blob.subarray(0, 20 + 256 + 128 * 3 + 50)]);
    const findings = expectBinaryRedacted(capiBlob, bytes, [[55, bytes.length]]);
    expect(findings.map((f) => f.confidence)).toEqual(['medium']);
  });
});

describe('capi-blob: PLAINTEXTKEYBLOB', () => {
  it('finds AES-128/192/256, CALG_AES, 3DES, DES and RC4 keys (medium)', () => {
    const parts = [
      plaintextKeyBlob(0x660e, randomKey(16)),
      plaintextKeyBlob(0x660f, randomKey(24)),
      plaintextKeyBlob(0x6610, randomKey(32)),
      plaintextKeyBlob(0x6611, randomKey(32)),
      plaintextKeyBlob(0x6603, randomKey(24)),
      plaintextKeyBlob(0x6601, randomKey(8)),
      plaintextKeyBlob(0x6801, randomKey(16)),
    ];
    const file = plant(...parts);
    const findings = expectBinaryRedacted(capiBlob, file.bytes, parts.map((_, i) => file.range(i)));
    expect(findings.map((f) => [f.offset, f.length, f.kind, f.confidence, f.encoding])).toEqual(
      parts.map((p, i) => [file.at[i], p.length, i < 4 ? 'aes-key' : 'symmetric-key', 'medium', 'capi-plaintextkeyblob']),
    );
  });

  it('rejects a length that does not fit the algorithm, unknown ALG_IDs and low-entropy keys', () => {
    const file = plant(
      plaintextKeyBlob(0x6610, randomKey(16)),
      plaintextKeyBlob(0x1234, randomKey(16)),
      plaintextKeyBlob(0x660e, Buffer.alloc(16, 7)),
    );
    expect(scan(file.bytes)).toEqual([]);
  });

  it('a key cut by the end of the data: medium up to the end', () => {
    const blob = plaintextKeyBlob(0x6610, randomKey(32));
    const bytes = Buffer.concat([randomBytes(9), blob.subarray(0, 30)]);
    expect(expectBinaryRedacted(capiBlob, bytes, [[9, bytes.length]]).map((f) => f.confidence)).toEqual(['medium']);
  });
});
