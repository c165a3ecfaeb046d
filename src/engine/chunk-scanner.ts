import type { AnchorFinder } from './anchors.ts';
import type { WindowScanner } from './detectors/detector.ts';
import type { RsaPublicKey } from './harvest/public-key.ts';
import type { ChunkResult, ChunkScanner, SweepRequest } from './pipeline.ts';
import { harvestWindow, scanWindow, type DetectorSet, type HarvesterSet } from './scan.ts';
import type { ByteSource } from './source.ts';
import { extractSecret } from './sweep/extract.ts';
import type { Finding } from './types.ts';
import { makeWindow, windowRange, type ScanWindow } from './window.ts';

/** A detector set with the anchor finder compiled for it. */
export interface CompiledSet {
  detectors: DetectorSet;
  finder: AnchorFinder;
}

/** Everything pass 1 runs on each window. */
export interface MainPass {
  /**
   * Detector sets, one kernel pass each: the kernel's prefilter has 8 buckets, and text anchors and
   * byte anchors sharing them let zero pages and text through to exact checks (measured on a Node
   * core: 95 MB/s for one set of 170 anchors, ~1.3 GB/s for each of the two halves).
   */
  detectors: readonly CompiledSet[];
  /** Reads public keys for the prime search; their anchors get a kernel pass of their own. */
  harvesters?: { set: HarvesterSet; finder: AnchorFinder };
  /** Anchorless kernels (AES key schedules, entropy islands, …). */
  windowScanners?: readonly WindowScanner[];
}

/**
 * What a sweep request runs per chunk: its needle sets and its anchorless scanners (user patterns,
 * the prime search for the request's moduli, partial copies).
 */
export interface SweepWork {
  sets: readonly CompiledSet[];
  scanners: readonly WindowScanner[];
}

/**
 * The work one pool worker does per chunk: read the window, find anchors, run the detectors, and
 * attach the secret values of confirmed keys so the derived sweep can look for their other copies.
 * With a sweep request it runs the sweep's work instead (or as well, to verify an output).
 */
export function createChunkScanner(source: ByteSource, main: MainPass, sweepWork: (request: SweepRequest) => SweepWork): ChunkScanner {
  return {
    async scan(start, end, sweep) {
      const { from, to } = windowRange(start, end, source.size);
      const bytes = await source.read(from, to - from);
      if (bytes.length !== to - from) {
        throw new Error(`read error: got ${bytes.length} of ${to - from} bytes at offset ${from} (was the file changed or truncated?)`);
      }
      const win = makeWindow(bytes, from, start, end, source.size);
      const findings: Finding[] = [];
      const warnings: string[] = [];
      const run = (scanner: WindowScanner) => {
        findings.push(...scanner.scan(win));
        const warning = scanner.lastWarning?.();
        if (warning) warnings.push(warning);
      };
      let publicKeys: RsaPublicKey[] = [];
      if (!sweep?.only) {
        for (const set of main.detectors) findings.push(...scanWindow(win, set.finder, set.detectors));
        (main.windowScanners ?? []).forEach(run);
        if (main.harvesters) publicKeys = harvestWindow(win, main.harvesters.finder, main.harvesters.set);
      }
      if (sweep) {
        const work = sweepWork(sweep);
        for (const set of work.sets) findings.push(...scanWindow(win, set.finder, set.detectors));
        work.scanners.forEach(run);
      }
      return { findings: withSecrets(win, findings), publicKeys, warnings } satisfies ChunkResult;
    },
  };
}

/**
 * Text detectors cannot name the key; once its values are read back, the finding can. A detector
 * that proved a secret by other means (a schedule's recurrence, a token's checksum) attaches it.
 */
function withSecrets(win: ScanWindow, findings: Finding[]): Finding[] {
  for (const f of findings) {
    const secret = f.secret ?? extractSecret(win, f);
    if (!secret) continue;
    f.secret = secret;
    f.fingerprint ??= secret.fingerprint;
  }
  return findings;
}
