/**
 * The browser and the CLI run the same engine: the same file must come out byte-identical, with the
 * same redactions. Also a real minidump from the public corpus, to show its summary and regions.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Manifest } from '../../src/engine/manifest-types.ts';
import { CORPUS } from '../fixtures/dump-checks.ts';
import { ecPem, headerless, opensshPem, rsaPem, utf16le } from '../fixtures/keys.ts';
import { sha256 } from './dumps.ts';
import { expect, test } from './guard.ts';

const MiB = 1 << 20;
const cli = new URL('../../bin/dumpscrub.js', import.meta.url).pathname;

async function sanitizeInBrowser(page: Page, path: string): Promise<{ output: Buffer; manifest: Manifest }> {
  await page.goto('/');
  await page.locator('input[type=file]').setInputFiles(path);
  await expect(page.getByRole('heading', { name: /Sanitized|No secrets found/ })).toBeVisible({ timeout: 60_000 });
  const fetch = async (name: string) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
    return readFile(await dl.path());
  };
  return { output: await fetch('Download sanitized dump'), manifest: JSON.parse((await fetch('Download manifest')).toString('utf8')) };
}

function sanitizeWithCli(path: string, dir: string): { output: Promise<Buffer>; manifest: Promise<Manifest> } {
  const out = join(dir, 'cli.out');
  execFileSync(process.execPath, [cli, 'sanitize', path, '-o', out]);
  return { output: readFile(out), manifest: readFile(`${out}.manifest.json`, 'utf8').then((t) => JSON.parse(t) as Manifest) };
}

test('the 64 MiB four-key dump sanitized in the browser is byte-identical to the CLI output', async ({ page }) => {
  test.setTimeout(300_000);
  const dir = await mkdtemp(join(tmpdir(), 'dumpscrub-e2e-'));
  try {
    const path = join(dir, 'crash.dmp');
    // The foundation's acceptance dump: RSA PEM (ASCII), EC PEM as UTF-16LE at an odd offset, an
    // OpenSSH key and a headerless PKCS#8 body; tests/unit/cli checks the CLI removes all four.
    const input = randomBytes(64 * MiB);
    Buffer.from(rsaPem(2048)).copy(input, 5 * MiB + 12_345);
    utf16le(ecPem('P-256', 'sec1')).copy(input, 16 * MiB - 101);
    Buffer.from(opensshPem()).copy(input, 40 * MiB + 3);
    Buffer.from(headerless(rsaPem(2048, 'pkcs8'))).copy(input, 64 * MiB - 4000);
    await writeFile(path, input);
    const browser = await sanitizeInBrowser(page, path);
    const fromCli = sanitizeWithCli(path, dir);
    expect(browser.output.equals(await fromCli.output)).toBe(true);
    const cliManifest = await fromCli.manifest;
    expect(browser.manifest.redactions).toEqual(cliManifest.redactions);
    expect(browser.manifest.redactions.filter((r) => r.detector !== 'sweep').length).toBeGreaterThanOrEqual(4);
    expect(browser.manifest.output.sha256).toBe(cliManifest.output.sha256);
    expect(browser.manifest.output.sha256).toBe(sha256(browser.output));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a real minidump shows its summary and where each zeroed range sits, and matches the CLI', async ({ page }) => {
  const dir = await mkdtemp(join(tmpdir(), 'dumpscrub-e2e-'));
  try {
    const path = join(CORPUS, 'symbolicator-windows-x86-crash.dmp');
    const browser = await sanitizeInBrowser(page, path);
    await expect(page.getByLabel('Dump summary')).toContainText('x86');
    await expect(page.getByLabel('Dump summary')).toContainText('process crash.exe');
    await expect(page.getByLabel('Dump summary')).toContainText('4 threads');
    await expect(page.getByRole('table', { name: 'Findings' })).toContainText('vector registers, thread 1636');
    const fromCli = sanitizeWithCli(path, dir);
    expect(browser.output.equals(await fromCli.output)).toBe(true);
    expect(browser.manifest.input.summary).toEqual((await fromCli.manifest).input.summary);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
