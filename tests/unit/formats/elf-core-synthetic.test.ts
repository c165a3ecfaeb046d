import { describe, expect, it } from 'vitest';
import { regionAt } from '../../../src/engine/formats/dump-map.ts';
import {
  EM_386,
  EM_AARCH64,
  EM_PPC,
  EM_PPC64,
  EM_X86_64,
  NT,
  PF_R,
  PF_W,
  PF_X,
  PRSTATUS_AARCH64,
  PRSTATUS_I386,
  PRSTATUS_PPC32,
  PRSTATUS_PPC64,
  PRSTATUS_X86_64,
  buildCore,
  filled,
  ntFile,
  prpsinfo,
  prstatus,
  type CoreFormat,
} from '../../fixtures/elf-core-builder.ts';
import { expectWellFormed, parseBytes, regionsIn } from './map-checks.ts';

const LE64: CoreFormat = { is64: true, littleEndian: true };
const LE32: CoreFormat = { is64: false, littleEndian: true };
const BE32: CoreFormat = { is64: false, littleEndian: false };
const BE64: CoreFormat = { is64: true, littleEndian: false };

describe('ELF core: synthetic x86_64 (LE64) with every note the parser reads', () => {
  const stackVa = 0x7ffd00000000n;
  function core() {
    return buildCore(
      { ...LE64, machine: EM_X86_64 },
      [
        { owner: 'CORE', type: NT.PRSTATUS, desc: prstatus(LE64, PRSTATUS_X86_64, 4242, stackVa + 0x1230n) },
        { owner: 'CORE', type: NT.PRPSINFO, desc: prpsinfo(LE64, 'demo', 'demo --key=x') },
        { owner: 'CORE', type: NT.PRFPREG, desc: filled(512, 0xaa) },
        { owner: 'LINUX', type: NT.X86_XSTATE, desc: filled(832, 0xbb) },
        {
          owner: 'CORE',
          type: NT.FILE,
          desc: ntFile(LE64, [
            { start: 0x400000n, end: 0x401000n, name: '/usr/bin/demo' },
            { start: 0x600000n, end: 0x601000n, name: '/usr/bin/demo' },
            { start: 0x700000n, end: 0x701000n, name: '/var/lib/demo/data.bin' },
          ]),
        },
        { owner: 'LINUX', type: 0x999, desc: filled(8, 0xcc) },
      ],
      [
        { vaddr: 0x400000n, flags: PF_R | PF_X, size: 0x1000 },
        { vaddr: 0x600000n, flags: PF_R | PF_W, size: 0x1000 },
        { vaddr: 0x700000n, flags: PF_R, size: 0x1000 },
        { vaddr: 0x800000n, flags: PF_R | PF_W, size: 0x1000 },
        { vaddr: stackVa, flags: PF_R | PF_W, size: 0x2000 },
      ],
    );
  }

  it('summarises the core and covers the file', async () => {
    const c = core();
    const map = await parseBytes(c.bytes);
    expectWellFormed(map, c.bytes.length);
    expect(map.warnings).toEqual([]);
    expect(map.summary).toEqual({
      format: 'elf-core',
      arch: 'amd64',
      os: 'linux',
      process: 'demo',
      threads: 1,
      modules: 1,
      memoryRanges: 5,
      memoryBytes: 0x6000,
    });
  });

  it('classifies PT_LOADs: the executable file is a module, the other file mapped, SP marks the stack', async () => {
    const c = core();
    const map = await parseBytes(c.bytes);
    const [text, data, file, heap, stack] = c.loads;
    expect(regionAt(map, text!.offset)).toEqual({ offset: text!.offset, length: 0x1000, kind: 'module', va: '0x400000', module: '/usr/bin/demo' });
    expect(regionAt(map, data!.offset)).toEqual({ offset: data!.offset, length: 0x1000, kind: 'module', va: '0x600000', module: '/usr/bin/demo' });
    expect(regionAt(map, file!.offset)).toEqual({ offset: file!.offset, length: 0x1000, kind: 'mapped-file', va: '0x700000', module: '/var/lib/demo/data.bin' });
    expect(regionAt(map, heap!.offset)).toEqual({ offset: heap!.offset, length: 0x1000, kind: 'heap', va: '0x800000' });
    expect(regionAt(map, stack!.offset)).toEqual({ offset: stack!.offset, length: 0x2000, kind: 'stack', va: '0x7ffd00000000', thread: 4242 });
  });

  it('keeps headers and note headers structure and splits each note by its layout', async () => {
    const c = core();
    const map = await parseBytes(c.bytes);
    const [status, psinfo, fpregs, xstate, file, unknown] = c.notes;
    expect(regionsIn(map, 0, c.phoff + c.phSize)).toEqual([
      { offset: 0, length: 64, kind: 'structure', label: 'ELF header' },
      { offset: 64, length: 6 * 56, kind: 'structure', label: 'program headers' },
    ]);
    const thread = { thread: 4242 };
    expect(regionsIn(map, status!.offset, status!.end - status!.offset)).toEqual([
      { offset: status!.offset, length: 20, kind: 'structure', label: 'NT_PRSTATUS' },
      { offset: status!.descOffset, length: 336, kind: 'registers', ...thread, label: 'NT_PRSTATUS' },
    ]);
    expect(regionsIn(map, psinfo!.offset, psinfo!.end - psinfo!.offset)).toEqual([
      { offset: psinfo!.offset, length: 20 + 40, kind: 'structure', label: 'NT_PRPSINFO' },
      { offset: psinfo!.descOffset + 40, length: 96, kind: 'text-stream', label: 'NT_PRPSINFO' },
    ]);
    expect(regionsIn(map, fpregs!.offset, fpregs!.end - fpregs!.offset)).toEqual([
      { offset: fpregs!.offset, length: 20, kind: 'structure', label: 'NT_PRFPREG' },
      { offset: fpregs!.descOffset, length: 32, kind: 'registers', ...thread, label: 'NT_PRFPREG' }, // FCW … MXCSR_MASK
      { offset: fpregs!.descOffset + 32, length: 480, kind: 'vector-registers', ...thread, label: 'NT_PRFPREG' }, // ST, XMM, reserved
    ]);
    expect(regionsIn(map, xstate!.offset, xstate!.end - xstate!.offset)).toEqual([
      { offset: xstate!.offset, length: 20, kind: 'structure', label: 'NT_X86_XSTATE' },
      { offset: xstate!.descOffset, length: 32, kind: 'registers', ...thread, label: 'NT_X86_XSTATE' },
      { offset: xstate!.descOffset + 32, length: 480, kind: 'vector-registers', ...thread, label: 'NT_X86_XSTATE' },
      { offset: xstate!.descOffset + 512, length: 64, kind: 'structure', ...thread, label: 'NT_X86_XSTATE' }, // XSAVE header
      { offset: xstate!.descOffset + 576, length: 256, kind: 'vector-registers', ...thread, label: 'NT_X86_XSTATE' }, // YMM upper halves
    ]);
    expect(regionsIn(map, file!.offset, file!.end - file!.offset)).toEqual([{ offset: file!.offset, length: file!.end - file!.offset, kind: 'structure', label: 'NT_FILE' }]);
    expect(regionsIn(map, unknown!.offset, unknown!.end - unknown!.offset)).toEqual([
      { offset: unknown!.offset, length: 20, kind: 'structure', label: 'LINUX type 0x999' },
      { offset: unknown!.descOffset, length: 8, kind: 'raw', label: 'LINUX type 0x999' },
    ]);
  });
});

describe('ELF core: other classes, byte orders and machines', () => {
  it('reads a big-endian 32-bit PowerPC core', async () => {
    const c = buildCore(
      { ...BE32, machine: EM_PPC },
      [
        { owner: 'CORE', type: NT.PRSTATUS, desc: prstatus(BE32, PRSTATUS_PPC32, 77, 0x7fff0100n) },
        { owner: 'CORE', type: NT.PRPSINFO, desc: prpsinfo(BE32, 'rt', 'rt -x') },
        { owner: 'CORE', type: NT.PRFPREG, desc: filled(264, 1) },
      ],
      [
        { vaddr: 0x10000000n, flags: PF_R | PF_X, size: 0x1000 },
        { vaddr: 0x7fff0000n, flags: PF_R | PF_W, size: 0x1000 },
      ],
    );
    const map = await parseBytes(c.bytes);
    expectWellFormed(map, c.bytes.length);
    expect(map.warnings).toEqual([]);
    expect(map.summary).toEqual({ format: 'elf-core', arch: 'ppc', os: 'linux', process: 'rt', threads: 1, memoryRanges: 2, memoryBytes: 0x2000 });
    // Without NT_FILE nothing names the text segment: anonymous memory.
    expect(regionAt(map, c.loads[0]!.offset)).toMatchObject({ kind: 'heap', va: '0x10000000' });
    expect(regionAt(map, c.loads[1]!.offset)).toEqual({ offset: c.loads[1]!.offset, length: 0x1000, kind: 'stack', va: '0x7fff0000', thread: 77 });
    const fp = c.notes[2]!;
    expect(regionsIn(map, fp.descOffset, 264)).toEqual([
      { offset: fp.descOffset, length: 256, kind: 'vector-registers', thread: 77, label: 'NT_PRFPREG' }, // fpr[32]
      { offset: fp.descOffset + 256, length: 8, kind: 'registers', thread: 77, label: 'NT_PRFPREG' }, // fpscr
    ]);
  });

  it('reads a big-endian 64-bit PowerPC core', async () => {
    const c = buildCore(
      { ...BE64, machine: EM_PPC64 },
      [{ owner: 'CORE', type: NT.PRSTATUS, desc: prstatus(BE64, PRSTATUS_PPC64, 88, 0x3fffff000800n) }],
      [
        { vaddr: 0x10000000n, flags: PF_R | PF_X, size: 0x1000 },
        { vaddr: 0x3fffff000000n, flags: PF_R | PF_W, size: 0x1000 },
      ],
    );
    const map = await parseBytes(c.bytes);
    expectWellFormed(map, c.bytes.length);
    expect(map.summary).toMatchObject({ arch: 'ppc64', threads: 1 });
    expect(regionAt(map, c.loads[1]!.offset)).toMatchObject({ kind: 'stack', va: '0x3fffff000000', thread: 88 });
  });

  it('locates aarch64 V0–V31 and the SVE registers', async () => {
    const c = buildCore(
      { ...LE64, machine: EM_AARCH64 },
      [
        { owner: 'CORE', type: NT.PRSTATUS, desc: prstatus(LE64, PRSTATUS_AARCH64, 31, 0xffffe0001000n) },
        { owner: 'CORE', type: NT.PRFPREG, desc: filled(528, 2) },
        { owner: 'LINUX', type: NT.ARM_SVE, desc: filled(16 + 544, 3) },
        { owner: 'LINUX', type: NT.ARM_TLS, desc: filled(8, 4) },
      ],
      [{ vaddr: 0xffffe0000000n, flags: PF_R | PF_W, size: 0x2000 }],
    );
    const map = await parseBytes(c.bytes);
    expectWellFormed(map, c.bytes.length);
    expect(map.summary).toMatchObject({ arch: 'arm64', threads: 1 });
    const [, fp, sve, tls] = c.notes;
    const thread = { thread: 31 };
    expect(regionsIn(map, fp!.descOffset, 528)).toEqual([
      { offset: fp!.descOffset, length: 512, kind: 'vector-registers', ...thread, label: 'NT_PRFPREG' }, // vregs[32]
      { offset: fp!.descOffset + 512, length: 16, kind: 'registers', ...thread, label: 'NT_PRFPREG' }, // fpsr, fpcr
    ]);
    expect(regionsIn(map, sve!.descOffset, 560)).toEqual([
      { offset: sve!.descOffset, length: 16, kind: 'structure', ...thread, label: 'NT_ARM_SVE' },
      { offset: sve!.descOffset + 16, length: 544, kind: 'vector-registers', ...thread, label: 'NT_ARM_SVE' },
    ]);
    expect(regionAt(map, tls!.descOffset)).toEqual({ offset: tls!.descOffset, length: 8, kind: 'raw', label: 'NT_ARM_TLS' });
    expect(regionAt(map, c.loads[0]!.offset)).toMatchObject({ kind: 'stack', thread: 31 });
  });

  it('reads an i386 core: FSAVE and FXSAVE register notes, 32-bit NT_FILE', async () => {
    const c = buildCore(
      { ...LE32, machine: EM_386 },
      [
        { owner: 'CORE', type: NT.PRSTATUS, desc: prstatus(LE32, PRSTATUS_I386, 5, 0xbf801000n) },
        { owner: 'CORE', type: NT.PRFPREG, desc: filled(108, 5) },
        { owner: 'LINUX', type: NT.PRXFPREG, desc: filled(512, 6) },
        { owner: 'CORE', type: NT.FILE, desc: ntFile(LE32, [{ start: 0x8048000n, end: 0x8049000n, name: '/bin/true' }]) },
      ],
      [
        { vaddr: 0x8048000n, flags: PF_R | PF_X, size: 0x1000 },
        { vaddr: 0xbf800000n, flags: PF_R | PF_W, size: 0x2000 },
      ],
    );
    const map = await parseBytes(c.bytes);
    expectWellFormed(map, c.bytes.length);
    expect(map.warnings).toEqual([]);
    expect(map.summary).toMatchObject({ arch: 'x86', threads: 1, modules: 1 });
    const [, fsave, fxsave] = c.notes;
    const thread = { thread: 5 };
    expect(regionsIn(map, fsave!.descOffset, 108)).toEqual([
      { offset: fsave!.descOffset, length: 28, kind: 'registers', ...thread, label: 'NT_PRFPREG' }, // cwd … fos
      { offset: fsave!.descOffset + 28, length: 80, kind: 'vector-registers', ...thread, label: 'NT_PRFPREG' }, // st_space
    ]);
    expect(regionsIn(map, fxsave!.descOffset, 512)).toEqual([
      { offset: fxsave!.descOffset, length: 32, kind: 'registers', ...thread, label: 'NT_PRXFPREG' },
      { offset: fxsave!.descOffset + 32, length: 480, kind: 'vector-registers', ...thread, label: 'NT_PRXFPREG' },
    ]);
    expect(regionAt(map, c.loads[0]!.offset)).toMatchObject({ kind: 'module', module: '/bin/true', va: '0x8048000' });
    expect(regionAt(map, c.loads[1]!.offset)).toMatchObject({ kind: 'stack', thread: 5, va: '0xbf800000' });
  });
});

describe('ELF core: damaged files', () => {
  const notes = () => [
    { owner: 'CORE', type: NT.PRSTATUS, desc: prstatus(LE64, PRSTATUS_X86_64, 1, 0x7000n) },
    { owner: 'CORE', type: NT.AUXV, desc: filled(64, 7) },
    { owner: 'CORE', type: NT.PRPSINFO, desc: prpsinfo(LE64, 'x', 'x') },
  ];
  const loads = [
    { vaddr: 0x1000n, flags: PF_R | PF_W, size: 0x1000 },
    { vaddr: 0x7000n, flags: PF_R | PF_W, size: 0x2000 },
    { vaddr: 0x9000n, flags: PF_R | PF_W, size: 0x1000 },
  ];

  it('stops at a note that runs past its PT_NOTE segment and leaves the rest raw', async () => {
    const c = buildCore({ ...LE64, machine: EM_X86_64 }, notes(), loads);
    const bytes = new Uint8Array(c.bytes);
    new DataView(bytes.buffer).setUint32(c.notes[1]!.offset + 4, 0x100000, true); // AUXV descsz
    const map = await parseBytes(bytes);
    expectWellFormed(map, bytes.length);
    expect(map.warnings.join('\n')).toMatch(/note at file offset \d+ \(name size 5, data size 1048576\) runs past its PT_NOTE segment/);
    expect(regionAt(map, c.notes[0]!.descOffset)).toMatchObject({ kind: 'registers', thread: 1 });
    expect(regionAt(map, c.notes[1]!.offset)).toMatchObject({ kind: 'raw' });
    expect(regionAt(map, c.notes[2]!.descOffset + 40)).toMatchObject({ kind: 'raw' });
    expect(map.summary.process).toBeUndefined();
  });

  it('maps the segments a truncated core still holds and warns about the rest', async () => {
    const full = buildCore({ ...LE64, machine: EM_X86_64 }, notes(), loads);
    const cut = full.loads[1]!.offset + 0x800;
    const c = buildCore({ ...LE64, machine: EM_X86_64 }, notes(), loads, { truncateTo: cut });
    const map = await parseBytes(c.bytes);
    expectWellFormed(map, cut);
    const warnings = map.warnings.join('\n');
    expect(warnings).toMatch(/program header 2: 8192 file bytes at offset \d+ run past the end of the file; 2048 are present/);
    expect(warnings).toMatch(/program header 3: its 4096 file bytes at offset \d+ lie past the end of the file/);
    expect(regionAt(map, c.loads[1]!.offset)).toEqual({ offset: c.loads[1]!.offset, length: 0x800, kind: 'stack', va: '0x7000', thread: 1 });
    expect(map.summary).toMatchObject({ memoryRanges: 3, memoryBytes: 0x1000 + 0x800 });
  });

  it('distrusts a program header count that runs past the end of the file', async () => {
    const c = buildCore({ ...LE64, machine: EM_X86_64 }, notes(), loads, { phnum: 5000 });
    const map = await parseBytes(c.bytes);
    expectWellFormed(map, c.bytes.length);
    expect(map.warnings.join('\n')).toMatch(/ELF program headers: 5000 entries of 56 bytes at offset 64 do not fit/);
    expect(map.regions[0]).toEqual({ offset: 0, length: 64, kind: 'structure', label: 'ELF header' });
    expect(map.regions.slice(1)).toEqual([{ offset: 64, length: c.bytes.length - 64, kind: 'raw' }]);
  });
});
