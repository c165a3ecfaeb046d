import type { JobOptions, JobProgress } from '../src/engine/job-types.ts';
import type { Manifest } from '../src/engine/manifest-types.ts';

/** What the browser job worker exposes through comlink (the only engine surface the UI sees). */
export interface JobApi {
  /**
   * Scan, redact and verify `file`. Resolves with the manifest and the sanitized Blob (composed of
   * untouched slices of `file` and zero-filled parts). Rejects with a one-line message on any
   * failure; no output then. To cancel, the page terminates the worker: immediate, even mid-chunk.
   */
  sanitize(file: Blob, name: string, options: JobOptions, onProgress: (p: JobProgress) => void): Promise<{ manifest: Manifest; sanitized: Blob }>;
}

/**
 * The rules the job applies to the user's own secrets and patterns, for the page to check them as
 * they are typed (pure functions: no engine state, nothing leaves the page).
 */
export { MIN_USER_SECRET_CHARS, userPatternProblem, userSecretsProblem } from '../src/engine/user-input.ts';
