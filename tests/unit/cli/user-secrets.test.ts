/**
 * `--secret-file` and `--pattern` end to end through the built CLI: every copy zeroed, nothing of
 * the secret in the manifest, on stdout or on stderr; usage errors exit 2 with one line.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src/engine/manifest-types.ts';
import { cliIsBuilt, dumpscrub, tempDir } from '../../fixtures/cli.ts';
import { occurrences } from '../../fixtures/dump-checks.ts';

beforeAll(() => {
  if (!cliIsBuilt()) throw new Error('the CLI is not built: run `npm run build` (npm test does it)');
});

/** Every form of `secret` the manifest or a message could leak it in. */
const leakForms = (secret: string) => [
  secret,
  Buffer.from(secret).toString('base64').slice(4, -4),
  Buffer.from(secret).toString('hex'),
  encodeURIComponent(secret),
  JSON.stringify(secret).slice(1, -1),
];

function expectNoLeak(text: string, secret: string) {
  for (const form of leakForms(secret)) expect(text.includes(form), `leaks ${form.length} chars`).toBe(false);
}

/** A dump-like file: random bytes with the secret in ASCII, UTF-16LE (odd offset), inside base64, and a pattern token. */
async function plantedDump(dir: string) {
  // + and / inside: its URL and JSON forms differ from it.
  const secret = Buffer.concat([Buffer.of(0xfb, 0xff), randomBytes(22)]).toString('base64');
  const token = `ds_live_${randomBytes(12).toString('hex')}`;
  const input = randomBytes(300_000);
  const put = (at: number, bytes: Buffer) => bytes.copy(input, at);
  // No credential context around them: only the user's own lists can name these as secrets.
  put(10_001, Buffer.from(`\0note ${secret}\0`));
  put(70_003, Buffer.from(`\0\0${secret}\0\0`, 'utf16le'));
  put(130_007, Buffer.from(Buffer.concat([randomBytes(31), Buffer.from(secret), randomBytes(17)]).toString('base64')));
  put(190_011, Buffer.from(`\0ref ${token}\0`, 'utf16le'));
  const dump = join(dir, 'crash.dmp');
  await writeFile(dump, input);
  const secretFile = join(dir, 'secrets.txt');
  // CRLF and blank lines are tolerated.
  await writeFile(secretFile, `\r\n${secret}\r\n\r\n`);
  return { dump, input, secret, token, secretFile };
}

describe('dumpscrub --secret-file / --pattern', () => {
  it('sanitize zeroes every copy, verifies, and writes no form of the secret anywhere', async () => {
    const dir = await tempDir();
    const { dump, secret, token, secretFile } = await plantedDump(dir);
    const r = dumpscrub(['sanitize', dump, '--secret-file', secretFile, '--pattern', '/DS_LIVE_[0-9a-f]{24}/i', '--chunk-size', '65536']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/your 1 secret\(s\) and 1 pattern\(s\): [4-9] cop\(ies\) zeroed/);
    const out = await readFile(join(dir, 'crash.sanitized.dmp'));
    expect(occurrences(out, secret)).toEqual([]);
    expect(occurrences(out, Buffer.from(secret, 'utf16le'))).toEqual([]);
    expect(occurrences(out, Buffer.from(token, 'utf16le'))).toEqual([]);
    const manifestText = await readFile(join(dir, 'crash.sanitized.dmp.manifest.json'), 'utf8');
    const manifest = JSON.parse(manifestText) as Manifest;
    expect(manifest.verified).toBe(true);
    expect(manifest.userInput).toEqual({ secrets: 1, patterns: 1 });
    const kinds = manifest.redactions.map((e) => `${e.kind} ${e.encoding}`);
    expect(kinds).toEqual(expect.arrayContaining(['user-secret text', 'user-secret text-utf16le', 'user-secret base64', 'user-pattern text-utf16le']));
    for (const e of manifest.redactions.filter((x) => x.kind === 'user-secret')) expect(e.fingerprint).toBeUndefined();
    for (const text of [manifestText, r.stdout, r.stderr]) expectNoLeak(text, secret);
    expect(manifestText.includes('DS_LIVE')).toBe(false);

    // verify: the secrets must be absent from the file it is given.
    const verified = dumpscrub(['verify', join(dir, 'crash.sanitized.dmp'), '--manifest', join(dir, 'crash.sanitized.dmp.manifest.json'), '--secret-file', secretFile]);
    expect(verified.code, verified.stderr).toBe(0);
  });

  it('scan reports the copies (exit 1) without printing the secret; verify fails on a file that still holds it', async () => {
    const dir = await tempDir();
    const { dump, secret, secretFile } = await plantedDump(dir);
    const scan = dumpscrub(['scan', dump, '--secret-file', secretFile, '--json']);
    expect(scan.code, scan.stderr).toBe(1);
    const doc = JSON.parse(scan.stdout) as { findings: { kind: string }[] };
    expect(doc.findings.filter((f) => f.kind === 'user-secret').length).toBeGreaterThanOrEqual(3);
    expectNoLeak(scan.stdout + scan.stderr, secret);

    // Sanitized without the secret file, the secret stays; verify with it must say so.
    expect(dumpscrub(['sanitize', dump]).code).toBe(0);
    const out = join(dir, 'crash.sanitized.dmp');
    const manifest = `${out}.manifest.json`;
    expect(dumpscrub(['verify', out, '--manifest', manifest]).code).toBe(0);
    const v = dumpscrub(['verify', out, '--manifest', manifest, '--secret-file', secretFile]);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/secret\(s\) found in the file \(first: user-secret at offset \d+\)/);
    expectNoLeak(v.stderr + v.stdout, secret);
  });

  it('usage errors exit 2 with one line and never echo a secret', async () => {
    const dir = await tempDir();
    const dump = join(dir, 'd.bin');
    await writeFile(dump, randomBytes(1000));
    const short = join(dir, 'short.txt');
    await writeFile(short, 'long-enough-secret\nab1\n');
    for (const [args, pattern] of [
      [['sanitize', dump, '--secret-file', join(dir, 'missing.txt')], /^dumpscrub: cannot read secret file .*missing\.txt: no such file$/],
      [['scan', dump, '--secret-file', dir], /^dumpscrub: cannot read secret file .*: is a directory$/],
      [['sanitize', dump, '--secret-file', short], /^dumpscrub: secret file .*short\.txt line 2: a secret must be at least 4 characters long$/],
      [['scan', dump, '--pattern', ''], /^dumpscrub: --pattern: pattern #1 is empty$/],
      [['scan', dump, '--pattern', 'ok', '--pattern', 'x*'], /^dumpscrub: --pattern: pattern #2 matches the empty string$/],
    ] as const) {
      const r = dumpscrub([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(pattern);
      expect(r.stderr.includes('ab1')).toBe(false);
    }
  });
});
