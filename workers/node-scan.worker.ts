/** Node pool worker (worker_threads): scans chunks of a file on disk with the WASM kernel. */
import { open, readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createScanEngine } from '../src/engine/engine.ts';
import type { ChunkScanner, SweepRequest } from '../src/engine/pipeline.ts';
import { fileHandleSource } from '../src/cli/node-io.ts';

const kernelUrl = new URL('../src/wasm/core.wasm', import.meta.url);

export function serveNodeScanWorker(): void {
  const engine = readFile(kernelUrl).then((bytes) => WebAssembly.compile(bytes)).then(createScanEngine);
  // File-backed Blobs cannot cross worker_threads, so each worker opens the path itself, once;
  // the handle lives as long as the worker (the pool is stopped after each command).
  const scanners = new Map<string, Promise<ChunkScanner>>();
  const scannerFor = (path: string) => {
    let s = scanners.get(path);
    if (!s) {
      s = Promise.all([engine, open(path, 'r')]).then(async ([e, handle]) =>
        e.scanner(fileHandleSource(handle, (await handle.stat()).size, path)),
      );
      scanners.set(path, s);
    }
    return s;
  };
  const api = {
    async scan(path: string, start: number, end: number, sweep?: SweepRequest) {
      return (await scannerFor(path)).scan(start, end, sweep);
    },
  };
  Comlink.expose(api, nodeEndpoint(parentPort!));
}

export type NodeScanWorkerApi = { scan(path: string, start: number, end: number, sweep?: SweepRequest): ReturnType<ChunkScanner['scan']> };
