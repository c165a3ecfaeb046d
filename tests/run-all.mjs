#!/usr/bin/env node
// `npm test`: builds the app, the CLI and the WASM kernel, runs the unit tests (vitest) and the
// browser tests (Playwright in Debian's Chromium), and ends with one line `N passed, M failed`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';

const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

mkdirSync('test-results', { recursive: true });
if (run('npm', ['run', '-s', 'build']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const unitStatus = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=test-results/vitest.json']);
const e2eStatus = run('npx', ['playwright', 'test', '-c', 'tests/playwright.config.ts', '--reporter=list,json'], {
  // Absolute: Playwright resolves a relative name against the config's folder (tests/).
  PLAYWRIGHT_JSON_OUTPUT_NAME: resolve('test-results/playwright.json'),
  DUMPSCRUB_PREBUILT: '1',
});

let passed = 0;
let failed = 0;
if (existsSync('test-results/vitest.json')) {
  const v = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  passed += v.numPassedTests;
  // Failed tests; a file that failed to load counts once (its tests never ran).
  failed += v.numFailedTests || v.numFailedTestSuites;
} else failed++;
if (existsSync('test-results/playwright.json')) {
  const s = JSON.parse(readFileSync('test-results/playwright.json', 'utf8')).stats;
  passed += s.expected + s.flaky;
  failed += s.unexpected;
} else failed++;
if ((unitStatus !== 0 || e2eStatus !== 0) && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
