import { describe, expect, it } from 'vitest';
import { parseDump, regionAt } from '../../../src/engine/formats/dump-map.ts';
import { sniffFormat } from '../../../src/engine/formats/sniff.ts';
import { blobSource, type ByteSource } from '../../../src/engine/source.ts';
import { EM_X86_64, buildCore } from '../../fixtures/elf-core-builder.ts';
import { ascii, concat } from '../../fixtures/minidump-builder.ts';
import { expectWellFormed, parseBytes } from './map-checks.ts';

const source = (bytes: Uint8Array) => blobSource(new Blob([new Uint8Array(bytes)]));

describe('sniffFormat', () => {
  const cases: [string, Uint8Array, string][] = [
    ['minidump', ascii('MDMP\x93\xa7\0\0'), 'minidump'],
    ['hprof', ascii('JAVA PROFILE 1.0.2\0'), 'hprof'],
    ['gzip', new Uint8Array([0x1f, 0x8b, 8, 0]), 'gzip'],
    ['a microdump behind a logcat prefix', ascii('W/google-breakpad( 3728): -----BEGIN BREAKPAD MICRODUMP-----\n'), 'microdump'],
    ['text', ascii('hello world'), 'raw'],
    ['an empty file', new Uint8Array(0), 'raw'],
  ];
  for (const [name, bytes, format] of cases) {
    it(`names ${name}`, async () => {
      expect((await sniffFormat(source(bytes))).format).toBe(format);
    });
  }

  it('warns that compressed containers are not looked into', async () => {
    expect((await sniffFormat(source(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd])))).warnings[0]).toMatch(/zstd-compressed input is scanned as raw bytes/);
  });

  it('tells ELF cores from other ELF files, in either byte order', async () => {
    const core = buildCore({ is64: false, littleEndian: false, machine: 20 }, [], []).bytes;
    expect((await sniffFormat(source(core))).format).toBe('elf-core');
    const exe = new Uint8Array(core);
    exe[17] = 2; // e_type ET_EXEC, big-endian
    expect((await sniffFormat(source(exe))).format).toBe('elf');
  });
});

describe('parseDump', () => {
  it('keeps only the headers of an ELF file that is not a core', async () => {
    const bytes = new Uint8Array(buildCore({ is64: true, littleEndian: true, machine: EM_X86_64 }, [], [{ vaddr: 0x1000n, flags: 5, size: 0x1000 }]).bytes);
    bytes[16] = 2; // ET_EXEC
    const map = await parseBytes(bytes);
    expectWellFormed(map, bytes.length);
    expect(map.summary).toEqual({ format: 'elf' });
    expect(map.warnings).toEqual(['ELF type 2 is not a core file (ET_CORE); only its headers are parsed']);
    expect(map.regions.map((r) => r.kind)).toEqual(['structure', 'structure', 'raw']);
  });

  it('maps an hprof header as structure and its records raw', async () => {
    const bytes = concat(ascii('JAVA PROFILE 1.0.2\0'), new Uint8Array([0, 0, 0, 8]), new Uint8Array(8), ascii('records'));
    const map = await parseBytes(bytes);
    expect(map).toEqual({
      summary: { format: 'hprof' },
      regions: [
        { offset: 0, length: 31, kind: 'structure', label: 'HPROF header' },
        { offset: 31, length: 7, kind: 'raw' },
      ],
      warnings: [],
    });
  });

  it('treats a microdump as raw text', async () => {
    const bytes = ascii('-----BEGIN BREAKPAD MICRODUMP-----\nO A arm64\n');
    expect(await parseBytes(bytes)).toEqual({ summary: { format: 'microdump' }, regions: [{ offset: 0, length: bytes.length, kind: 'raw' }], warnings: [] });
  });

  it('falls back to one raw region, with the reason, when reading fails part-way', async () => {
    const bytes = ascii('MDMP\x93\xa7\0\0\x01\0\0\0\x20\0\0\0' + '\0'.repeat(16) + '\x07\0\0\0\x38\0\0\0\x2c\0\0\0' + '\0'.repeat(56));
    const inner = source(bytes);
    let reads = 0;
    const failing: ByteSource = { size: inner.size, read: (o, l) => (++reads > 2 ? Promise.reject(new Error('disk gone')) : inner.read(o, l)) };
    const map = await parseDump(failing);
    expect(map.regions).toEqual([{ offset: 0, length: bytes.length, kind: 'raw' }]);
    expect(map.warnings).toEqual(['minidump parser failed (disk gone); the whole file is scanned as raw bytes']);
  });
});

describe('regionAt', () => {
  it('finds the region holding each byte and refuses offsets outside the file', async () => {
    const bytes = ascii('JAVA PROFILE 1.0.2\0\0\0\0\x08' + '\0'.repeat(8) + 'tail');
    const map = await parseBytes(bytes);
    expect(regionAt(map, 0).kind).toBe('structure');
    expect(regionAt(map, 30).kind).toBe('structure');
    expect(regionAt(map, 31).kind).toBe('raw');
    expect(regionAt(map, bytes.length - 1).kind).toBe('raw');
    expect(() => regionAt(map, bytes.length)).toThrow(RangeError);
    expect(() => regionAt(map, -1)).toThrow(RangeError);
  });
});
