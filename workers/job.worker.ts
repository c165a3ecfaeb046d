/**
 * Browser job worker: runs the engine pipeline for the UI. It owns a pool of scan workers (one per
 * core) and composes the sanitized Blob from slices of the input, so the page never holds the dump.
 */
import * as Comlink from 'comlink';
import type { JobApi } from './job-api.ts';
import type { ScanWorkerApi } from './scan.worker.ts';
import sha256Url from '../src/wasm/sha256.wasm?url';
import { createWasmSha256 } from '../src/wasm/sha256.ts';
import { composeSanitizedBlob } from '../src/engine/output-blob.ts';
import { sanitize, type ChunkScanner } from '../src/engine/pipeline.ts';
import { blobSource } from '../src/engine/source.ts';

const MAX_POOL = 8;
/**
 * Chunks in the browser are half the CLI's: every kernel instance of a scan worker copies its
 * window into its own WebAssembly memory (which is never returned), so a tab's memory grows with
 * the chunk size times the kernels times the workers. Results do not depend on the chunk size.
 */
const BROWSER_CHUNK_SIZE = 8 * 1024 * 1024;

/** The WASM SHA-256 (WebCrypto has no incremental digest): the job's input and output hashes. */
const sha256 = WebAssembly.compileStreaming(fetch(sha256Url)).then(createWasmSha256);

function startPool(): { remotes: Comlink.Remote<ScanWorkerApi>[]; stop(): void } {
  const size = Math.max(1, Math.min(MAX_POOL, navigator.hardwareConcurrency || 2));
  const workers = Array.from({ length: size }, () => new Worker(new URL('./scan.worker.ts', import.meta.url), { type: 'module' }));
  return {
    remotes: workers.map((w) => Comlink.wrap<ScanWorkerApi>(w)),
    stop: () => workers.forEach((w) => w.terminate()),
  };
}

const scannersOver = (remotes: Comlink.Remote<ScanWorkerApi>[], blob: Blob): ChunkScanner[] =>
  remotes.map((r) => ({ scan: (start, end, sweep) => r.scan(blob, start, end, sweep) }));

const api: JobApi = {
  async sanitize(file, name, options, onProgress) {
    const pool = startPool();
    let sanitized: Blob | null = null;
    try {
      const { manifest } = await sanitize({
        name,
        input: blobSource(file),
        inputScanners: scannersOver(pool.remotes, file),
        sink: {
          streamsBytes: false,
          write: async () => {},
          finish: async (ranges) => {
            sanitized = composeSanitizedBlob(file, ranges, file.type || 'application/octet-stream');
            return scannersOver(pool.remotes, sanitized);
          },
        },
        createHash: await sha256,
        options: { chunkSize: BROWSER_CHUNK_SIZE, ...options },
        onProgress,
      });
      return { manifest, sanitized: sanitized! };
    } finally {
      pool.stop();
    }
  },
};

Comlink.expose(api);
