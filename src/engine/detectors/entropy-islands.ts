/**
 * The high-entropy fallback (detectors.md §5, family E): key-sized runs of random-looking bytes
 * between low-entropy structure that no rule names. Weak evidence: low confidence, so the `strict`
 * policy zeroes them and `standard` lists them for review.
 */
import { createWasmIslandFinder, ISLAND_CONTEXT_BYTES, type IslandFinder } from '../../wasm/island-finder.ts';
import type { Finding } from '../types.ts';
import type { ScanWindow } from '../window.ts';
import type { WindowScanner } from './detector.ts';
import { createKnownConstantFilter } from './known-constants.ts';

export const ENTROPY_DETECTOR_ID = 'entropy';

/** A WindowScanner over any IslandFinder (the tests also run it on the plain-TS reference). */
export function createIslandScanner(finder: IslandFinder): WindowScanner {
  const constants = createKnownConstantFilter();
  return {
    id: ENTROPY_DETECTOR_ID,
    scan(win: ScanWindow): Finding[] {
      // Enough context that every island starting in the owned range is classified whole; the
      // window's own margin (MAX_MATCH_BYTES) is far larger.
      const from = Math.max(0, win.ownStart - ISLAND_CONTEXT_BYTES);
      const to = Math.min(win.bytes.length, win.ownEnd + ISLAND_CONTEXT_BYTES);
      const bytes = win.bytes.subarray(from, to);
      const islands = finder.find(bytes, win.ownStart - from, win.ownEnd - from, (win.base + from) % 8);
      return islands
        .filter((i) => !constants.overlaps(bytes, i.offset, i.offset + i.length))
        .map((i) => ({
          offset: win.base + from + i.offset,
          length: i.length,
          kind: 'high-entropy-data',
          detector: ENTROPY_DETECTOR_ID,
          confidence: 'low',
          encoding: 'raw',
        }));
    },
  };
}

export function createEntropyIslandScanner(kernel: WebAssembly.Module): WindowScanner {
  return createIslandScanner(createWasmIslandFinder(kernel));
}
