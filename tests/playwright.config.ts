import { defineConfig } from '@playwright/test';

// Paths are relative to this file (tests/); the server runs from the repository root.
export default defineConfig({
  testDir: 'e2e',
  // A subfolder: Playwright empties its output folder, and tests/run-all.mjs keeps other reports in test-results/.
  outputDir: '../test-results/e2e',
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  reporter: 'list',
  timeout: 120_000,
  use: {
    baseURL: 'http://127.0.0.1:4173/',
    browserName: 'chromium',
    acceptDownloads: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    // Builds first so the tests never run against a stale dist/, unless `npm test` (run-all.mjs) has
    // just built. The vite binary is started directly (not through npx) so stopping the server
    // really stops it and frees the port.
    command: `${process.env.DUMPSCRUB_PREBUILT ? '' : 'npm run -s build && '}node_modules/.bin/vite preview --host 127.0.0.1 --port 4173 --strictPort`,
    cwd: '..',
    url: 'http://127.0.0.1:4173/',
    reuseExistingServer: false,
    timeout: 300_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
