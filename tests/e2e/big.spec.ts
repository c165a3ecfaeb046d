import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from '../../src/engine/manifest-types.ts';
import { checkFiles, checkManifestShape, ecPem, plant, rsaPem, sha256File, tmpDir, writeSparseDump } from './dumps.ts';
import { expect, test } from './guard.ts';
import { chromiumRss, sampleRss } from './rss.ts';

const MiB = 1 << 20;
const GiB = 1 << 30;
const SIZE = 2 * GiB;
/** Far below the file size: the dump must never be held in memory, by the page or a worker. */
const MAX_GROWTH = 768 * MiB;

test('sanitizes a 2 GiB dump with bounded memory', async ({ page }) => {
  test.setTimeout(20 * 60_000);

  const path = join(await tmpDir(), 'big-2g.dmp');
  // Keys in the first and the last GiB, across a 16 MiB chunk edge and across the 1 GiB mark.
  const keys = [
    plant(rsaPem(), 'ascii', 4096 + 7),
    plant(ecPem(), 'utf16le', 16 * MiB - 301),
    plant(rsaPem(), 'ascii', GiB - 500),
    plant(ecPem(), 'utf16le', GiB + GiB / 2 + 1),
    plant(rsaPem(), 'ascii', SIZE - 8192),
  ];
  await writeSparseDump(path, SIZE, keys);
  try {
    await page.goto('/');
    await expect(page.getByRole('button', { name: /Choose a crash dump/ })).toBeVisible();
    const baseline = chromiumRss();
    expect(baseline, 'Chromium processes found under this test worker').toBeGreaterThan(0);

    const jobRss = sampleRss();
    await page.locator('input[type=file]').setInputFiles(path);
    await expect(page.getByRole('heading', { name: 'Sanitized' })).toBeVisible({ timeout: 15 * 60_000 });
    const jobGrowth = jobRss.stop() - baseline;

    const downloadRss = sampleRss();
    const [manifestDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download manifest' }).click()]);
    const manifest = JSON.parse(await readFile(await manifestDl.path(), 'utf8')) as Manifest;
    const [dumpDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download sanitized dump' }).click()]);
    const outPath = await dumpDl.path();
    const downloadGrowth = downloadRss.stop() - baseline;

    test.info().annotations.push({
      type: 'memory',
      description: `baseline ${(baseline / MiB).toFixed(0)} MiB, growth during job ${(jobGrowth / MiB).toFixed(0)} MiB, during download ${(downloadGrowth / MiB).toFixed(0)} MiB`,
    });
    console.log(test.info().annotations.at(-1)?.description);
    expect(jobGrowth).toBeLessThan(MAX_GROWTH);
    expect(downloadGrowth).toBeLessThan(MAX_GROWTH);

    expect(dumpDl.suggestedFilename()).toBe('big-2g.sanitized.dmp');
    expect((await stat(outPath)).size).toBe(SIZE);
    checkManifestShape(manifest, { name: 'big-2g.dmp', size: SIZE, sha256: await sha256File(path) });
    expect(await sha256File(outPath)).toBe(manifest.output.sha256);
    await checkFiles(path, outPath, manifest, keys);
    await dumpDl.delete();
  } finally {
    await rm(path, { force: true });
  }
});
