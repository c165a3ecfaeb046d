/**
 * Precision on real processes that hold no key of ours (issues #4 and #5): `sleep` and an idle Node
 * are dumped with gcore and scanned. Nothing may be zeroed or reported as medium/high except keys
 * the process really made itself — its random generator's cipher state (an expanded AES schedule,
 * a ChaCha state), which is proven by its own structure, not guessed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ManifestEntry } from '../../../src/engine/manifest-types.ts';
import { dumpscrub, ensureCliBuilt } from '../../fixtures/cli.ts';
import { gcoreOf, missingTools } from '../../fixtures/gcore.ts';

const missing = missingTools('gcore');

/** Keys a process generates for itself (RNG state, and the sweep's copies of them): correct finds. */
const SELF_MADE = new Set(['aes-key-schedule', 'aes-key', 'chacha-key', 'salsa20-key']);

const PROCESSES: { name: string; start: () => ChildProcess }[] = [
  { name: 'sleep', start: () => spawn('sleep', ['300'], { stdio: 'ignore' }) },
  { name: 'an idle node', start: () => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }) },
];

describe.skipIf(missing.length > 0)(`keyless real processes${missing.length ? ' (skipped: gcore not installed)' : ''}`, () => {
  for (const { name, start } of PROCESSES) {
    it(`${name}: no medium or high finding that is not a key the process made`, { timeout: 600_000 }, async (ctx) => {
      ensureCliBuilt();
      const dir = mkdtempSync(join(tmpdir(), 'dumpscrub-keyless-'));
      const child = start();
      try {
        await once(child, 'spawn');
        // Let the process finish starting up (Node's bootstrap) before it is dumped.
        await new Promise((r) => setTimeout(r, 1500));
        const dumped = gcoreOf(child.pid!, dir);
        if ('skip' in dumped) return ctx.skip(dumped.skip);
        const scan = dumpscrub(['scan', dumped.core, '--json']);
        expect(scan.code, scan.stderr).not.toBe(2);
        const report = JSON.parse(scan.stdout) as { findings: ManifestEntry[]; review: ManifestEntry[] };
        const detected = [...report.findings, ...report.review].filter((f) => f.detector !== 'policy');
        const unexplained = detected.filter((f) => f.confidence !== 'low' && !SELF_MADE.has(f.kind));
        expect(unexplained.map((f) => `${f.kind} (${f.detector}, ${f.confidence}) at ${f.offset}`)).toEqual([]);
      } finally {
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
