/**
 * The browser and the CLI run the same engine: the same file must come out byte-identical, with the
 * same redactions. Also a real minidump from the public corpus, to show its summary and regions.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Manifest } from '../../src/engine/manifest-types.ts';
import { CORPUS } from '../fixtures/dump-checks.ts';
import { ecPem, plant, randomDump, rsaPem, sha256 } from './dumps.ts';
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

test('a dump sanitized in the browser is byte-identical to the CLI output', async ({ page }) => {
  const dir = await mkdtemp(join(tmpdir(), 'dumpscrub-e2e-'));
  try {
    const path = join(dir, 'crash.dmp');
    await writeFile(path, randomDump(5 * MiB, [plant(rsaPem(), 'ascii', 17), plant(ecPem(), 'utf16le', 4 * MiB + 1)]));
    const browser = await sanitizeInBrowser(page, path);
    const fromCli = sanitizeWithCli(path, dir);
    expect(browser.output.equals(await fromCli.output)).toBe(true);
    const cliManifest = await fromCli.manifest;
    expect(browser.manifest.redactions).toEqual(cliManifest.redactions);
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
