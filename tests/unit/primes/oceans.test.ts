/**
 * Oceans (random-looking runs over 16 KiB) are skipped by the prime search: compressed data and
 * ciphertext yield tens of thousands of candidate factors per MiB and hold no bignums.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OCEAN_BYTES, outsideOceans } from '../../../src/engine/primes/oceans.ts';

const text = (n: number) => Buffer.from('the quick brown fox jumps over the lazy dog. '.repeat(Math.ceil(n / 45))).subarray(0, n);

describe('outsideOceans', () => {
  it('keeps everything when no random run reaches the ocean size', () => {
    const bytes = Buffer.concat([text(4096), randomBytes(OCEAN_BYTES - 512), text(4096)]);
    expect(outsideOceans(bytes, 0, bytes.length)).toEqual([[0, bytes.length]]);
  });

  it('cuts out an ocean but keeps its edge blocks, where an island next to it may end', () => {
    const ocean = 64 * 1024;
    const bytes = Buffer.concat([text(8192), randomBytes(ocean), text(8192)]);
    expect(outsideOceans(bytes, 0, bytes.length)).toEqual([
      [0, 8192 + 256],
      [8192 + ocean - 256, bytes.length],
    ]);
  });

  it('clips to the requested range', () => {
    const bytes = Buffer.concat([text(8192), randomBytes(64 * 1024), text(8192)]);
    expect(outsideOceans(bytes, 100, 4000)).toEqual([[100, 4000]]);
    expect(outsideOceans(bytes, 20_000, 40_000)).toEqual([]);
  });

  it('treats zeros, pointers and text as land', () => {
    const pointers = Buffer.alloc(64 * 1024);
    for (let i = 0; i < pointers.length; i += 8) pointers.writeBigUInt64LE(0x00007f0000000000n | BigInt(Math.floor(Math.random() * 2 ** 32)), i);
    const bytes = Buffer.concat([Buffer.alloc(64 * 1024), pointers, text(64 * 1024)]);
    expect(outsideOceans(bytes, 0, bytes.length)).toEqual([[0, bytes.length]]);
  });
});
