/**
 * The page's one piece of state: which screen shows, the running job, and the download URLs.
 * Components only render it and call its methods.
 */

import type { JobProgress } from '../engine/job-types.ts';
import type { Manifest } from '../engine/manifest-types.ts';
import type { Policy } from '../engine/types.ts';
import { manifestName, oneLine, sanitizedName } from './format.ts';
import { isCancelled, startJob, type Job } from './job-client.ts';
import { secretLines } from './user-input.ts';
import { userPatternProblem, userSecretsProblem } from '../../workers/job-api.ts';

export interface Notice {
  tone: 'info' | 'warning' | 'error';
  text: string;
}

export interface Download {
  url: string;
  name: string;
}

export interface FileInfo {
  name: string;
  size: number;
}

export type Screen =
  | { kind: 'idle'; notice: Notice | null }
  | { kind: 'running'; file: FileInfo }
  | { kind: 'done'; file: FileInfo; manifest: Manifest; sanitized: Download; manifestFile: Download };

export class Session {
  // Replaced wholesale, never mutated: raw state avoids deep proxies around the manifest.
  screen = $state.raw<Screen>({ kind: 'idle', notice: null });
  progress = $state.raw<JobProgress | null>(null);
  policy = $state<Policy>('standard');
  keepVectorRegisters = $state(false);
  /** The user's own secrets (one per line) and pattern: in memory only, never persisted. */
  secretsText = $state('');
  pattern = $state('');

  #job: Job | null = null;

  async start(file: File): Promise<void> {
    if (this.#job) return;
    this.#revokeDownloads();
    if (file.size === 0) {
      this.screen = { kind: 'idle', notice: { tone: 'warning', text: 'This file is empty — nothing to sanitize.' } };
      return;
    }

    const secrets = secretLines(this.secretsText);
    const patterns = this.pattern === '' ? [] : [this.pattern];
    const problem = userSecretsProblem(secrets) ?? (patterns.length > 0 ? userPatternProblem(patterns[0]!) : null);
    if (problem) {
      this.screen = { kind: 'idle', notice: { tone: 'error', text: `Not started: ${problem}.` } };
      return;
    }

    const info: FileInfo = { name: file.name, size: file.size };
    const options = { policy: this.policy, keepVectorRegisters: this.keepVectorRegisters, verify: true, secrets, patterns };
    const job = startJob(file, options, (p) => {
      // Progress posted just before a cancel must not resurrect the progress view.
      if (this.#job === job) this.progress = p;
    });
    this.#job = job;
    this.progress = null;
    this.screen = { kind: 'running', file: info };

    try {
      const { manifest, sanitized } = await job.result;
      // Redaction never changes the length; a different size means the output is not a faithful dump.
      if (sanitized.size !== file.size) {
        throw new Error(`The sanitized output is ${sanitized.size} bytes but the input is ${file.size}; nothing was saved.`);
      }
      const outName = sanitizedName(file.name);
      const manifestJson = new Blob([`${JSON.stringify(manifest, null, 2)}\n`], { type: 'application/json' });
      this.screen = {
        kind: 'done',
        file: info,
        manifest,
        // The Blob is handed to the URL as is: it is made of slices of the input, never read into memory.
        sanitized: { url: URL.createObjectURL(sanitized), name: outName },
        manifestFile: { url: URL.createObjectURL(manifestJson), name: manifestName(outName) },
      };
    } catch (error) {
      this.screen = {
        kind: 'idle',
        notice: isCancelled(error)
          ? { tone: 'info', text: 'Cancelled — no output was produced.' }
          : { tone: 'error', text: oneLine(error) },
      };
    } finally {
      this.#job = null;
      this.progress = null;
    }
  }

  cancel(): void {
    this.#job?.cancel();
  }

  reset(): void {
    if (this.#job) return;
    this.#revokeDownloads();
    this.screen = { kind: 'idle', notice: null };
  }

  #revokeDownloads(): void {
    if (this.screen.kind !== 'done') return;
    URL.revokeObjectURL(this.screen.sanitized.url);
    URL.revokeObjectURL(this.screen.manifestFile.url);
  }
}
