import { describe, expect, it } from 'vitest';
import { RegionBuilder } from '../../../src/engine/formats/region-builder.ts';

describe('RegionBuilder', () => {
  it('fills gaps with raw and covers the file exactly', () => {
    const b = new RegionBuilder(100);
    b.claim({ offset: 10, length: 20, kind: 'structure', label: 'A' });
    b.claim({ offset: 50, length: 10, kind: 'heap', va: 0x1000n });
    expect(b.build()).toEqual({
      regions: [
        { offset: 0, length: 10, kind: 'raw' },
        { offset: 10, length: 20, kind: 'structure', label: 'A' },
        { offset: 30, length: 20, kind: 'raw' },
        { offset: 50, length: 10, kind: 'heap', va: '0x1000' },
        { offset: 60, length: 40, kind: 'raw' },
      ],
      warnings: [],
    });
  });

  it('gives overlapping bytes to the more protective claim, re-basing the loser\'s address', () => {
    const b = new RegionBuilder(64);
    b.claim({ offset: 0, length: 64, kind: 'heap', va: 0x10000n });
    b.claim({ offset: 16, length: 8, kind: 'vector-registers', thread: 3 });
    b.claim({ offset: 20, length: 8, kind: 'registers', thread: 3 });
    b.claim({ offset: 40, length: 8, kind: 'text-stream', label: 'T' });
    const { regions, warnings } = b.build();
    expect(regions).toEqual([
      { offset: 0, length: 16, kind: 'heap', va: '0x10000' },
      { offset: 16, length: 4, kind: 'vector-registers', thread: 3 },
      { offset: 20, length: 8, kind: 'registers', thread: 3 },
      { offset: 28, length: 12, kind: 'heap', va: '0x1001c' },
      { offset: 40, length: 8, kind: 'text-stream', label: 'T' },
      { offset: 48, length: 16, kind: 'heap', va: '0x10030' },
    ]);
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.join('\n')).toMatch(/vector-registers \(thread 3\) kept over heap/);
  });

  it('ranks structure over registers over vector registers over text over stack over heap', () => {
    const kinds = ['heap', 'stack', 'text-stream', 'vector-registers', 'registers', 'structure'] as const;
    const b = new RegionBuilder(10);
    for (const kind of kinds) b.claim({ offset: 0, length: 10, kind });
    expect(b.build().regions).toEqual([{ offset: 0, length: 10, kind: 'structure' }]);
  });

  it('does not warn when two parsers claim the same bytes with the same meaning', () => {
    const b = new RegionBuilder(32);
    b.claim({ offset: 0, length: 32, kind: 'stack', va: 0x8000n, thread: 1 });
    b.claim({ offset: 0, length: 32, kind: 'stack', va: 0x8000n, thread: 1, label: 'MemoryList' });
    expect(b.build()).toEqual({ regions: [{ offset: 0, length: 32, kind: 'stack', va: '0x8000', thread: 1 }], warnings: [] });
  });

  it('never warns about labelled raw claims, which only name unknown bytes', () => {
    const b = new RegionBuilder(32);
    b.claim({ offset: 0, length: 32, kind: 'raw', label: 'stream 0x1234' });
    b.claim({ offset: 8, length: 8, kind: 'structure', label: 'S' });
    expect(b.build()).toEqual({
      regions: [
        { offset: 0, length: 8, kind: 'raw', label: 'stream 0x1234' },
        { offset: 8, length: 8, kind: 'structure', label: 'S' },
        { offset: 16, length: 16, kind: 'raw', label: 'stream 0x1234' },
      ],
      warnings: [],
    });
  });

  it('merges adjacent claims only when they continue each other', () => {
    const b = new RegionBuilder(40);
    b.claim({ offset: 0, length: 10, kind: 'structure', label: 'L' });
    b.claim({ offset: 10, length: 10, kind: 'structure', label: 'L' });
    b.claim({ offset: 20, length: 10, kind: 'heap', va: 0x100n });
    b.claim({ offset: 30, length: 10, kind: 'heap', va: 0x200n });
    expect(b.build().regions).toEqual([
      { offset: 0, length: 20, kind: 'structure', label: 'L' },
      { offset: 20, length: 10, kind: 'heap', va: '0x100' },
      { offset: 30, length: 10, kind: 'heap', va: '0x200' },
    ]);
  });

  it('keeps claims outside the file out of the map, with a warning', () => {
    const b = new RegionBuilder(10);
    b.claim({ offset: 8, length: 4, kind: 'structure' });
    const { regions, warnings } = b.build();
    expect(regions).toEqual([{ offset: 0, length: 10, kind: 'raw' }]);
    expect(warnings[0]).toMatch(/lies outside the 10-byte file/);
  });

  it('lists a few warnings of a kind and counts the rest', () => {
    const b = new RegionBuilder(0);
    for (let i = 0; i < 20; i++) b.warn(`range ${i} is bad`, 'bad range');
    const { warnings } = b.build();
    expect(warnings).toHaveLength(9);
    expect(warnings[8]).toBe('12 more warnings like: bad range');
  });

  it('maps an empty file to no regions', () => {
    expect(new RegionBuilder(0).build()).toEqual({ regions: [], warnings: [] });
  });
});
