/**
 * Owns the sanitizer worker: one worker per job, terminated as soon as the job settles, so a
 * finished or cancelled job leaves no thread, no wasm memory and no buffered chunk behind.
 */

import * as Comlink from 'comlink';
import type { JobApi } from '../../workers/job-api.ts';
import type { CANCELLED, JobOptions, JobProgress } from '../engine/job-types.ts';
import type { Manifest } from '../engine/manifest-types.ts';

export interface JobResult {
  manifest: Manifest;
  sanitized: Blob;
}

export interface Job {
  /** Settles once: the result, a JobCancelledError after cancel(), or the worker's error. */
  readonly result: Promise<JobResult>;
  cancel(): void;
}

// Typed against the contract's constant so a renamed constant breaks the build, without
// importing engine code at runtime.
const CANCELLED_NAME: typeof CANCELLED = 'JobCancelled';

export class JobCancelledError extends Error {
  override name = CANCELLED_NAME;
  constructor() {
    super('Cancelled — no output was produced.');
  }
}

export function isCancelled(error: unknown): boolean {
  return error instanceof Error && error.name === CANCELLED_NAME;
}

export function startJob(file: File, options: JobOptions, onProgress: (p: JobProgress) => void): Job {
  const worker = new Worker(new URL('../../workers/job.worker.ts', import.meta.url), { type: 'module' });
  const api = Comlink.wrap<JobApi>(worker);

  let cancelled = false;
  let abort!: (error: Error) => void;
  const aborted = new Promise<never>((_, reject) => {
    abort = reject;
  });

  // A worker that fails to load or throws outside a comlink call would leave the call pending forever.
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    abort(new Error(event.message ? `The sanitizer stopped: ${event.message}` : 'The sanitizer could not be started.'));
  });
  worker.addEventListener('messageerror', () => abort(new Error('The sanitizer sent a message this page could not read.')));

  const result = Promise.race([api.sanitize(file, file.name, options, Comlink.proxy(onProgress)), aborted])
    .then(
      (value) => {
        // A job that finished in the same instant the user cancelled still produces nothing.
        if (cancelled) throw new JobCancelledError();
        return value;
      },
      (error: unknown) => {
        throw cancelled ? new JobCancelledError() : error;
      },
    )
    .finally(() => worker.terminate());

  return {
    result,
    cancel() {
      cancelled = true;
      // Terminating (in `finally`) rather than asking the worker to stop: it is immediate even
      // mid-chunk inside wasm, and the worker is single-use anyway.
      abort(new JobCancelledError());
    },
  };
}
