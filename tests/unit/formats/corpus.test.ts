import { execFileSync } from 'node:child_process';
import { existsSync, openAsBlob, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDump, type DumpMap, type DumpSummary } from '../../../src/engine/formats/dump-map.ts';
import { blobSource } from '../../../src/engine/source.ts';
import { CORPUS } from '../../fixtures/dump-checks.ts';
import { expectWellFormed } from './map-checks.ts';


interface Expected {
  summary: Partial<DumpSummary>;
  /** Exact text-stream lengths by label, from SOURCES.md. */
  text?: Record<string, number>;
  malformed?: true;
}

/** Figures from SOURCES.md (streams, memory ranges, PT_LOADs, notes) and the dumps' own records. */
const EXPECTED: Record<string, Expected> = {
  'bp-ascii-read-av.dmp': { summary: { format: 'minidump', arch: 'x86', os: 'windows', streams: 9, threads: 2, memoryRanges: 5, process: 'crashme.exe' } },
  'bp-crashpad-annotation.dmp': { summary: { format: 'minidump', arch: 'amd64', os: 'ios', streams: 8, threads: 7, modules: 354, memoryRanges: 11 } },
  'bp-linux-executable-heap.dmp': { summary: { format: 'minidump', arch: 'amd64', os: 'linux', streams: 13, threads: 1, memoryRanges: 2 }, text: { LinuxEnviron: 4025 } },
  'bp-linux-inline.dmp': { summary: { format: 'minidump', arch: 'amd64', os: 'linux', streams: 7, threads: 1, memoryRanges: 1 } },
  'bp-linux-raise-sigabrt.dmp': {
    summary: { format: 'minidump', arch: 'amd64', os: 'linux', streams: 13, threads: 1, memoryRanges: 2 },
    text: { LinuxEnviron: 5975, LinuxCmdLine: 9, LinuxMaps: 3475, LinuxProcStatus: 950 },
  },
  'bp-microdump-arm64.txt': { summary: { format: 'microdump' } },
  'bp-stack-exhaustion.dmp': { summary: { format: 'minidump', arch: 'x86', os: 'windows', streams: 9, memoryRanges: 5 } },
  'bp-thread-name-list.dmp': { summary: { format: 'minidump', arch: 'x86', os: 'windows', streams: 13, threads: 6, memoryRanges: 10 } },
  'bp-tiny-exe-fastfail.dmp': { summary: { format: 'minidump', arch: 'amd64', os: 'windows', streams: 12, threads: 4, memoryRanges: 14, process: 'tiny.exe' } },
  'eu-aarch64.core': { summary: { format: 'elf-core', arch: 'arm64', os: 'linux', threads: 1, memoryRanges: 9 } },
  'eu-m68k-be.core': { summary: { format: 'elf-core', arch: 'm68k', os: 'linux', threads: 1, memoryRanges: 13, modules: 3 } },
  'eu-ppc32-be.core': { summary: { format: 'elf-core', arch: 'ppc', os: 'linux', threads: 1, memoryRanges: 16 } },
  'eu-ppc64-be.core': { summary: { format: 'elf-core', arch: 'ppc64', os: 'linux', threads: 1, memoryRanges: 6 } },
  'eu-riscv64.core': { summary: { format: 'elf-core', arch: 'riscv64', os: 'linux', threads: 1, memoryRanges: 14 } },
  'eu-x32.core': { summary: { format: 'elf-core', arch: 'x32', os: 'linux', threads: 1, memoryRanges: 15, modules: 3 } },
  'eu-x86_64-linkmap-cut.core': { summary: { format: 'elf-core', arch: 'amd64', os: 'linux', threads: 1, memoryRanges: 21, process: 'linkmap-cut' } },
  'pyelf-core-linux32.core': { summary: { format: 'elf-core', arch: 'x86', os: 'linux', threads: 1, memoryRanges: 15, process: 'coredump' } },
  'pyelf-core-linux64.core': { summary: { format: 'elf-core', arch: 'amd64', os: 'linux', threads: 1, memoryRanges: 18, modules: 3, process: 'coredump_self' } },
  'pyelf-core-simple64.core': { summary: { format: 'elf-core', arch: 'amd64', os: 'linux', threads: 1, memoryRanges: 17 } },
  'pyhprof-example-java.hprof': { summary: { format: 'hprof' } },
  'rmd-invalid-parameter.dmp': { summary: { format: 'minidump', arch: 'amd64', os: 'windows', streams: 14, threads: 6, memoryRanges: 10 }, text: { AssertionInfo: 768 } },
  'rmd-linux-mini.dmp': { summary: { format: 'minidump', arch: 'amd64', os: 'linux', streams: 14, threads: 1, memoryRanges: 2 }, text: { LinuxEnviron: 1591 } },
  'rmd-macos-x64-inlines-segv.dmp': { summary: { format: 'minidump', arch: 'amd64', os: 'macos', streams: 8, threads: 11, memoryRanges: 12 } },
  'rmd-malformed-invalid-range.dmp': { summary: { format: 'minidump', streams: 4 }, malformed: true },
  'rmd-malformed-invalid-record-count.dmp': { summary: { format: 'minidump', streams: 16 }, malformed: true },
  'rmd-simple-crashpad.dmp': { summary: { format: 'minidump', arch: 'amd64', os: 'macos', streams: 7, threads: 1, memoryRanges: 1 } },
  'rmd-windows-x86-test.dmp': { summary: { format: 'minidump', arch: 'x86', os: 'windows', streams: 9, threads: 2, modules: 13, memoryRanges: 3 } },
  'sym-crash-linux.dmp': { summary: { format: 'minidump', arch: 'amd64', os: 'linux', streams: 13, threads: 1, memoryRanges: 2 }, text: { LinuxEnviron: 1690, LinuxCmdLine: 19 } },
  'sym-crash-macos.dmp': { summary: { format: 'minidump', arch: 'amd64', os: 'macos', streams: 7, threads: 1, memoryRanges: 2 } },
  'symbolicator-windows-x86-crash.dmp': { summary: { format: 'minidump', arch: 'x86', os: 'windows', streams: 13, threads: 4, memoryRanges: 8, process: 'crash.exe' } },
};

const maps = new Map<string, Promise<DumpMap>>();
const mapOf = (name: string) => {
  if (!maps.has(name)) maps.set(name, openAsBlob(join(CORPUS, name)).then((blob) => parseDump(blobSource(blob))));
  return maps.get(name)!;
};
const sizeOf = async (name: string) => (await openAsBlob(join(CORPUS, name))).size;

const hasReadelf = (() => {
  try {
    execFileSync('readelf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

// The corpus is part of every checkout's surroundings (CI lays shared/ beside the clone): a missing
// corpus is a failure, not a reason to skip.
it('finds the public corpus at ../shared/corpus/public', () => expect(existsSync(CORPUS), CORPUS).toBe(true));

describe('public corpus', () => {
  it('holds exactly the files this table describes', () => {
    expect(readdirSync(CORPUS).filter((f) => f !== 'SOURCES.md').sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    describe(name, () => {
      it('maps the whole file: sorted, non-overlapping regions covering every byte', async () => {
        expectWellFormed(await mapOf(name), await sizeOf(name));
      });

      it('has the figures SOURCES.md gives', async () => {
        expect((await mapOf(name)).summary).toMatchObject(expected.summary);
      });

      if (expected.malformed) {
        it('warns and leaves everything but the header and directory raw', async () => {
          const map = await mapOf(name);
          expect(map.warnings.length).toBeGreaterThan(0);
          expect(map.regions.filter((r) => r.kind !== 'raw').map((r) => r.label)).toEqual(['MINIDUMP_HEADER', 'StreamDirectory']);
        });
      } else {
        it('parses without warnings', async () => {
          expect((await mapOf(name)).warnings).toEqual([]);
        });
      }

      if (expected.text) {
        it('marks the text streams with their exact sizes', async () => {
          const map = await mapOf(name);
          for (const [label, length] of Object.entries(expected.text!)) {
            expect(map.regions.filter((r) => r.label === label && r.kind === 'text-stream').map((r) => r.length)).toEqual([length]);
          }
        });
      }
    });
  }

  it('finds each thread stack of every ELF core and every minidump stack descriptor', async () => {
    for (const name of Object.keys(EXPECTED).filter((n) => !EXPECTED[n]!.malformed && /\.(core|dmp)$/.test(n))) {
      const map = await mapOf(name);
      const stacks = new Set(map.regions.filter((r) => r.kind === 'stack').map((r) => r.thread));
      expect(stacks.size, name).toBeGreaterThan(0);
      expect([...stacks].every((t) => t !== undefined), name).toBe(true);
    }
  });

  it('gives every memory region its virtual address', async () => {
    for (const name of Object.keys(EXPECTED)) {
      const map = await mapOf(name);
      const memory = map.regions.filter((r) => ['stack', 'module', 'heap', 'mapped-file', 'memory'].includes(r.kind));
      expect(memory.every((r) => r.va !== undefined), name).toBe(true);
    }
  });

  it('puts nearly all of the stack-overflow dump in one thread stack', async () => {
    const map = await mapOf('bp-stack-exhaustion.dmp');
    const largest = map.regions.reduce((a, b) => (b.length > a.length ? b : a));
    expect(largest).toMatchObject({ kind: 'stack', length: 1037504 });
  });

  it('reads Crashpad annotations and thread names as text', async () => {
    const map = await mapOf('bp-crashpad-annotation.dmp');
    const labels = new Set(map.regions.filter((r) => r.kind === 'text-stream').map((r) => r.label));
    for (const l of ['CrashpadAnnotationKey', 'CrashpadAnnotationValue', 'CrashpadAnnotationName', 'CrashpadAnnotation', 'ThreadName', 'ModuleName']) {
      expect(labels, l).toContain(l);
    }
  });

  it('names the module paths of a Windows dump', async () => {
    const map = await mapOf('symbolicator-windows-x86-crash.dmp');
    const paths = map.regions.filter((r) => r.label === 'ModuleName' && r.kind === 'text-stream');
    expect(paths).toHaveLength(17);
    expect(map.regions.some((r) => r.kind === 'module' && r.module === 'C:\\projects\\breakpad-tools\\windows\\Release\\crash.exe')).toBe(true);
  });

  it('agrees with gdb on the x86 cores: thread ids and the stack holding SP', async () => {
    // `gdb -batch -c CORE -ex 'info threads' -ex 'p/x $sp'` on each core.
    const gdb: [string, number, bigint][] = [
      ['pyelf-core-linux64.core', 23395, 0x7ffe2e5a0358n],
      ['eu-x86_64-linkmap-cut.core', 3130, 0x7fffa186b670n],
      ['pyelf-core-linux32.core', 11038, 0xffdad160n],
      ['eu-x32.core', 6885, 0xffc0e070n],
    ];
    for (const [name, lwp, sp] of gdb) {
      const stack = (await mapOf(name)).regions.find((r) => r.kind === 'stack')!;
      expect(stack.thread, name).toBe(lwp);
      const start = BigInt(stack.va!);
      expect(sp >= start && sp < start + BigInt(stack.length), name).toBe(true);
    }
  });

  describe.skipIf(!hasReadelf)('readelf cross-check', () => {
    for (const name of Object.keys(EXPECTED).filter((n) => n.endsWith('.core'))) {
      it(`${name}: as many PT_LOADs and NT_PRSTATUS notes as readelf lists`, async () => {
        const path = join(CORPUS, name);
        const loads = execFileSync('readelf', ['-lW', path], { encoding: 'utf8' }).split('\n').filter((l) => /^\s+LOAD\s/.test(l)).length;
        const threads = execFileSync('readelf', ['-nW', path], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('NT_PRSTATUS')).length;
        expect((await mapOf(name)).summary).toMatchObject({ memoryRanges: loads, threads });
      });
    }
  });
});
