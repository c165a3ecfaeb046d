import { appendFile, rm } from 'node:fs/promises';
import type { FileChooser, TestInfo } from '@playwright/test';
import { join } from 'node:path';
import { ecPem, plant, randomDump, rsaPem, tmpDir, writeSparseDump } from './dumps.ts';
import { expect, liveWorkers, test } from './guard.ts';

const MiB = 1 << 20;

/** test-results/screens/: next to Playwright's own output folder, which it empties on every run. */
function screenPath(testInfo: TestInfo, name: string): string {
  return join(testInfo.project.outputDir, '..', 'screens', `${name}.png`);
}

test('an empty file gets a clear message and no job', async ({ page }) => {
  await page.goto('/');
  await page.locator('input[type=file]').setInputFiles({ name: 'empty.dmp', mimeType: 'application/octet-stream', buffer: Buffer.alloc(0) });
  await expect(page.getByText('This file is empty — nothing to sanitize.')).toBeVisible();
  await expect(page.getByRole('button', { name: /Choose a crash dump/ })).toBeVisible();
  expect(await liveWorkers(page)).toBe(0);
});

test('cancel stops the job and produces nothing', async ({ page }, testInfo) => {
  const path = join(await tmpDir(), 'cancel-1g.dmp');
  const keys = [plant(rsaPem(), 'ascii', 64 * MiB + 1), plant(ecPem(), 'utf16le', 600 * MiB + 7)];
  // 1 GiB keeps the job running for seconds even on a fast engine, so Cancel really interrupts it.
  await writeSparseDump(path, 1024 * MiB, keys);
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/');
    await page.locator('input[type=file]').setInputFiles(path);
    // The progress view takes focus, so Cancel is one Tab away.
    await expect(page.getByRole('heading', { name: 'Sanitizing' })).toBeFocused();
    await expect(page.getByText('cancel-1g.dmp')).toBeVisible();
    await expect(page.getByText('1 GiB')).toBeVisible();
    await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', /^\d+$/);
    await page.screenshot({ path: screenPath(testInfo, 'progress-1280-light') });
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Enter');

    await expect(page.getByText('Cancelled — no output was produced.')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Download sanitized dump' })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Download manifest' })).toHaveCount(0);
    expect(await liveWorkers(page)).toBe(0);
  } finally {
    await rm(path, { force: true });
  }
});

test('a file changed after it was chosen fails with the read error and produces nothing', async ({ page }, testInfo) => {
  const path = join(await tmpDir(), 'changing.dmp');
  await writeSparseDump(path, 256 * MiB, []);
  try {
    await page.goto('/');
    await page.locator('input[type=file]').setInputFiles(path);
    // Chromium refuses to read a File whose size or date changed since it was picked.
    await appendFile(path, 'x');
    const alert = page.getByRole('alert');
    await expect(alert).toBeVisible({ timeout: 60_000 });
    const message = (await alert.innerText()).trim();
    expect(message).toMatch(/could not be read|not readable/i);
    expect(message).not.toContain('\n');
    expect(message).not.toMatch(/\bat .+:\d+:\d+/);
    await expect(page.getByRole('link', { name: 'Download sanitized dump' })).toHaveCount(0);
    await page.screenshot({ path: screenPath(testInfo, 'error-1280-light') });
  } finally {
    await rm(path, { force: true });
  }
});

test('the drop zone is reachable with Tab and opens the file chooser with Enter or Space', async ({ page }) => {
  // Listening before the page loads: Playwright turns on chooser interception asynchronously, and
  // a key press that wins that race opens a chooser the test never sees (flaky with waitForEvent).
  const choosers: FileChooser[] = [];
  page.on('filechooser', (chooser) => choosers.push(chooser));
  await page.goto('/');
  const zone = page.getByRole('button', { name: /Choose a crash dump/ });
  await page.keyboard.press('Tab');
  await expect(zone).toBeFocused();
  // A visible focus ring, not just focus.
  expect(await zone.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');

  await page.keyboard.press('Enter');
  await expect.poll(() => choosers.length).toBe(1);
  expect(choosers[0]!.isMultiple()).toBe(false);
  await page.keyboard.press(' ');
  await expect.poll(() => choosers.length).toBe(2);
  // The chooser feeds the same input: an empty file proves the choice reached the app.
  await choosers[1]!.setFiles({ name: 'empty.dmp', mimeType: 'application/octet-stream', buffer: Buffer.alloc(0) });
  await expect(page.getByText('This file is empty — nothing to sanitize.')).toBeVisible();
});

for (const width of [1280, 375]) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`layout at ${width}×800, ${scheme}`, async ({ page }, testInfo) => {
      const shot = (name: string) => page.screenshot({ path: screenPath(testInfo, `${name}-${width}-${scheme}`), fullPage: true });
      const noSideScroll = async () =>
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

      await page.setViewportSize({ width, height: 800 });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto('/');
      await shot('idle');
      await noSideScroll();

      await page.locator('input[type=file]').setInputFiles({ name: 'empty.dmp', mimeType: 'application/octet-stream', buffer: Buffer.alloc(0) });
      await expect(page.getByRole('alert')).toBeVisible();
      await shot('notice');

      const keys = [plant(rsaPem(), 'ascii', 4096 + 3), plant(ecPem(), 'utf16le', 40_001)];
      await page
        .locator('input[type=file]')
        .setInputFiles({ name: 'app-2024-11-28-crash.dmp', mimeType: 'application/octet-stream', buffer: randomDump(MiB, keys) });
      await expect(page.getByRole('heading', { name: 'Sanitized' })).toBeVisible({ timeout: 60_000 });
      await shot('result');
      // The findings table scrolls inside its own box instead of widening the page.
      await noSideScroll();
    });
  }
}
