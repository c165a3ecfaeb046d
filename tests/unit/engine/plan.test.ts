import { describe, expect, it } from 'vitest';
import { dedupeFindings, mergeRanges, planRedactions } from '../../../src/engine/plan.ts';
import type { Confidence, Finding } from '../../../src/engine/types.ts';

const f = (offset: number, length: number, confidence: Confidence = 'high', kind = 'k'): Finding => ({
  offset, length, confidence, kind, detector: 'd', encoding: 'e',
});

describe('mergeRanges', () => {
  it('merges overlapping and adjacent ranges and sorts them', () => {
    expect(mergeRanges([f(20, 5), f(0, 10), f(10, 2), f(30, 0), f(24, 3)])).toEqual([
      { offset: 0, length: 12 },
      { offset: 20, length: 7 },
    ]);
  });
  it('keeps a range contained in another', () => {
    expect(mergeRanges([f(0, 100), f(10, 5)])).toEqual([{ offset: 0, length: 100 }]);
  });
});

describe('dedupeFindings', () => {
  it('drops findings inside a finding of equal or higher confidence, and exact duplicates', () => {
    const outer = f(100, 50, 'high', 'outer');
    const kept = dedupeFindings([f(110, 10, 'medium'), outer, f(100, 50, 'high', 'dup'), f(120, 40, 'high', 'overlap')]);
    expect(kept.map((k) => k.kind)).toEqual(['outer', 'overlap']);
  });
  it('keeps a higher-confidence finding inside a weaker one', () => {
    const kept = dedupeFindings([f(0, 100, 'low', 'island'), f(10, 20, 'high', 'key')]);
    expect(kept.map((k) => k.kind)).toEqual(['island', 'key']);
  });
});

describe('planRedactions', () => {
  const findings = [f(0, 10, 'high'), f(20, 10, 'medium'), f(40, 10, 'low')];
  it('standard zeroes high and medium and lists low for review', () => {
    const plan = planRedactions(findings, 'standard');
    expect(plan.redact.map((x) => x.offset)).toEqual([0, 20]);
    expect(plan.review.map((x) => x.offset)).toEqual([40]);
    expect(plan.ranges).toEqual([{ offset: 0, length: 10 }, { offset: 20, length: 10 }]);
  });
  it('strict zeroes everything', () => {
    const plan = planRedactions(findings, 'strict');
    expect(plan.review).toEqual([]);
    expect(plan.ranges).toHaveLength(3);
  });
});
