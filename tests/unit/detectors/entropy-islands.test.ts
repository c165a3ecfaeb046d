import { createDiffieHellman, getDiffieHellman } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEntropyIslandScanner, createIslandScanner } from '../../../src/engine/detectors/entropy-islands.ts';
import { aesSbox, ffdhe2048, knownTables, modp2048 } from '../../../src/engine/detectors/known-constants.ts';
import type { DumpMap } from '../../../src/engine/formats/dump-map.ts';
import { planRedactions } from '../../../src/engine/plan.ts';
import { applyDumpMap } from '../../../src/engine/region-policy.ts';
import { blobSource } from '../../../src/engine/source.ts';
import type { WindowScanner } from '../../../src/engine/detectors/detector.ts';
import { createReferenceIslandFinder } from '../../../src/wasm/island-finder.ts';
import { rng } from '../../fixtures/random.ts';
import { sanitizeBytes } from '../../fixtures/dump-checks.ts';
import { CHUNK_SIZES } from '../../fixtures/scan-window.ts';
import { scanBufferWith } from '../../fixtures/scan-window.ts';

let scanner: WindowScanner;
beforeAll(async () => {
  scanner = createEntropyIslandScanner(await WebAssembly.compile(await readFile(new URL('../../../src/wasm/core.wasm', import.meta.url))));
});

/** Seeded random bytes: a key made at test time, reproducible from its seed. */
const randomKey = (seed: number, length: number): Uint8Array => {
  const next = rng(seed);
  return Uint8Array.from({ length }, () => Math.floor(next() * 256));
};
const u64 = (v: bigint): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v, true);
  return b;
};
const pointer = (seed: number): Uint8Array => u64(0x7f0000000000n + BigInt(Math.floor(rng(seed)() * 2 ** 40)));
const zeros = (n: number) => new Uint8Array(n);
const concat = (...parts: Uint8Array[]): { bytes: Uint8Array; at: number[] } => {
  const at: number[] = [];
  let length = 0;
  for (const p of parts) {
    at.push(length);
    length += p.length;
  }
  const bytes = new Uint8Array(length);
  parts.forEach((p, i) => bytes.set(p, at[i]!));
  return { bytes, at };
};
/** A heap chunk holding `payload`: size header, a pointer, the payload, a length field, a pointer, padding. */
const heapChunk = (payload: Uint8Array, seed: number) =>
  concat(zeros(64), u64(0x31n), pointer(seed), payload, u64(BigInt(payload.length)), pointer(seed + 1), zeros(64));

const ranges = (findings: { offset: number; length: number }[]) => findings.map((f) => [f.offset, f.offset + f.length]);

describe('entropy islands: keys', () => {
  it('finds a 32-byte key between a size header, pointers and zero padding, exactly its bytes, at any chunk size', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { bytes, at } = heapChunk(randomKey(seed, 32), seed * 1000);
      for (const size of CHUNK_SIZES) {
        const found = scanBufferWith(scanner, bytes, size);
        expect(ranges(found), `seed ${seed} chunk ${size}`).toEqual([[at[3], at[3]! + 32]]);
      }
    }
  });

  it('reports a finding of kind high-entropy-data, low confidence, raw', () => {
    const { bytes, at } = heapChunk(randomKey(5, 32), 5);
    expect(scanBufferWith(scanner, bytes, 1 << 20)).toEqual([
      { offset: at[3], length: 32, kind: 'high-entropy-data', detector: 'entropy', confidence: 'low', encoding: 'raw' },
    ]);
  });

  it('finds 16-byte keys', () => {
    let found = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const { bytes, at } = heapChunk(randomKey(seed + 100, 16), seed);
      const f = scanBufferWith(scanner, bytes, 1 << 20);
      if (f.length === 1 && f[0]!.offset === at[3] && f[0]!.length === 16) found++;
    }
    // §5.2: 99.2 % of random 16-byte windows have ≥ 14 distinct values.
    expect(found).toBeGreaterThanOrEqual(48);
  });

  it('finds a key that runs to the end of the file (truncated)', () => {
    const key = randomKey(7, 48);
    const { bytes, at } = concat(zeros(40), u64(0x41n), key);
    expect(ranges(scanBufferWith(scanner, bytes, 1 << 20))).toEqual([[at[2], bytes.length]]);
  });

  it('finds an island straddling a chunk edge once, for every chunk size and edge position', () => {
    const { bytes, at } = heapChunk(randomKey(11, 64), 11);
    for (const size of [at[3]! + 1, at[3]! + 32, at[3]! + 63, ...CHUNK_SIZES]) {
      expect(ranges(scanBufferWith(scanner, bytes, size)), `chunk ${size}`).toEqual([[at[3], at[3]! + 64]]);
    }
  });

  it('does not flag a near-miss twin: 32 bytes drawn from 12 values', () => {
    const next = rng(3);
    const lowDistinct = Uint8Array.from({ length: 32 }, () => 0x80 + Math.floor(next() * 12));
    expect(scanBufferWith(scanner, heapChunk(lowDistinct, 3).bytes, 1 << 20)).toEqual([]);
  });
});

describe('entropy islands: what is not a key', () => {
  it('ignores an ocean: 8 KiB of random bytes', () => {
    expect(scanBufferWith(scanner, heapChunk(randomKey(21, 8192), 21).bytes, 4099)).toEqual([]);
  });

  it('ignores a random run longer than an island (2 KiB)', () => {
    expect(scanBufferWith(scanner, heapChunk(randomKey(22, 2048), 22).bytes, 1 << 20)).toEqual([]);
  });

  it('ignores a pointer table', () => {
    const table = concat(...Array.from({ length: 64 }, (_, i) => pointer(i * 7919))).bytes;
    expect(scanBufferWith(scanner, heapChunk(table, 1).bytes, 1 << 20)).toEqual([]);
  });

  it('ignores ASCII text', () => {
    const text = new TextEncoder().encode('Lorem ipsum dolor sit amet, consectetur adipiscing elit; QUICK brown fox jumps over 13 lazy dogs! #java/util/Enumeration<TK;>;');
    expect(scanBufferWith(scanner, heapChunk(text, 2).bytes, 1 << 20)).toEqual([]);
  });

  it('ignores the AES S-box, the SHA-256 round constants and curve parameters, which are islands otherwise', () => {
    const sha256K = knownTables()[18]!; // SHA-256 K, big-endian words
    const reference = createReferenceIslandFinder();
    for (const table of [aesSbox(), sha256K.subarray(0, 64), knownTables().at(-4)!]) {
      const { bytes } = heapChunk(table, 9);
      expect(reference.find(bytes, 0, bytes.length, 0).length).toBe(1);
      expect(scanBufferWith(scanner, bytes, 1 << 20)).toEqual([]);
      expect(scanBufferWith(createIslandScanner(reference), bytes, 1 << 20)).toEqual([]);
    }
  });

  it('keeps x86-64 code rare: < 64 islands per MiB of node’s .text (measured ~32)', () => {
    const elf = readFileSync(process.execPath);
    const text = elfSection(elf, '.text');
    const slice = text.subarray(0, Math.min(text.length, 4 << 20));
    const perMiB = scanBufferWith(scanner, slice, 1 << 20).length / (slice.length / 2 ** 20);
    expect(perMiB).toBeLessThan(64);
  });
});

describe('known constants are computed right', () => {
  it('AES S-box and SHA-2 constants', () => {
    const sbox = aesSbox();
    expect([sbox[0], sbox[1], sbox[0x53], sbox[0xff]]).toEqual([0x63, 0x7c, 0xed, 0x16]);
    const hex = (b: Uint8Array, n: number) => Buffer.from(b.subarray(0, n)).toString('hex');
    const tables = knownTables();
    expect(hex(tables[18]!, 8)).toBe('428a2f9871374491'); // SHA-256 K, BE
    expect(hex(tables[20]!, 8)).toBe('6a09e667bb67ae85'); // SHA-256 IV
    expect(hex(tables[22]!, 8)).toBe('428a2f98d728ae22'); // SHA-512 K[0]
    expect(hex(tables[24]!, 8)).toBe('6a09e667f3bcc908'); // SHA-512 IV[0]
  });

  it('the RFC 3526 2048-bit MODP prime equals node’s modp14', () => {
    expect(modp2048().toString(16)).toBe(getDiffieHellman('modp14').getPrime('hex'));
  });

  it('the RFC 7919 ffdhe2048 prime is a safe prime OpenSSL accepts', () => {
    const p = ffdhe2048();
    expect(p.toString(16).slice(0, 24)).toBe('ffffffffffffffffadf85458');
    // OpenSSL checks the prime when a group is built from it; a wrong constant fails the check.
    const dh = createDiffieHellman(Buffer.from(p.toString(16), 'hex'), 2);
    expect(dh.verifyError & 1).toBe(0); // DH_CHECK_P_NOT_PRIME
  });
});

describe('entropy islands under the policies', () => {
  const map: DumpMap = {
    summary: { format: 'test' },
    warnings: [],
    regions: [
      { offset: 0, length: 512, kind: 'heap', va: '0x55550000' },
      { offset: 512, length: 512, kind: 'module', va: '0x7f000000', module: '/usr/lib/libcrypto.so.3' },
    ],
  };
  const key = randomKey(31, 32);
  const file = new Uint8Array(1024);
  file.set(key, 128);
  file.set(key, 640);

  it('strict redacts an island, standard lists it for review; islands in module images are dropped', async () => {
    const found = scanBufferWith(scanner, file, 1 << 20);
    expect(ranges(found)).toEqual([[128, 160], [640, 672]]);
    const placed = await applyDumpMap(map, blobSource(new Blob([file])), found, { policy: 'strict', keepVectorRegisters: true });
    expect(ranges(placed.detected)).toEqual([[128, 160]]);
    const strict = planRedactions(placed.detected, 'strict');
    expect(strict.ranges).toEqual([{ offset: 128, length: 32 }]);
    const standard = planRedactions(placed.detected, 'standard');
    expect(standard.ranges).toEqual([]);
    expect(ranges(standard.review)).toEqual([[128, 160]]);
  });
});

describe('entropy islands on the public corpus', () => {
  it('strict sanitizes and verifies a core whose zeroed islands leave new islands beside them', async () => {
    const input = new Uint8Array(readFileSync('/work/shared/corpus/public/eu-ppc32-be.core'));
    const { manifest } = await sanitizeBytes(input, { policy: 'strict', verify: true }, 'ppc32');
    expect(manifest.verified).toBe(true);
    expect(manifest.redactions.some((r) => r.detector === 'entropy')).toBe(true);
  });

  it('flags < 1500 islands per MiB of raw dump bytes (measured ~500; regions not applied)', () => {
    const dir = '/work/shared/corpus/public';
    let islands = 0;
    let bytes = 0;
    for (const name of readdirSync(dir)) {
      if (name === 'SOURCES.md') continue;
      const file = readFileSync(`${dir}/${name}`);
      islands += scanBufferWith(scanner, file, 1 << 20).length;
      bytes += file.length;
    }
    const perMiB = islands / (bytes / 2 ** 20);
    console.log(`entropy islands: ${islands} in ${(bytes / 2 ** 20).toFixed(1)} MiB = ${perMiB.toFixed(0)} per MiB`);
    expect(perMiB).toBeLessThan(1500);
  });
});

/** The bytes of an ELF64 little-endian file's section `name`. */
function elfSection(elf: Buffer, name: string): Buffer {
  const shoff = Number(elf.readBigUInt64LE(0x28));
  const size = elf.readUInt16LE(0x3a);
  const count = elf.readUInt16LE(0x3c);
  const header = (i: number) => shoff + i * size;
  const strtab = Number(elf.readBigUInt64LE(header(elf.readUInt16LE(0x3e)) + 0x18));
  for (let i = 0; i < count; i++) {
    const h = header(i);
    const nameAt = strtab + elf.readUInt32LE(h);
    if (elf.toString('latin1', nameAt, elf.indexOf(0, nameAt)) !== name) continue;
    const offset = Number(elf.readBigUInt64LE(h + 0x18));
    return elf.subarray(offset, offset + Number(elf.readBigUInt64LE(h + 0x20)));
  }
  throw new Error(`no section ${name}`);
}
