import { createChunkScanner, type CompiledSet, type SweepWork } from './chunk-scanner.ts';
import { createAesScheduleScanner } from './detectors/binary/aes-schedule.ts';
import { binaryKeyDetectors } from './detectors/binary/index.ts';
import type { Detector, WindowScanner } from './detectors/detector.ts';
import { createEntropyIslandScanner } from './detectors/entropy-islands.ts';
import { textKeyDetectors } from './detectors/registry.ts';
import { createUserPatternScanner } from './detectors/user-pattern.ts';
import type { ChunkScanner, SweepRequest } from './pipeline.ts';
import { compileDetectors } from './scan.ts';
import type { ByteSource } from './source.ts';
import { sweepNeedles } from './sweep/encodings.ts';
import type { SecretMaterial } from './sweep/secret.ts';
import { createShingleSweep } from './sweep/shingles.ts';
import { rsaHarvesters } from './harvest/index.ts';
import type { RsaPublicKey } from './harvest/public-key.ts';
import { createPrimeSearch, PRIME_SEARCH_DETECTOR, type PrimeSearch } from './primes/prime-search.ts';
import { createSweepDetector } from './sweep/sweep-detector.ts';
import { createWasmAnchorFinder } from '../wasm/anchor-finder.ts';

/** Every detector the engine runs on every byte. */
export const allDetectors: readonly Detector[] = [...textKeyDetectors, ...binaryKeyDetectors];

/**
 * Needles per sweep set: the kernel plans its buckets in time cubic in the anchor count; two RSA
 * keys (~80 needles each) are fast to plan and to scan, and so are a dozen text secrets (~12 each).
 */
const NEEDLES_PER_SWEEP_SET = 160;

/** The secrets in consecutive groups of at most NEEDLES_PER_SWEEP_SET needles (one secret may exceed it alone). */
function sweepGroups(secrets: readonly SecretMaterial[]): SecretMaterial[][] {
  const groups: SecretMaterial[][] = [];
  let needles = Infinity;
  for (const secret of secrets) {
    const count = sweepNeedles(secret).length;
    if (needles + count > NEEDLES_PER_SWEEP_SET) {
      groups.push([]);
      needles = 0;
    }
    groups[groups.length - 1]!.push(secret);
    needles += count;
  }
  return groups;
}

/** The prime search for one request's moduli, as a sweep window scanner that warns on a budget hit. */
function primeSearchScanner(search: PrimeSearch, moduli: readonly RsaPublicKey[]): WindowScanner {
  let warning: string | null = null;
  return {
    id: PRIME_SEARCH_DETECTOR,
    scan(win) {
      const findings = search(win, moduli);
      warning = search.last.budgetHit
        ? `prime search: too many candidate factors in the chunk at offset ${win.base + win.ownStart}; bignum copies of RSA private keys there may remain unredacted`
        : null;
      return findings;
    },
    lastWarning: () => warning,
  };
}

/** A worker's scanning engine: the compiled WASM kernel bound to the detectors and the sweep. */
export function createScanEngine(kernel: WebAssembly.Module): { scanner(source: ByteSource): ChunkScanner } {
  const compile = (detectors: readonly Detector[]): CompiledSet => {
    const set = compileDetectors(detectors);
    return { detectors: set, finder: createWasmAnchorFinder(kernel, set.anchors) };
  };
  const main = [compile(textKeyDetectors), compile(binaryKeyDetectors)];
  const harvesterSet = compileDetectors(rsaHarvesters);
  const harvesters = { set: harvesterSet, finder: createWasmAnchorFinder(kernel, harvesterSet.anchors) };
  const primeSearch = createPrimeSearch(kernel);
  // Anchorless kernels: they run on every byte of every window beside the anchor detectors.
  const windowScanners = [createAesScheduleScanner(kernel), createEntropyIslandScanner(kernel)];
  // Fragments of the same keys: shingles, in a kernel of their own (linear in the needle count).
  const partialCopies = createShingleSweep(kernel);
  // One job's sweep at a time: the sets and patterns are compiled once per request, not per chunk.
  let cached: { id: string; work: SweepWork } | null = null;
  const sweepWork = (request: SweepRequest) => {
    if (cached?.id !== request.id) {
      const sets = sweepGroups(request.secrets).map((group) => compile([createSweepDetector(group)]));
      const scanners: WindowScanner[] = [{ id: 'sweep-partial', scan: (win) => partialCopies(win, request.secrets, request.id) }];
      if (request.patterns.length > 0) scanners.push(createUserPatternScanner(request.patterns));
      if (request.moduli?.length) scanners.push(primeSearchScanner(primeSearch, request.moduli));
      cached = { id: request.id, work: { sets, scanners } };
    }
    return cached.work;
  };
  return { scanner: (source) => createChunkScanner(source, { detectors: main, harvesters, windowScanners }, sweepWork) };
}
