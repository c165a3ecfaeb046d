/**
 * The foundation's acceptance scenario through the real CLI: a 64 MiB dump holding an RSA PEM key
 * (ASCII), an EC key as UTF-16LE PEM at an odd offset, an OpenSSH key and a headerless PKCS#8 body.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src/engine/manifest-types.ts';
import { cliIsBuilt, dumpscrub, tempDir } from '../../fixtures/cli.ts';
import { ecPem, headerless, opensshPem, rsaPem, utf16le } from '../../fixtures/keys.ts';
import { surviving } from '../../fixtures/oracle.ts';

const MiB = 1024 * 1024;

beforeAll(() => {
  if (!cliIsBuilt()) throw new Error('the CLI is not built: run `npm run build` (npm test does it)');
});

describe('sanitize a 64 MiB dump with four keys', () => {
  const keys = [
    { name: 'RSA PEM (ASCII)', text: rsaPem(2048), bytes: (t: string) => Buffer.from(t), at: 5 * MiB + 12_345 },
    { name: 'EC PEM (UTF-16LE, odd offset)', text: ecPem('P-256', 'sec1'), bytes: utf16le, at: 16 * MiB - 101 },
    { name: 'OpenSSH key', text: opensshPem(), bytes: (t: string) => Buffer.from(t), at: 40 * MiB + 3 },
    { name: 'headerless PKCS#8 body', text: headerless(rsaPem(2048, 'pkcs8')), bytes: (t: string) => Buffer.from(t), at: 64 * MiB - 4000 },
  ];

  for (const chunkSize of [undefined, 4099]) {
    it(`leaves no trace of any key and changes nothing else (chunk size ${chunkSize ?? 'default'})`, async () => {
      const dir = await tempDir();
      const dump = join(dir, 'app.core');
      const input = randomBytes(64 * MiB);
      for (const k of keys) k.bytes(k.text).copy(input, k.at);
      await writeFile(dump, input);

      const args = ['sanitize', dump, ...(chunkSize ? ['--chunk-size', String(chunkSize)] : [])];
      const r = dumpscrub(args);
      expect(r.code, r.stderr).toBe(0);
      const outPath = join(dir, 'app.sanitized.core');
      const output = await readFile(outPath);
      const manifest = JSON.parse(await readFile(`${outPath}.manifest.json`, 'utf8')) as Manifest;

      expect(output.length).toBe(input.length);
      for (const k of keys) {
        expect(surviving(output, k.text), k.name).toEqual([]);
        const planted = k.bytes(k.text);
        expect(manifest.redactions.some((x) => x.offset <= k.at && x.offset + x.length >= k.at + planted.length - 2), k.name).toBe(true);
      }
      // Outside the manifest's ranges every byte is the input's; inside, every byte is zero.
      const expected = Buffer.from(input);
      for (const x of manifest.redactions) expected.fill(0, x.offset, x.offset + x.length);
      expect(output.equals(expected)).toBe(true);

      const sum = (p: string) => execFileSync('sha256sum', [p], { encoding: 'utf8' }).split(' ')[0];
      expect(manifest.input.sha256).toBe(sum(dump));
      expect(manifest.output.sha256).toBe(sum(outPath));
      expect(manifest.verified).toBe(true);
      // A boolean compare: toEqual walks 64 Mi elements one by one and takes minutes.
      expect((await readFile(dump)).equals(input)).toBe(true);
    });
  }
});
