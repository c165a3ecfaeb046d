import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, openAsBlob, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDump } from '../../../src/engine/formats/dump-map.ts';
import { blobSource } from '../../../src/engine/source.ts';
import { expectWellFormed } from './map-checks.ts';

const hasGcore = spawnSync('gcore', ['--help'], { stdio: 'ignore' }).error === undefined;

describe.skipIf(!hasGcore)('ELF core: gcore of a live process', () => {
  it('maps a sleeping process the way gdb sees it', async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), 'dumpscrub-gcore-'));
    const child = spawn('sleep', ['120'], { stdio: 'ignore' });
    try {
      await once(child, 'spawn');
      const prefix = join(dir, 'core');
      const gcore = spawnSync('gcore', ['-o', prefix, String(child.pid)], { encoding: 'utf8', timeout: 90_000 });
      // Containers may forbid ptrace; then there is nothing to test here.
      if (gcore.status !== 0) ctx.skip();
      const path = `${prefix}.${child.pid}`;
      const map = await parseDump(blobSource(await openAsBlob(path)));
      expectWellFormed(map, (await openAsBlob(path)).size);
      expect(map.warnings).toEqual([]);
      expect(map.summary).toMatchObject({ format: 'elf-core', arch: 'amd64', os: 'linux', process: 'sleep', threads: 1 });

      const gdb = execFileSync('gdb', ['-batch', '-nx', '-c', path, '-ex', 'p/x $sp'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const sp = BigInt(/= (0x[0-9a-f]+)/.exec(gdb)![1]!);
      const stack = map.regions.find((r) => r.kind === 'stack')!;
      expect(stack.thread).toBe(child.pid);
      expect(sp >= BigInt(stack.va!) && sp < BigInt(stack.va!) + BigInt(stack.length)).toBe(true);

      const modules = new Set(map.regions.filter((r) => r.kind === 'module').map((r) => r.module));
      expect([...modules].some((m) => m?.endsWith('/sleep'))).toBe(true);
      expect([...modules].some((m) => /\/libc[.-]/.test(m ?? ''))).toBe(true);

      const xstate = map.regions.filter((r) => r.label === 'NT_X86_XSTATE');
      expect(xstate.map((r) => r.kind)).toEqual(['structure', 'registers', 'vector-registers', 'structure', 'vector-registers']);
      expect(xstate[3]!.length).toBe(64);
      expect(map.regions.some((r) => r.label === 'section headers' && r.kind === 'structure')).toBe(true);
    } finally {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
