/**
 * `dumpscrub` entry point. The same module is the worker_threads script of the scan pool, so the
 * built CLI is one file plus the WASM kernel.
 */
import { isMainThread } from 'node:worker_threads';
import { serveNodeScanWorker } from '../../workers/node-scan.worker.ts';
import { TOOL_VERSION } from '../engine/manifest.ts';
import { CANCELLED, type JobProgress } from '../engine/job-types.ts';
import { parseCommand, USAGE, UsageError } from './args.ts';
import { run } from './commands.ts';

function terminalProgress(p: JobProgress): void {
  const pct = p.total > 0 ? ((100 * p.done) / p.total).toFixed(1) : '100.0';
  const eta = p.etaSeconds === null ? '' : `, ${Math.ceil(p.etaSeconds)} s left`;
  process.stderr.write(`\r\x1b[K${p.phase} ${pct}% ${p.mbPerSec.toFixed(0)} MB/s${eta}`);
}

async function main(): Promise<number> {
  const cmd = parseCommand(process.argv.slice(2));
  if (cmd.name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (cmd.name === 'version') {
    process.stdout.write(`dumpscrub ${TOOL_VERSION}\n`);
    return 0;
  }
  const tty = process.stderr.isTTY;
  const interrupt = new AbortController();
  process.once('SIGINT', () => interrupt.abort());
  try {
    return await run(cmd, {
      signal: interrupt.signal,
      out: (t) => process.stdout.write(`${t}\n`),
      err: (t) => process.stderr.write(`${t}\n`),
      progress: tty ? terminalProgress : undefined,
      workerScript: new URL(import.meta.url),
    });
  } finally {
    if (tty) process.stderr.write('\r\x1b[K');
  }
}

if (isMainThread) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if ((error as Error)?.name === CANCELLED) {
        process.stderr.write('dumpscrub: interrupted: no output was written\n');
        process.exitCode = 130;
        return;
      }
      const usage = error instanceof UsageError;
      const message = (error as Error)?.message?.split('\n')[0] ?? String(error);
      process.stderr.write(`dumpscrub: ${usage ? '' : 'error: '}${message}\n`);
      process.exitCode = 2;
    },
  );
} else {
  serveNodeScanWorker();
}
