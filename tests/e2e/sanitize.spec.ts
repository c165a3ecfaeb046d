import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import type { Manifest } from '../../src/engine/manifest-types.ts';
import {
  checkKeysGone,
  checkManifestShape,
  checkPiece,
  ecPem,
  hexOffset,
  plant,
  randomDump,
  rsaPem,
  sha256,
  type PlantedKey,
} from './dumps.ts';
import { expect, liveWorkers, test } from './guard.ts';

const MiB = 1 << 20;

/** A few MiB of noise with an ASCII RSA PKCS#8 key and a UTF-16LE EC key at an odd offset. */
function makeDump(): { input: Buffer; keys: PlantedKey[] } {
  const keys = [plant(rsaPem(), 'ascii', MiB + 5), plant(ecPem(), 'utf16le', 2 * MiB + 333)];
  return { input: randomDump(3 * MiB, keys), keys };
}

async function download(page: Page, name: string): Promise<{ file: string; data: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  return { file: dl.suggestedFilename(), data: await readFile(await dl.path()) };
}

/** Waits for the result, downloads both files and checks them byte by byte against the input. */
async function expectSanitized(page: Page, input: Buffer, name: string, outName: string, keys: PlantedKey[]): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Sanitized' })).toBeVisible({ timeout: 60_000 });

  const sanitized = await download(page, 'Download sanitized dump');
  const manifestFile = await download(page, 'Download manifest');
  expect(sanitized.file).toBe(outName);
  expect(manifestFile.file).toBe(`${outName}.manifest.json`);
  // Pretty-printed, as people read it.
  expect(manifestFile.data.toString('utf8')).toContain('\n  "schema": "dumpscrub.manifest/1"');

  const manifest = JSON.parse(manifestFile.data.toString('utf8')) as Manifest;
  const output = sanitized.data;
  checkManifestShape(manifest, { name, size: input.length, sha256: sha256(input) });
  expect(output.length).toBe(input.length);
  expect(manifest.output.sha256).toBe(sha256(output));
  checkKeysGone(output, 0, keys);
  checkPiece(input, output, 0, manifest);

  const redacted = manifest.redactions.length;
  await expect(page.getByText(`${redacted} ${redacted === 1 ? 'finding' : 'findings'} redacted`)).toBeVisible();
  await expect(page.getByText(`${manifest.review.length} for review`)).toBeVisible();
  await expect(page.locator(`code[title="${manifest.input.sha256}"]`)).toBeVisible();
  await expect(page.locator(`code[title="${manifest.output.sha256}"]`)).toBeVisible();

  const table = page.getByRole('table', { name: 'Findings' });
  await expect(table.locator('tbody tr')).toHaveCount(redacted + manifest.review.length);
  for (const entry of [...manifest.redactions, ...manifest.review]) {
    const row = table.locator('tbody tr', { hasText: hexOffset(entry.offset) }).first();
    await expect(row).toContainText(entry.kind);
    await expect(row).toContainText(entry.offset.toLocaleString('en-US'));
    await expect(row).toContainText(entry.confidence);
    await expect(row).toContainText(entry.detector);
  }

  // The job's worker is gone once the result is shown.
  expect(await liveWorkers(page)).toBe(0);

  await page.getByRole('button', { name: 'Sanitize another file' }).click();
  await expect(page.getByRole('button', { name: /Choose a crash dump/ })).toBeVisible();
}

test('sanitizes a dump chosen with the file input', async ({ page }) => {
  const { input, keys } = makeDump();
  await page.goto('/');
  await page.locator('input[type=file]').setInputFiles({ name: 'crash.dmp', mimeType: 'application/octet-stream', buffer: input });
  await expectSanitized(page, input, 'crash.dmp', 'crash.sanitized.dmp', keys);
});

test('sanitizes a dump dropped on the drop zone', async ({ page }) => {
  const { input, keys } = makeDump();
  await page.goto('/');
  const dataTransfer = await page.evaluateHandle(
    ({ base64, name }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name));
      return transfer;
    },
    { base64: input.toString('base64'), name: 'core' },
  );
  const zone = page.getByRole('button', { name: /Choose a crash dump/ });
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await expect(zone).toHaveClass(/dragging/);
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
  // No extension: the suffix goes at the end.
  await expectSanitized(page, input, 'core', 'core.sanitized', keys);
});
