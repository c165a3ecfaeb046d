import { createChunkScanner, type CompiledSet, type MainPass } from './chunk-scanner.ts';
import { createAesScheduleScanner } from './detectors/binary/aes-schedule.ts';
import { binaryKeyDetectors } from './detectors/binary/index.ts';
import type { Detector } from './detectors/detector.ts';
import { textKeyDetectors } from './detectors/registry.ts';
import type { ChunkScanner, SweepRequest } from './pipeline.ts';
import { compileDetectors } from './scan.ts';
import type { ByteSource } from './source.ts';
import { createSweepDetector } from './sweep/sweep-detector.ts';
import { createWasmAnchorFinder } from '../wasm/anchor-finder.ts';

/** Every detector the engine runs on every byte. */
export const allDetectors: readonly Detector[] = [...textKeyDetectors, ...binaryKeyDetectors];

/**
 * Keys per sweep set: the kernel plans its buckets in time cubic in the anchor count, and ~80
 * needles per RSA key keep two keys' needles fast to plan and to scan.
 */
const SECRETS_PER_SWEEP_SET = 2;

/** A worker's scanning engine: the compiled WASM kernel bound to the detectors and the sweep. */
export function createScanEngine(kernel: WebAssembly.Module): { scanner(source: ByteSource): ChunkScanner } {
  const compile = (detectors: readonly Detector[]): CompiledSet => {
    const set = compileDetectors(detectors);
    return { detectors: set, finder: createWasmAnchorFinder(kernel, set.anchors) };
  };
  const main = compile(allDetectors);
  // One job's sweep at a time: the sets are built once per request, not per chunk.
  let cached: { id: string; sets: CompiledSet[] } | null = null;
  const sweepSets = (request: SweepRequest) => {
    if (cached?.id !== request.id) {
      const sets: CompiledSet[] = [];
      for (let i = 0; i < request.secrets.length; i += SECRETS_PER_SWEEP_SET) {
        sets.push(compile([createSweepDetector(request.secrets.slice(i, i + SECRETS_PER_SWEEP_SET))]));
      }
      cached = { id: request.id, sets };
    }
    return cached.sets;
  };
  // Anchorless kernels: they run on every byte of every window beside the anchor detectors.
  const mainPass: MainPass = { detectors: main, windowScanners: [createAesScheduleScanner(kernel)] };
  return { scanner: (source) => createChunkScanner(source, mainPass, sweepSets) };
}
