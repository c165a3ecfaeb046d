import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base62 } from '../../../../src/engine/crypto/base62.ts';
import { BECH32_CHARSET, bech32Polymod, hrpExpand, isBech32 } from '../../../../src/engine/crypto/bech32.ts';
import { crc32 } from '../../../../src/engine/crypto/crc32.ts';
import { shannonEntropy } from '../../../../src/engine/crypto/entropy.ts';
import { marvin32, marvin64, marvinSeed } from '../../../../src/engine/crypto/marvin32.ts';

const latin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

describe('crc32', () => {
  it('matches the published check values', () => {
    expect(crc32(latin1('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(latin1('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });
});

describe('base62', () => {
  it('prints digits, then upper, then lower case, left-padded with 0', () => {
    expect(base62(0, 6)).toBe('000000');
    expect(base62(61, 2)).toBe('0z');
    expect(base62(62, 1)).toBe('10');
    expect(base62(0xffffffff, 6)).toBe('4gfFC3');
  });
});

describe('marvin', () => {
  // microsoft/security-utilities MarvinShared.cs (cross-checked there against skeeto/marvin32).
  const seed0 = 0x004fb61a001bdbccn;
  const seed1 = 0x804fb61a001bdbccn;
  const seed2 = 0x804fb61a801bdbccn;
  const vectors: [bigint, string, bigint][] = [
    [seed0, '', 0x30ed35c100cd3c7dn],
    [seed0, '\xaf', 0x48e73fc77d75ddc1n],
    [seed0, '\xe7\x0f', 0xb5f6e1fc485dbff8n],
    [seed0, '\x37\xf4\x95', 0xf0b07c789b8cf7e8n],
    [seed0, '\x86\x42\xdc\x59', 0x7008f2e87e9cf556n],
    [seed0, '\x15\x3f\xb7\x98\x26', 0xe6c08c6da2afa997n],
    [seed0, '\x09\x32\xe6\x24\x6c\x47', 0x6f04bf1a5ea24060n],
    [seed0, '\xab\x42\x7e\xa8\xd1\x0f\xc7', 0xe11847e4f0678c41n],
    [seed1, '', 0x10a9d5d3996fd65dn],
    [seed1, '\xab\x42\x7e\xa8\xd1\x0f\xc7', 0xe203987dba252fb3n],
    [seed2, '\x00', 0xa37fb0da2ecae06cn],
    [seed2, '\xff\x00\xff\x00\xff\x00\xff', 0xfdfd187b1d3ce784n],
    [seed2, '\x00\xff\x00\xff\x00\xff\x00', 0x71876f2efb1b0ee8n],
  ];

  it.each(vectors)('seed %s: known answer', (seed, input, expected) => {
    expect(marvin64(latin1(input), seed)).toBe(expected);
  });

  it('Marvin32 is the XOR of the two halves', () => {
    const h = marvin64(latin1('\x86\x42\xdc\x59'), seed0);
    expect(marvin32(latin1('\x86\x42\xdc\x59'), seed0)).toBe(Number((h >> 32n) ^ (h & 0xffffffffn)));
  });

  it('seeds are 8-char ASCII tags read big-endian', () => {
    expect(marvinSeed('Default0')).toBe(0x44656661756c7430n);
    expect(marvinSeed('MastRW00')).toBe(0x4d61737452573030n);
  });
});

describe('bech32', () => {
  it('accepts the BIP-173 valid test strings and rejects a changed char', () => {
    for (const s of ['A12UEL5L', 'a12uel5l', 'abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw', '?1ezyfcl']) {
      expect(isBech32(s), s).toBe(true);
    }
    expect(isBech32('abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx')).toBe(false);
    expect(isBech32('A12uEL5L')).toBe(false);
  });

  it('verifies a checksum it did not make: one computed from the spec on random data', () => {
    const data = [...createHash('sha256').update('x').digest()].map((b) => b & 31);
    const values = [...hrpExpand('age-secret-key-'), ...data, 0, 0, 0, 0, 0, 0];
    const mod = bech32Polymod(values) ^ 1;
    const check = [0, 1, 2, 3, 4, 5].map((i) => (mod >> (5 * (5 - i))) & 31);
    const text = 'age-secret-key-1' + [...data, ...check].map((v) => BECH32_CHARSET[v]).join('');
    expect(isBech32(text.toUpperCase())).toBe(true);
  });
});

describe('shannonEntropy', () => {
  it('is 0 for one repeated char and log2(n) for n distinct chars', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(shannonEntropy('')).toBe(0);
  });
});
