import { createChunkScanner } from './chunk-scanner.ts';
import { binaryKeyDetectors } from './detectors/binary/index.ts';
import { textKeyDetectors } from './detectors/registry.ts';
import type { ChunkScanner } from './pipeline.ts';
import { compileDetectors } from './scan.ts';
import type { ByteSource } from './source.ts';
import { createWasmAnchorFinder } from '../wasm/anchor-finder.ts';

/** Every detector the engine runs, compiled once into one anchor list. */
export const detectorSet = compileDetectors([...textKeyDetectors, ...binaryKeyDetectors]);

/** A worker's scanning engine: the compiled WASM kernel bound to the detector set. */
export function createScanEngine(kernel: WebAssembly.Module): { scanner(source: ByteSource): ChunkScanner } {
  const finder = createWasmAnchorFinder(kernel, detectorSet.anchors);
  return { scanner: (source) => createChunkScanner(source, finder, detectorSet) };
}
