import { expect } from 'vitest';
import { parseDump, type DumpMap, type Region } from '../../../src/engine/formats/dump-map.ts';
import { blobSource } from '../../../src/engine/source.ts';

export function parseBytes(bytes: Uint8Array): Promise<DumpMap> {
  return parseDump(blobSource(new Blob([new Uint8Array(bytes)])));
}

/** The contract every map keeps: sorted, non-empty, non-overlapping regions covering [0, size). */
export function expectWellFormed(map: DumpMap, size: number): void {
  let cursor = 0;
  for (const r of map.regions) {
    expect(r.offset, `region ${JSON.stringify(r)} starts where the previous ended`).toBe(cursor);
    expect(r.length).toBeGreaterThan(0);
    if (r.va !== undefined) expect(r.va).toMatch(/^0x[0-9a-f]+$/);
    cursor += r.length;
  }
  expect(cursor).toBe(size);
}

/** The regions meeting [offset, offset + length). */
export function regionsIn(map: DumpMap, offset: number, length: number): Region[] {
  return map.regions.filter((r) => r.offset < offset + length && r.offset + r.length > offset);
}
