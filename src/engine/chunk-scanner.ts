import type { AnchorFinder } from './anchors.ts';
import type { WindowScanner } from './detectors/detector.ts';
import type { ChunkScanner, SweepRequest } from './pipeline.ts';
import { scanWindow, type DetectorSet } from './scan.ts';
import type { ByteSource } from './source.ts';
import { extractSecret } from './sweep/extract.ts';
import type { Finding } from './types.ts';
import { makeWindow, windowRange, type ScanWindow } from './window.ts';

/** A detector set with the anchor finder compiled for it. */
export interface CompiledSet {
  detectors: DetectorSet;
  finder: AnchorFinder;
}

/** What a sweep request runs per chunk: its needle sets and its anchorless scanners (user patterns). */
export interface SweepWork {
  sets: readonly CompiledSet[];
  scanners: readonly WindowScanner[];
}

/**
 * The work one pool worker does per chunk: read the window, find anchors, run the detectors, and
 * attach the secret values of confirmed keys so the derived sweep can look for their other copies.
 * With a sweep request it runs the sweep's work instead (or as well, to verify an output).
 */
export function createChunkScanner(source: ByteSource, main: CompiledSet, sweepWork: (request: SweepRequest) => SweepWork): ChunkScanner {
  return {
    async scan(start, end, sweep) {
      const { from, to } = windowRange(start, end, source.size);
      const bytes = await source.read(from, to - from);
      if (bytes.length !== to - from) {
        throw new Error(`read error: got ${bytes.length} of ${to - from} bytes at offset ${from} (was the file changed or truncated?)`);
      }
      const win = makeWindow(bytes, from, start, end, source.size);
      const found = sweep?.only ? [] : withSecrets(win, scanWindow(win, main.finder, main.detectors));
      if (!sweep) return found;
      const work = sweepWork(sweep);
      return [
        ...found,
        ...work.sets.flatMap((set) => scanWindow(win, set.finder, set.detectors)),
        ...work.scanners.flatMap((scanner) => scanner.scan(win)),
      ];
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
