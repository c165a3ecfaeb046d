import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dpapiBlob } from '../../../../src/engine/detectors/binary/dpapi-blob.ts';
import { DPAPI_PROVIDER, dpapiBlob as blobOf, expectBinaryRedacted, plant, scanBinary, u32le } from '../../../fixtures/binary-keys.ts';

const scan = (bytes: Uint8Array) => scanBinary(dpapiBlob, bytes, bytes.length + 1);

describe('dpapi-blob', () => {
  it('finds DPAPI blobs (structure only): medium, whole blob, at any chunking', () => {
    const parts = [blobOf(), blobOf({ description: '', dataLength: 16 }), blobOf({ description: 'Chrome Safe Storage key', dataLength: 4096 })];
    const file = plant(...parts);
    const findings = expectBinaryRedacted(dpapiBlob, file.bytes, parts.map((_, i) => file.range(i)));
    expect(findings).toEqual(parts.map((p, i) => ({
      offset: file.at[i],
      length: p.length,
      kind: 'dpapi-blob',
      detector: 'dpapi-blob',
      confidence: 'medium',
      encoding: 'dpapi',
    })));
  });

  it('rejects the GUID alone, unknown algorithms, ciphertext that is not whole blocks, oversized fields', () => {
    const good = blobOf({ description: 'x' });
    const descEnd = 48 + 4; // 'x\0' in UTF-16
    const withAlg = (alg: number) => Buffer.concat([good.subarray(0, descEnd), u32le(alg), good.subarray(descEnd + 4)]);
    const dataLengthAt = descEnd + 8 + 4 + 32 + 4 + 8 + 4 + 32;
    expect(good.readUInt32LE(dataLengthAt)).toBe(64);
    const oddData = Buffer.from(good);
    oddData.writeUInt32LE(63, dataLengthAt);
    const bigSalt = Buffer.from(good);
    bigSalt.writeUInt32LE(4000, descEnd + 8);
    const file = plant(
      Buffer.concat([u32le(1), DPAPI_PROVIDER, randomBytes(64)]),
      withAlg(0x1234),
      oddData,
      bigSalt,
    );
    expect(scan(file.bytes)).toEqual([]);
  });

  it('a blob cut by the end of the data inside its ciphertext: medium up to the end; before it: nothing', () => {
    const blob = blobOf({ dataLength: 256 });
    const inData = Buffer.concat([randomBytes(31), blob.subarray(0, blob.length - 100)]);
    expect(expectBinaryRedacted(dpapiBlob, inData, [[31, inData.length]]).map((f) => f.confidence)).toEqual(['medium']);
    const inHeader = Buffer.concat([randomBytes(31), blob.subarray(0, 80)]);
    expect(scan(inHeader)).toEqual([]);
  });
});
