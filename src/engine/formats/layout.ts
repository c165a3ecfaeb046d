import type { RegionKind } from './dump-map.ts';
import type { RegionBuilder } from './region-builder.ts';

/** A byte range [start, end) inside a fixed-layout record, and what it holds. */
export interface Slice {
  start: number;
  end: number;
  kind: RegionKind;
}

/**
 * Claims a fixed-layout record (a CPU context, an FXSAVE area) slice by slice. Slices beyond
 * `length` are dropped, so a record shorter than its layout claims only the bytes it has.
 */
export function claimSlices(
  out: RegionBuilder,
  offset: number,
  length: number,
  slices: readonly Slice[],
  attrs: { thread?: number; label?: string },
): void {
  for (const s of slices) {
    const stop = Math.min(s.end, length);
    if (stop > s.start) out.claim({ offset: offset + s.start, length: stop - s.start, kind: s.kind, ...attrs });
  }
}

/** Moves a layout by `delta` bytes, for layouts embedded in bigger records. */
export function shiftSlices(slices: readonly Slice[], delta: number): Slice[] {
  return slices.map((s) => ({ start: s.start + delta, end: s.end + delta, kind: s.kind }));
}

/**
 * The FXSAVE / XSAVE legacy area (512 bytes, also Windows' XMM_SAVE_AREA32): FCW, FSW, FTW, FOP,
 * FIP, FDP, MXCSR and MXCSR_MASK in the first 32 bytes are control and status words; ST0–7/MM0–7
 * (32..160), XMM0–15 (160..416) and the reserved tail are register contents, zeroable.
 */
export const FXSAVE_LAYOUT: readonly Slice[] = [
  { start: 0, end: 32, kind: 'registers' },
  { start: 32, end: 512, kind: 'vector-registers' },
];
