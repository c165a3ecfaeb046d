import type { Region, RegionKind } from './dump-map.ts';
import { WarningLog } from './warning-log.ts';

/** What a parser says about a file range; overlapping claims are resolved by RANK. */
export interface Claim {
  offset: number;
  length: number;
  kind: RegionKind;
  /** Virtual address of the claim's first byte. */
  va?: bigint;
  module?: string;
  thread?: number;
  label?: string;
}

/**
 * Which claim keeps bytes claimed twice: the one whose bytes must stay intact. Structure is never
 * written, registers never zeroed, vector registers and text only on policy; among memory kinds the
 * ones `stacks-only` keeps (stack, module image) rank above those it zeroes, so a range is never
 * zeroed because a second, doubtful descriptor calls it heap. Raw ranks lowest: it is only a label.
 */
const RANK: Record<RegionKind, number> = {
  structure: 9,
  registers: 8,
  'vector-registers': 7,
  'text-stream': 6,
  stack: 5,
  module: 4,
  'mapped-file': 3,
  heap: 2,
  memory: 1,
  raw: 0,
};

const end = (c: Claim) => c.offset + c.length;

function describe(c: Claim): string {
  const details = [c.label, c.thread !== undefined ? `thread ${c.thread}` : undefined, c.module].filter(Boolean);
  return details.length ? `${c.kind} (${details.join(', ')})` : c.kind;
}

/** Same bytes, same meaning: e.g. a thread's stack descriptor and its MemoryList entry. */
function identical(a: Claim, b: Claim): boolean {
  return (
    a.offset === b.offset &&
    a.length === b.length &&
    a.kind === b.kind &&
    a.module === b.module &&
    a.thread === b.thread &&
    a.va === b.va
  );
}

/** Claim indices ordered by rank (highest first), then by claim order (earliest first). */
class WinnerHeap {
  private readonly items: number[] = [];
  constructor(private readonly claims: readonly Claim[]) {}

  private before(a: number, b: number): boolean {
    const ra = RANK[this.claims[a]!.kind];
    const rb = RANK[this.claims[b]!.kind];
    return ra !== rb ? ra > rb : a < b;
  }

  get top(): number | undefined {
    return this.items[0];
  }

  push(index: number): void {
    const items = this.items;
    items.push(index);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): void {
    const items = this.items;
    const last = items.pop()!;
    if (items.length === 0) return;
    items[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < items.length && this.before(items[l]!, items[best]!)) best = l;
      if (r < items.length && this.before(items[r]!, items[best]!)) best = r;
      if (best === i) break;
      [items[i], items[best]] = [items[best]!, items[i]!];
      i = best;
    }
  }
}

/** A resolved, non-overlapping part of one claim. */
type Piece = Claim;

function continues(prev: Piece, next: Piece): boolean {
  return (
    prev.kind === next.kind &&
    prev.label === next.label &&
    prev.module === next.module &&
    prev.thread === next.thread &&
    (prev.va === undefined ? next.va === undefined : next.va === prev.va + BigInt(prev.length))
  );
}

function toRegion(p: Piece): Region {
  const r: Region = { offset: p.offset, length: p.length, kind: p.kind };
  if (p.va !== undefined) r.va = `0x${p.va.toString(16)}`;
  if (p.module !== undefined) r.module = p.module;
  if (p.thread !== undefined) r.thread = p.thread;
  if (p.label !== undefined) r.label = p.label;
  return r;
}

/**
 * Collects claims and warnings from the format parsers and turns them into the region map: sorted,
 * non-overlapping regions covering [0, size) exactly, unclaimed bytes raw.
 */
export class RegionBuilder {
  private readonly claims: Claim[] = [];
  private readonly log = new WarningLog();

  constructor(readonly size: number) {}

  /** Parsers bounds-check before claiming; a claim outside the file is a parser bug, kept out. */
  claim(c: Claim): void {
    if (c.length <= 0) return;
    if (!Number.isSafeInteger(c.offset) || !Number.isSafeInteger(c.length) || c.offset < 0 || end(c) > this.size) {
      this.warn(`internal: ${describe(c)} claim [${c.offset}, +${c.length}) lies outside the ${this.size}-byte file; ignored`);
      return;
    }
    this.claims.push(c);
  }

  warn(message: string, category?: string): void {
    this.log.add(message, category);
  }

  build(): { regions: Region[]; warnings: string[] } {
    const order = this.claims.map((_, i) => i).sort((a, b) => this.claims[a]!.offset - this.claims[b]!.offset || a - b);
    this.warnOverlaps(order);
    return { regions: this.resolve(order).map(toRegion), warnings: this.log.list() };
  }

  private warnOverlaps(order: number[]): void {
    let furthest: number | undefined;
    for (const i of order) {
      const c = this.claims[i]!;
      if (c.kind === 'raw') continue;
      if (furthest !== undefined) {
        const f = this.claims[furthest]!;
        if (c.offset < end(f) && !identical(c, f)) {
          const [winner, loser] = RANK[c.kind] > RANK[f.kind] ? [c, f] : [f, c];
          this.warn(
            `overlapping claims on file bytes ${c.offset}..${Math.min(end(c), end(f))}: ${describe(winner)} kept over ${describe(loser)}`,
            'overlapping claims on file bytes',
          );
        }
      }
      if (furthest === undefined || end(c) > end(this.claims[furthest]!)) furthest = i;
    }
  }

  /** Sweeps the claim boundaries, giving each elementary interval to its highest-ranked claim. */
  private resolve(order: number[]): Piece[] {
    const points = new Set<number>([0, this.size]);
    for (const c of this.claims) points.add(c.offset).add(end(c));
    const bounds = [...points].sort((a, b) => a - b);
    const heap = new WinnerHeap(this.claims);
    const pieces: Piece[] = [];
    let next = 0;
    for (let k = 0; k + 1 < bounds.length; k++) {
      const start = bounds[k]!;
      const stop = bounds[k + 1]!;
      while (next < order.length && this.claims[order[next]!]!.offset <= start) heap.push(order[next++]!);
      while (heap.top !== undefined && end(this.claims[heap.top]!) <= start) heap.pop();
      const w = heap.top === undefined ? undefined : this.claims[heap.top]!;
      const piece: Piece = w
        ? {
            offset: start,
            length: stop - start,
            kind: w.kind,
            va: w.va === undefined ? undefined : w.va + BigInt(start - w.offset),
            module: w.module,
            thread: w.thread,
            label: w.label,
          }
        : { offset: start, length: stop - start, kind: 'raw' };
      const prev = pieces[pieces.length - 1];
      if (prev && continues(prev, piece)) prev.length += piece.length;
      else pieces.push(piece);
    }
    return pieces;
  }
}
