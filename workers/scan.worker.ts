/** Browser pool worker: scans chunks of a Blob with the WASM kernel. */
import * as Comlink from 'comlink';
import wasmUrl from '../src/wasm/core.wasm?url';
import { createScanEngine } from '../src/engine/engine.ts';
import { blobSource } from '../src/engine/source.ts';
import type { ChunkResult, SweepRequest } from '../src/engine/pipeline.ts';

const engine = WebAssembly.compileStreaming(fetch(wasmUrl)).then(createScanEngine);

const api = {
  async scan(blob: Blob, start: number, end: number, sweep?: SweepRequest): Promise<ChunkResult> {
    return (await engine).scanner(blobSource(blob)).scan(start, end, sweep);
  },
};

export type ScanWorkerApi = typeof api;
Comlink.expose(api);
