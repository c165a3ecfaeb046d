import { execFileSync, spawn } from 'node:child_process';
import { chmod, mkdir, readFile, readdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src/engine/manifest-types.ts';
import { cliIsBuilt, dumpscrub, tempDir } from '../../fixtures/cli.ts';
import { rsaPem } from '../../fixtures/keys.ts';

beforeAll(() => {
  if (!cliIsBuilt()) throw new Error('the CLI is not built: run `npm run build` (npm test does it)');
});

/** One line on stderr, naming the problem, with no stack trace. */
function expectOneLineError(r: { stderr: string }, pattern: RegExp) {
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^dumpscrub: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('dumpscrub CLI: usage and input errors exit 2 with one line', () => {
  it('a missing path', () => {
    const r = dumpscrub(['sanitize', '/nonexistent/crash.dmp']);
    expect(r.code).toBe(2);
    expectOneLineError(r, /cannot read \/nonexistent\/crash\.dmp: no such file/);
  });

  it('a directory', async () => {
    const dir = await tempDir();
    const r = dumpscrub(['scan', dir]);
    expect(r.code).toBe(2);
    expectOneLineError(r, /is a directory/);
  });

  it('an unreadable file', async () => {
    const dir = await tempDir();
    const file = join(dir, 'locked.dmp');
    await writeFile(file, 'x'.repeat(100));
    await chmod(file, 0o000);
    // root reads anything, so drop to an unprivileged user for this check.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    await chmod(dir, 0o755);
    const r = dumpscrub(['scan', file], asNobody);
    expect(r.code).toBe(2);
    expectOneLineError(r, /cannot read .*locked\.dmp: permission denied/);
  });

  it('an unknown command, a bad policy, a missing manifest option, a bad pattern', () => {
    for (const [args, pattern] of [
      [['frobnicate', 'x'], /unknown command "frobnicate"/],
      [['sanitize', 'x', '--policy', 'lenient'], /unknown policy "lenient"/],
      [['verify', 'x'], /verify needs --manifest/],
      [['sanitize', 'x', '--pattern', '(x'], /--pattern: pattern #1 is not a valid regular expression/],
      [['scan', 'a', 'b'], /exactly one file/],
      [['scan', 'x', '--bogus'], /bogus/],
    ] as const) {
      const r = dumpscrub([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expectOneLineError(r, pattern);
    }
  });

  it('--help prints the usage and exits 0', () => {
    const r = dumpscrub(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/dumpscrub sanitize <dump>/);
  });
});

describe('dumpscrub CLI: scan, sanitize, verify', () => {
  it('scan exits 0 on a clean file and 1 on a file with a key; --json is one document', async () => {
    const dir = await tempDir();
    const clean = join(dir, 'clean.bin');
    const dirty = join(dir, 'dirty.bin');
    await writeFile(clean, Buffer.alloc(100_000, 0x41));
    await writeFile(dirty, Buffer.concat([Buffer.alloc(5000), Buffer.from(rsaPem(1024)), Buffer.alloc(5000)]));
    expect(dumpscrub(['scan', clean]).code).toBe(0);
    const r = dumpscrub(['scan', dirty, '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.findings).toHaveLength(1);
    expect(doc.findings[0]).toMatchObject({ offset: 5000, kind: 'rsa-private-key', confidence: 'high' });
    expect(await readdir(dir)).toEqual(['clean.bin', 'dirty.bin']);
  });

  it('sanitize writes <dump>.sanitized<ext> and its manifest by default; verify accepts them and rejects a tampered file', async () => {
    const dir = await tempDir();
    const dump = join(dir, 'crash.dmp');
    const pem = rsaPem(1024);
    const input = Buffer.concat([Buffer.alloc(3000, 7), Buffer.from(pem), Buffer.alloc(3000, 7)]);
    await writeFile(dump, input);
    const r = dumpscrub(['sanitize', dump]);
    expect(r.code, r.stderr).toBe(0);
    const out = join(dir, 'crash.sanitized.dmp');
    const manifestPath = `${out}.manifest.json`;
    expect((await readdir(dir)).sort()).toEqual(['crash.dmp', 'crash.sanitized.dmp', 'crash.sanitized.dmp.manifest.json']);
    expect(await readFile(dump)).toEqual(input);
    expect(dumpscrub(['verify', out, '--manifest', manifestPath]).code).toBe(0);

    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
    const tampered = await readFile(out);
    tampered[manifest.redactions[0]!.offset + 10] = 0x41;
    await writeFile(out, tampered);
    const v = dumpscrub(['verify', out, '--manifest', manifestPath]);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/SHA-256 is .* but the manifest says/);
    expect(v.stderr).toMatch(/non-zero bytes inside redacted ranges/);
  });

  it('refuses to overwrite the input', async () => {
    const dir = await tempDir();
    const dump = join(dir, 'a.bin');
    await writeFile(dump, 'abc');
    const r = dumpscrub(['sanitize', dump, '-o', dump]);
    expect(r.code).toBe(2);
    expect(await readFile(dump, 'utf8')).toBe('abc');
  });

  it('leaves nothing behind when the output directory is not writable', async () => {
    const dir = await tempDir();
    const dump = join(dir, 'a.bin');
    await writeFile(dump, Buffer.from(rsaPem(1024)));
    const r = dumpscrub(['sanitize', dump, '-o', join(dir, 'missing', 'out.bin')]);
    expect(r.code).toBe(2);
    expectOneLineError(r, /cannot write/);
    await mkdir(join(dir, 'missing'));
    expect(await readdir(join(dir, 'missing'))).toEqual([]);
  });

  it('sanitize --json prints the manifest whose hashes equal sha256sum of both files', async () => {
    const dir = await tempDir();
    const dump = join(dir, 'core');
    await writeFile(dump, Buffer.concat([Buffer.alloc(777, 1), Buffer.from(rsaPem(1024)), Buffer.alloc(777, 2)]));
    const r = dumpscrub(['sanitize', dump, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(r.stdout) as Manifest;
    const sum = (p: string) => execFileSync('sha256sum', [p], { encoding: 'utf8' }).split(' ')[0];
    expect(manifest.input.sha256).toBe(sum(dump));
    expect(manifest.output.sha256).toBe(sum(join(dir, 'core.sanitized')));
  });
});

describe('dumpscrub CLI: interruption', () => {
  it('Ctrl-C stops the job, exits 130 and leaves no output or temp file', async () => {
    const dir = await tempDir();
    const dump = join(dir, 'big.core');
    await writeFile(dump, '');
    await truncate(dump, 1024 * 1024 * 1024);
    const bin = new URL('../../../bin/dumpscrub.js', import.meta.url).pathname;
    // Small chunks keep each unit of work short, so the interrupt lands mid-job.
    const child = spawn(process.execPath, [bin, 'sanitize', dump, '--chunk-size', '65536'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect(stderr.trim()).toBe('dumpscrub: interrupted: no output was written');
    expect(await readdir(dir)).toEqual(['big.core']);
  });
});
