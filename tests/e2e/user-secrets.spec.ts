/**
 * The user's own secret, pasted into the page: every copy (ASCII and UTF-16LE) is zeroed in the
 * downloaded dump, the result says how many copies, and neither the manifest nor any storage of
 * the page holds the secret.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import type { Manifest } from '../../src/engine/manifest-types.ts';
import { checkPiece, sha256 } from './dumps.ts';
import { expect, test } from './guard.ts';

async function download(page: Page, name: string): Promise<Buffer> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  return readFile(await dl.path());
}

const count = (haystack: Buffer, needle: Buffer) => {
  let n = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) n++;
  return n;
};

test('a pasted secret is zeroed in ASCII and UTF-16LE and never stored or written', async ({ page }) => {
  const secret = `pw-${randomBytes(18).toString('base64url')}`;
  const input = randomBytes(2 << 20);
  Buffer.from(`\0password=${secret}\0`).copy(input, 100_001);
  Buffer.from(`\0\0${secret}\0\0`, 'utf16le').copy(input, 900_002);
  Buffer.from(`\0\0${secret}\0\0`, 'utf16le').copy(input, 1_500_005);

  await page.goto('/');
  const box = page.getByLabel('Secrets to remove (one per line)');
  await box.fill('ab');
  await expect(page.getByText(/shorter than 4 characters/)).toBeVisible();
  await box.fill(`${secret}\n`);
  await expect(page.getByText('1 secret will be removed.')).toBeVisible();
  const patternBox = page.getByLabel(/Pattern to remove/);
  await patternBox.fill('(');
  await expect(page.getByText(/The pattern is not a valid regular expression/)).toBeVisible();
  await patternBox.fill('');

  await page.locator('input[type=file]').setInputFiles({ name: 'user.dmp', mimeType: 'application/octet-stream', buffer: input });
  await expect(page.getByRole('heading', { name: 'Sanitized' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/1 secret of yours applied: 3 copies zeroed/)).toBeVisible();

  const output = await download(page, 'Download sanitized dump');
  const manifestText = (await download(page, 'Download manifest')).toString('utf8');
  const manifest = JSON.parse(manifestText) as Manifest;
  expect(output.length).toBe(input.length);
  expect(manifest.output.sha256).toBe(sha256(output));
  checkPiece(input, output, 0, manifest);
  expect(count(input, Buffer.from(secret))).toBe(1);
  expect(count(input, Buffer.from(secret, 'utf16le'))).toBe(2);
  expect(count(output, Buffer.from(secret))).toBe(0);
  expect(count(output, Buffer.from(secret, 'utf16le'))).toBe(0);
  expect(manifest.userInput).toEqual({ secrets: 1, patterns: 0 });
  expect(manifest.redactions.filter((r) => r.kind === 'user-secret').map((r) => [r.offset, r.encoding])).toEqual([
    [100_011, 'text'],
    [900_006, 'text-utf16le'],
    [1_500_009, 'text-utf16le'],
  ]);
  expect(manifestText).not.toContain(secret);
  expect(manifestText).not.toContain(secret.slice(3, 20));

  // Held in memory only: nothing in web storage, nothing in the URL.
  const stored = await page.evaluate(async () => ({
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    databases: (await indexedDB.databases()).length,
    url: location.href,
  }));
  expect(stored.local).not.toContain(secret);
  expect(stored.session).not.toContain(secret);
  expect(stored.databases).toBe(0);
  expect(stored.url).not.toContain(secret.slice(3));

  // Back on the start screen the box still holds it until the user clears it.
  await page.getByRole('button', { name: 'Sanitize another file' }).click();
  await expect(box).toHaveValue(`${secret}\n`);
  await page.getByRole('button', { name: 'Clear secrets and pattern' }).click();
  await expect(box).toHaveValue('');
});

test('the secrets box works at 375 px and from the keyboard', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/');
  const box = page.getByLabel('Secrets to remove (one per line)');
  await box.focus();
  await page.keyboard.type('correct-horse-battery');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel(/Pattern to remove/)).toBeFocused();
  const width = await box.evaluate((el) => el.getBoundingClientRect().right);
  expect(width).toBeLessThanOrEqual(375);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
  expect(overflow).toBe(false);
});
