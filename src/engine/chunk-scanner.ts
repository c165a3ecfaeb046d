import type { AnchorFinder } from './anchors.ts';
import type { ChunkScanner } from './pipeline.ts';
import { scanWindow, type DetectorSet } from './scan.ts';
import type { ByteSource } from './source.ts';
import { makeWindow, windowRange } from './window.ts';

/** The work one pool worker does per chunk: read the window, find anchors, run the detectors. */
export function createChunkScanner(source: ByteSource, finder: AnchorFinder, detectors: DetectorSet): ChunkScanner {
  return {
    async scan(start, end) {
      const { from, to } = windowRange(start, end, source.size);
      const bytes = await source.read(from, to - from);
      if (bytes.length !== to - from) {
        throw new Error(`read error: got ${bytes.length} of ${to - from} bytes at offset ${from} (was the file changed or truncated?)`);
      }
      return scanWindow(makeWindow(bytes, from, start, end, source.size), finder, detectors);
    },
  };
}
