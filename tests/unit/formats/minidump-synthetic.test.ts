import { describe, expect, it } from 'vitest';
import { regionAt } from '../../../src/engine/formats/dump-map.ts';
import {
  ByteWriter,
  CONTEXT_AMD64_SIZE,
  CONTEXT_ARM64_SIZE,
  MEM_IMAGE,
  MEM_MAPPED,
  MEM_PRIVATE,
  MinidumpBuilder,
  StreamType,
  ascii,
  firstDataRva,
  pattern,
  utf16,
} from '../../fixtures/minidump-builder.ts';
import { expectWellFormed, parseBytes, regionsIn } from './map-checks.ts';

const AMD64 = 9;
const ARM64 = 12;
const WINDOWS_NT = 2;
const LINUX = 0x8201;

/** A Windows AMD64 full-memory dump: one thread, one module, MemoryInfoList, Memory64List. */
function fullMemoryDump() {
  const b = new MinidumpBuilder(6);
  const systemInfo = b.systemInfo(AMD64, WINDOWS_NT);
  const name = b.string('C:\\app\\app.exe');
  const context = b.amd64Context();
  const memory = b.memory64List([
    { va: 0x140000000n, data: pattern(0x200, 1) }, // inside the module image
    { va: 0x7ff000n, data: pattern(0x100, 2) }, // the thread's stack
    { va: 0x20000n, data: pattern(0x80, 3) }, // MEM_PRIVATE
    { va: 0x30000n, data: pattern(0x40, 4) }, // MEM_MAPPED
    { va: 0x50000n, data: pattern(0x20, 5) }, // no memory info
    { va: 0x30fc0n, data: pattern(0x80, 6) }, // straddles the end of the MEM_MAPPED region
  ]);
  const threads = b.threadList([{ id: 100, stack: { va: 0x7ff000n, rva: memory.rvas[1]!, size: 0x100 }, context: { rva: context, size: CONTEXT_AMD64_SIZE } }]);
  const modules = b.moduleList([{ base: 0x140000000n, size: 0x1000, nameRva: name }]);
  const info = b.memoryInfoList([
    { base: 0x140000000n, size: 0x1000n, type: MEM_IMAGE },
    { base: 0x20000n, size: 0x1000n, type: MEM_PRIVATE },
    { base: 0x30000n, size: 0x1000n, type: MEM_MAPPED },
  ]);
  return { bytes: b.build(), systemInfo, name, context, memory, threads, modules, info };
}

describe('minidump: synthetic full-memory AMD64 dump', () => {
  it('summarises the dump and covers the file', async () => {
    const d = fullMemoryDump();
    const map = await parseBytes(d.bytes);
    expectWellFormed(map, d.bytes.length);
    expect(map.warnings).toEqual([]);
    expect(map.summary).toEqual({
      format: 'minidump',
      arch: 'amd64',
      os: 'windows',
      process: 'app.exe',
      streams: 6,
      threads: 1,
      modules: 1,
      memoryRanges: 6,
      memoryBytes: 0x200 + 0x100 + 0x80 + 0x40 + 0x20 + 0x80,
    });
  });

  it('classifies every Memory64List range by thread stack, module, memory info', async () => {
    const d = fullMemoryDump();
    const map = await parseBytes(d.bytes);
    const [image, stack, heap, mapped, unknown, straddle] = d.memory.rvas as [number, number, number, number, number, number];
    expect(regionsIn(map, image, 0x200)).toEqual([{ offset: image, length: 0x200, kind: 'module', va: '0x140000000', module: 'C:\\app\\app.exe' }]);
    expect(regionsIn(map, stack, 0x100)).toEqual([{ offset: stack, length: 0x100, kind: 'stack', va: '0x7ff000', thread: 100 }]);
    expect(regionsIn(map, heap, 0x80)).toEqual([{ offset: heap, length: 0x80, kind: 'heap', va: '0x20000' }]);
    expect(regionsIn(map, mapped, 0x40)).toEqual([{ offset: mapped, length: 0x40, kind: 'mapped-file', va: '0x30000' }]);
    expect(regionsIn(map, unknown, 0x20)).toEqual([{ offset: unknown, length: 0x20, kind: 'memory', va: '0x50000' }]);
    expect(regionsIn(map, straddle, 0x80)).toEqual([
      { offset: straddle, length: 0x40, kind: 'mapped-file', va: '0x30fc0' },
      { offset: straddle + 0x40, length: 0x40, kind: 'memory', va: '0x31000' },
    ]);
  });

  it('keeps header, directory, descriptors and strings as structure', async () => {
    const d = fullMemoryDump();
    const map = await parseBytes(d.bytes);
    expect(regionsIn(map, 0, firstDataRva(6))).toEqual([
      { offset: 0, length: 32, kind: 'structure', label: 'MINIDUMP_HEADER' },
      { offset: 32, length: 72, kind: 'structure', label: 'StreamDirectory' },
    ]);
    expect(regionAt(map, d.memory.listRva)).toEqual({ offset: d.memory.listRva, length: 16 + 6 * 16, kind: 'structure', label: 'Memory64List' });
    expect(regionAt(map, d.threads)).toEqual({ offset: d.threads, length: 4 + 48, kind: 'structure', label: 'ThreadList' });
    expect(regionAt(map, d.modules)).toEqual({ offset: d.modules, length: 4 + 108, kind: 'structure', label: 'ModuleList' });
    expect(regionAt(map, d.info)).toEqual({ offset: d.info, length: 16 + 3 * 48, kind: 'structure', label: 'MemoryInfoList' });
    expect(regionAt(map, d.systemInfo)).toEqual({ offset: d.systemInfo, length: 56, kind: 'structure', label: 'SystemInfo' });
    expect(regionsIn(map, d.name, 4 + 28)).toEqual([
      { offset: d.name, length: 4, kind: 'structure', label: 'ModuleName' },
      { offset: d.name + 4, length: 28, kind: 'text-stream', label: 'ModuleName' },
    ]);
  });

  it('locates the AMD64 context: flags structure, XMM and VectorRegister vector, the rest registers', async () => {
    const d = fullMemoryDump();
    const map = await parseBytes(d.bytes);
    const attrs = { thread: 100, label: 'CONTEXT_AMD64' };
    expect(regionsIn(map, d.context, CONTEXT_AMD64_SIZE)).toEqual([
      { offset: d.context, length: 48, kind: 'registers', ...attrs }, // P1Home–P6Home
      { offset: d.context + 48, length: 4, kind: 'structure', ...attrs }, // ContextFlags
      { offset: d.context + 52, length: 236, kind: 'registers', ...attrs }, // MxCsr … Rip, FCW … MXCSR_MASK
      { offset: d.context + 288, length: 896, kind: 'vector-registers', ...attrs }, // ST0–7, XMM0–15, VectorRegister[26]
      { offset: d.context + 1184, length: 48, kind: 'registers', ...attrs }, // VectorControl … LastExceptionFromRip
    ]);
  });
});

describe('minidump: synthetic ARM64 Linux dump with text streams', () => {
  function arm64Dump() {
    const b = new MinidumpBuilder(6);
    b.systemInfo(ARM64, LINUX);
    const context = b.arm64Context();
    const stackRva = b.append(pattern(0x300));
    b.threadList([{ id: 7, stack: { va: 0xffffc000n, rva: stackRva, size: 0x300 }, context: { rva: context, size: CONTEXT_ARM64_SIZE } }]);
    b.memoryList([{ va: 0xffffc000n, rva: stackRva, size: 0x300 }]);
    const comment = b.stream(StreamType.CommentStreamW, utf16('built by the test'));
    const environ = b.stream(StreamType.LinuxEnviron, ascii('HOME=/root\0PATH=/bin\0'));
    return { bytes: b.build(), context, stackRva, comment, environ };
  }

  it('puts V0–V31 exactly in vector registers', async () => {
    const d = arm64Dump();
    const map = await parseBytes(d.bytes);
    expectWellFormed(map, d.bytes.length);
    expect(map.warnings).toEqual([]);
    const attrs = { thread: 7, label: 'CONTEXT_ARM64' };
    expect(regionsIn(map, d.context, CONTEXT_ARM64_SIZE)).toEqual([
      { offset: d.context, length: 4, kind: 'structure', ...attrs },
      { offset: d.context + 4, length: 268, kind: 'registers', ...attrs }, // Cpsr, X0–X28, Fp, Lr, Sp, Pc
      { offset: d.context + 272, length: 512, kind: 'vector-registers', ...attrs }, // V0–V31
      { offset: d.context + 784, length: 128, kind: 'registers', ...attrs }, // Fpcr, Fpsr, debug registers
    ]);
    expect(map.summary).toMatchObject({ arch: 'arm64', os: 'linux', threads: 1, memoryRanges: 1 });
  });

  it('claims the stack once although ThreadList and MemoryList both name it', async () => {
    const d = arm64Dump();
    const map = await parseBytes(d.bytes);
    expect(regionAt(map, d.stackRva)).toEqual({ offset: d.stackRva, length: 0x300, kind: 'stack', va: '0xffffc000', thread: 7 });
  });

  it('marks CommentStreamW and LinuxEnviron as text streams', async () => {
    const d = arm64Dump();
    const map = await parseBytes(d.bytes);
    expect(regionAt(map, d.comment)).toEqual({ offset: d.comment, length: 34, kind: 'text-stream', label: 'CommentStreamW' });
    expect(regionAt(map, d.environ)).toEqual({ offset: d.environ, length: 21, kind: 'text-stream', label: 'LinuxEnviron' });
  });
});

describe('minidump: AMD64 context with CONTEXT_EX and XSAVE state', () => {
  it('splits CONTEXT_EX and the XSAVE header (structure) from the AVX state (vector registers)', async () => {
    const b = new MinidumpBuilder(2);
    b.systemInfo(AMD64, WINDOWS_NT);
    // CONTEXT_EX right after the CONTEXT; the XState chunk starts 64 bytes into the extra area.
    const ex = new ByteWriter()
      .i32(-CONTEXT_AMD64_SIZE)
      .u32(CONTEXT_AMD64_SIZE + 64 + 64 + 256)
      .i32(-CONTEXT_AMD64_SIZE)
      .u32(CONTEXT_AMD64_SIZE)
      .i32(64)
      .u32(64 + 256)
      .zeros(40)
      .bytes(pattern(64 + 256, 9))
      .finish();
    const context = b.amd64Context(0x10004b, ex);
    const size = CONTEXT_AMD64_SIZE + ex.length;
    b.threadList([{ id: 1, stack: { va: 0n, rva: 0, size: 0 }, context: { rva: context, size } }]);
    const bytes = b.build();
    const map = await parseBytes(bytes);
    expectWellFormed(map, bytes.length);
    expect(map.warnings).toEqual([]);
    const at = context + CONTEXT_AMD64_SIZE;
    expect(regionsIn(map, at, ex.length)).toEqual([
      { offset: at, length: 24, kind: 'structure', thread: 1, label: 'CONTEXT_EX' },
      { offset: at + 24, length: 40, kind: 'raw' },
      { offset: at + 64, length: 64, kind: 'structure', thread: 1, label: 'XSTATE' },
      { offset: at + 128, length: 256, kind: 'vector-registers', thread: 1, label: 'XSTATE' },
    ]);
  });

  it('leaves unexplained bytes after a context raw, with a warning', async () => {
    const b = new MinidumpBuilder(2);
    b.systemInfo(AMD64, WINDOWS_NT);
    const context = b.amd64Context(0x10000b, pattern(32));
    b.threadList([{ id: 1, stack: { va: 0n, rva: 0, size: 0 }, context: { rva: context, size: CONTEXT_AMD64_SIZE + 32 } }]);
    const map = await parseBytes(b.build());
    expect(regionAt(map, context + CONTEXT_AMD64_SIZE)).toEqual({ offset: context + CONTEXT_AMD64_SIZE, length: 32, kind: 'raw' });
    expect(map.warnings.join('\n')).toMatch(/32 bytes after CONTEXT_AMD64 are not explained/);
  });
});

describe('minidump: hostile and damaged files', () => {
  it('parses the descriptors that fit when a count overflows the stream', async () => {
    const b = new MinidumpBuilder(1);
    const data = b.append(pattern(0x40));
    const list = b.memoryList(
      [
        { va: 0x1000n, rva: data, size: 0x20 },
        { va: 0x2000n, rva: data + 0x20, size: 0x20 },
      ],
      0xffffffff,
    );
    const bytes = b.build();
    const map = await parseBytes(bytes);
    expectWellFormed(map, bytes.length);
    expect(map.warnings.join('\n')).toMatch(/MemoryList declares 4294967295 entries but its 36 bytes hold 2/);
    expect(regionAt(map, list)).toMatchObject({ kind: 'structure', length: 36 });
    expect(regionsIn(map, data, 0x40)).toEqual([
      { offset: data, length: 0x20, kind: 'memory', va: '0x1000' },
      { offset: data + 0x20, length: 0x20, kind: 'memory', va: '0x2000' },
    ]);
    expect(map.summary.memoryRanges).toBe(2);
  });

  it('skips a range whose RVA is past the end and truncates one that runs past it', async () => {
    const b = new MinidumpBuilder(1);
    const data = b.append(pattern(0x40));
    b.memoryList([
      { va: 0x1000n, rva: 1 << 20, size: 0x20 },
      { va: 0x2000n, rva: data, size: 0x1000 },
    ]);
    const bytes = b.build();
    const map = await parseBytes(bytes);
    expectWellFormed(map, bytes.length);
    expect(map.warnings.join('\n')).toMatch(/MemoryList range 0: RVA 1048576 is past the end of the file/);
    expect(map.warnings.join('\n')).toMatch(/MemoryList range 1: 4096 bytes at RVA \d+ run past the end of the file; truncated/);
    // The list itself was appended after the data, so the truncated range ends where the list starts.
    expect(regionAt(map, data)).toEqual({ offset: data, length: 0x40, kind: 'memory', va: '0x2000' });
  });

  it('resolves overlapping ranges to the more protective kind and warns', async () => {
    const b = new MinidumpBuilder(2);
    const data = b.append(pattern(0x180));
    const threads = b.threadList([{ id: 5, stack: { va: 0x1000n, rva: data, size: 0x100 }, context: { rva: 0, size: 0 } }]);
    b.memoryList([
      { va: 0x1000n, rva: data, size: 0x100 }, // the stack
      { va: 0x9000n, rva: data + 0x80, size: 0x100 }, // overlaps the stack's last half
      { va: 0xa000n, rva: threads, size: 0x10 }, // overlaps the ThreadList stream
    ]);
    const bytes = b.build();
    const map = await parseBytes(bytes);
    expectWellFormed(map, bytes.length);
    expect(regionsIn(map, data, 0x180)).toEqual([
      { offset: data, length: 0x100, kind: 'stack', va: '0x1000', thread: 5 },
      { offset: data + 0x100, length: 0x80, kind: 'memory', va: '0x9080' },
    ]);
    expect(regionAt(map, threads)).toMatchObject({ kind: 'structure', label: 'ThreadList' });
    const warnings = map.warnings.join('\n');
    expect(warnings).toMatch(/stack \(thread 5\) kept over memory/);
    expect(warnings).toMatch(/structure \(ThreadList\) kept over memory/);
  });

  it('maps what is left of a truncated full-memory dump and warns about the rest', async () => {
    const d = fullMemoryDump();
    const stackRva = d.memory.rvas[1]!;
    const cut = d.bytes.slice(0, stackRva + 0x40);
    const map = await parseBytes(cut);
    expectWellFormed(map, cut.length);
    const warnings = map.warnings.join('\n');
    expect(warnings).toMatch(/Memory64List range 1: 256 bytes at \d+ run past the end of the file; truncated to 64/);
    expect(warnings).toMatch(/Memory64List: range 2 and the 3 after it lie past the end of the file/);
    // The thread, module and memory-info lists were written after the memory and are cut off, so
    // nothing says what these ranges are any more: plain memory.
    expect(regionsIn(map, d.memory.rvas[0]!, 0x240)).toEqual([
      { offset: d.memory.rvas[0], length: 0x200, kind: 'memory', va: '0x140000000' },
      { offset: stackRva, length: 0x40, kind: 'memory', va: '0x7ff000' },
    ]);
    expect(warnings).toMatch(/ThreadList \(directory entry \d\): RVA \d+ is past the end of the file/);
    expect(map.summary).toMatchObject({ memoryRanges: 6, memoryBytes: 0x200 + 0x40 });
  });

  it('leaves a context no layout fits raw, with a warning', async () => {
    const b = new MinidumpBuilder(2);
    b.systemInfo(AMD64, WINDOWS_NT);
    const context = b.append(pattern(100));
    b.threadList([{ id: 9, stack: { va: 0n, rva: 0, size: 0 }, context: { rva: context, size: 100 } }]);
    const map = await parseBytes(b.build());
    expect(regionAt(map, context)).toEqual({ offset: context, length: 100, kind: 'raw' });
    expect(map.warnings.join('\n')).toMatch(/thread 9 context \(100 bytes, flags 0x[0-9a-f]+\) matches no known amd64 CPU context layout/);
  });

  it('reads no stream when the directory lies past the end of the file', async () => {
    const header = new ByteWriter().u32(0x504d444d).u32(0xa793).u32(3).u32(4096).zeros(16).finish();
    const map = await parseBytes(header);
    expect(map.regions).toEqual([{ offset: 0, length: 32, kind: 'structure', label: 'MINIDUMP_HEADER' }]);
    expect(map.warnings).toEqual(['minidump stream directory (3 entries at RVA 4096) does not fit in the 32-byte file or exceeds 4096 entries; no stream is parsed']);
  });

  it('treats a file too short for the header as raw', async () => {
    const map = await parseBytes(new Uint8Array([0x4d, 0x44, 0x4d, 0x50, 0x93, 0xa7]));
    expect(map.regions).toEqual([{ offset: 0, length: 6, kind: 'raw' }]);
    expect(map.warnings[0]).toMatch(/minidump header is truncated/);
  });
});
