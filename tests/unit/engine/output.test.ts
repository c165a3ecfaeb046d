import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { composeSanitizedBlob } from '../../../src/engine/output-blob.ts';
import { rangesAreZero, sanitizedChunks } from '../../../src/engine/sanitized-stream.ts';
import { blobSource } from '../../../src/engine/source.ts';
import type { ByteRange } from '../../../src/engine/types.ts';

function expected(input: Uint8Array, ranges: ByteRange[]): Uint8Array {
  const out = new Uint8Array(input);
  for (const r of ranges) out.fill(0, r.offset, r.offset + r.length);
  return out;
}

const cases: { name: string; ranges: ByteRange[] }[] = [
  { name: 'no ranges', ranges: [] },
  { name: 'first and last byte', ranges: [{ offset: 0, length: 1 }, { offset: 4095, length: 1 }] },
  { name: 'ranges straddling chunk edges', ranges: [{ offset: 5, length: 30 }, { offset: 999, length: 2 }, { offset: 2000, length: 1500 }] },
  { name: 'the whole file', ranges: [{ offset: 0, length: 4096 }] },
];

describe('sanitizedChunks', () => {
  const input = randomBytes(4096);
  for (const { name, ranges } of cases) {
    for (const chunkSize of [1, 7, 17, 1000, 4096, 10_000]) {
      it(`${name}, chunk ${chunkSize}: zeroes exactly the ranges and never touches the input`, async () => {
        const before = Buffer.from(input);
        const parts: Uint8Array[] = [];
        for await (const c of sanitizedChunks(blobSource(new Blob([input])), ranges, chunkSize)) {
          expect(rangesAreZero(c.output, c.offset, ranges)).toBe(true);
          parts.push(c.output);
        }
        expect(Buffer.concat(parts)).toEqual(Buffer.from(expected(input, ranges)));
        expect(Buffer.from(input)).toEqual(before);
      });
    }
  }
});

describe('composeSanitizedBlob', () => {
  const input = randomBytes(3 * 1024 * 1024 + 5);
  const ranges = [{ offset: 3, length: 2 * 1024 * 1024 + 7 }, { offset: input.length - 1, length: 1 }];
  it('has the input length, zeroes the ranges and keeps every other byte', async () => {
    const blob = composeSanitizedBlob(new Blob([input]), ranges);
    const out = new Uint8Array(await blob.arrayBuffer());
    expect(out.length).toBe(input.length);
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    expect(sha(out)).toBe(sha(expected(input, ranges)));
  });
});

describe('rangesAreZero', () => {
  it('notices one non-zero byte inside a range', () => {
    const bytes = new Uint8Array(100);
    bytes[50] = 1;
    expect(rangesAreZero(bytes, 1000, [{ offset: 1040, length: 11 }])).toBe(false);
    expect(rangesAreZero(bytes, 1000, [{ offset: 1051, length: 10 }])).toBe(true);
  });
});

describe('sanitizedChunks over a source that hands out Node Buffer views', () => {
  it('copies before zeroing, so the source memory is never written', async () => {
    const backing = randomBytes(1000);
    const before = Buffer.from(backing);
    const source = { size: backing.length, read: async (o: number, n: number) => backing.subarray(o, o + n) };
    for await (const c of sanitizedChunks(source, [{ offset: 10, length: 500 }], 64)) void c;
    expect(backing).toEqual(before);
  });
});
