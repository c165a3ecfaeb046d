/** Runs harvesters over a buffer the way the engine does: in chunks, through windows. */
import type { Harvester, RsaPublicKey } from '../../../src/engine/harvest/public-key.ts';
import { compileDetectors, harvestWindow } from '../../../src/engine/scan.ts';
import { makeWindow, windowRange } from '../../../src/engine/window.ts';
import { createReferenceAnchorFinder } from '../../../src/wasm/anchor-finder.ts';

export function harvestBuffer(harvesters: Harvester | readonly Harvester[], file: Uint8Array, chunkSize = file.length + 1): RsaPublicKey[] {
  const set = compileDetectors<Harvester>(Array.isArray(harvesters) ? harvesters : [harvesters as Harvester]);
  const finder = createReferenceAnchorFinder(set.anchors);
  const keys: RsaPublicKey[] = [];
  for (let start = 0; start < file.length; start += chunkSize) {
    const end = Math.min(file.length, start + chunkSize);
    const { from, to } = windowRange(start, end, file.length);
    keys.push(...harvestWindow(makeWindow(file.subarray(from, to), from, start, end, file.length), finder, set));
  }
  return keys;
}
