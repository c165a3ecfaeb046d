import type { Policy } from './types.ts';

/** What the UI and the CLI ask the engine to do. */
export interface JobOptions {
  policy: Policy;
  /** Re-scan the sanitized output and fail on anything that should have been zeroed (default true). */
  verify: boolean;
  /** Keep saved vector registers the detectors do not flag (default: zero them). */
  keepVectorRegisters?: boolean;
  /** Chunk size in bytes (tests use tiny odd sizes; default 16 MiB). */
  chunkSize?: number;
  /**
   * The user's own secrets (passwords, tokens), each at least 4 characters: zeroed in every
   * encoding (user-input.ts, sweep/text-needles.ts). Never written anywhere; the manifest counts them.
   */
  secrets?: string[];
  /** The user's regexes, `re` or `/re/flags`: every match in ASCII or UTF-16LE text is zeroed. */
  patterns?: string[];
}

export type JobPhase = 'scan' | 'sweep' | 'write' | 'verify';

export interface JobProgress {
  phase: JobPhase;
  /** Bytes processed in this phase, and its total. */
  done: number;
  total: number;
  /** Throughput of this phase so far, MB/s (10^6 bytes). */
  mbPerSec: number;
  /** Estimated seconds left for the whole job, or null before there is a rate. */
  etaSeconds: number | null;
}

/** Thrown (by name) when a job was cancelled: no output exists. */
export const CANCELLED = 'JobCancelled';
