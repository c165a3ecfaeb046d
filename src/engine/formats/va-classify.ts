import type { RegionKind } from './dump-map.ts';
import type { Claim } from './region-builder.ts';

/** A virtual-address range [start, end) known to hold one kind of memory. */
export interface VaSpan {
  start: bigint;
  end: bigint;
  kind: RegionKind;
  module?: string;
  thread?: number;
}

/**
 * Spans of one kind of evidence (thread stacks, module images, memory-info regions), sorted and
 * made disjoint: where two spans of a layer overlap, the earlier-starting one keeps the bytes, so a
 * hostile overlap can only shorten a span, never make lookups ambiguous.
 */
export class VaLayer {
  private readonly spans: VaSpan[] = [];

  constructor(spans: readonly VaSpan[]) {
    const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    for (const s of sorted) {
      const last = this.spans[this.spans.length - 1];
      const start = last && last.end > s.start ? last.end : s.start;
      if (s.end > start) this.spans.push({ ...s, start });
    }
  }

  /** The spans meeting [lo, hi), in address order. */
  *within(lo: bigint, hi: bigint): Generator<VaSpan> {
    let low = 0;
    let high = this.spans.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.spans[mid]!.end <= lo) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < this.spans.length && this.spans[i]!.start < hi; i++) yield this.spans[i]!;
  }
}

/**
 * Cuts the memory range [va, va + length), stored at file `offset`, into claims: each byte takes
 * its kind from the first layer with a span covering it, else `fallback`.
 */
export function classifyMemory(
  offset: number,
  va: bigint,
  length: number,
  layers: readonly VaLayer[],
  fallback: RegionKind,
): Claim[] {
  const claims: Claim[] = [];
  const emit = (lo: bigint, hi: bigint, kind: RegionKind, span?: VaSpan) => {
    const claim: Claim = { offset: offset + Number(lo - va), length: Number(hi - lo), kind, va: lo };
    if (span?.module !== undefined) claim.module = span.module;
    if (span?.thread !== undefined) claim.thread = span.thread;
    claims.push(claim);
  };
  const walk = (lo: bigint, hi: bigint, depth: number): void => {
    const layer = layers[depth];
    if (!layer) return emit(lo, hi, fallback);
    let cursor = lo;
    for (const span of layer.within(lo, hi)) {
      const start = span.start > cursor ? span.start : cursor;
      const stop = span.end < hi ? span.end : hi;
      if (start > cursor) walk(cursor, start, depth + 1);
      emit(start, stop, span.kind, span);
      cursor = stop;
    }
    if (cursor < hi) walk(cursor, hi, depth + 1);
  };
  if (length > 0) walk(va, va + BigInt(length), 0);
  return claims;
}
