import type { JobOptions, JobProgress } from '../src/engine/job-types.ts';
import type { Manifest } from '../src/engine/manifest-types.ts';

/** What the browser job worker exposes through comlink (the only engine surface the UI sees). */
export interface JobApi {
  /**
   * Scan, redact and verify `file`. Resolves with the manifest and the sanitized Blob (composed of
   * untouched slices of `file` and zero-filled parts). Rejects with an Error whose name is
   * `JobCancelled` after cancel(), or with a one-line message on any failure; no output then.
   */
  sanitize(file: Blob, name: string, options: JobOptions, onProgress: (p: JobProgress) => void): Promise<{ manifest: Manifest; sanitized: Blob }>;
  /** Stop the running job within one chunk. */
  cancel(): void;
}
