import type { ByteRange, Confidence, Finding, Policy } from './types.ts';

export interface RedactionPlan {
  /** Findings whose bytes are zeroed, by offset. */
  redact: Finding[];
  /** Findings shown for review but left in place. */
  review: Finding[];
  /** The union of the redacted findings: sorted, disjoint, non-adjacent ranges. */
  ranges: ByteRange[];
}

const RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

/** Which confidence levels a policy zeroes without asking. */
export function isRedactedUnder(policy: Policy, confidence: Confidence): boolean {
  return policy === 'strict' || confidence !== 'low';
}

const byOffsetThenLongest = (a: Finding, b: Finding) => a.offset - b.offset || b.length - a.length;

/**
 * Drops findings that lie wholly inside another finding of equal or higher confidence (a PEM block
 * also matched by its headerless body, or one block reported by two overlapping chunks), so every
 * secret is listed once, and exact duplicates from the chunk overlap disappear.
 */
export function dedupeFindings(findings: readonly Finding[]): Finding[] {
  const sorted = [...findings].sort(byOffsetThenLongest);
  // Every kept finding starts at or before the current one, so a container of rank ≥ r exists iff
  // the furthest end among kept findings of rank ≥ r reaches the current end.
  const furthestEndAtRank = [-1, -1, -1];
  const kept: Finding[] = [];
  for (const f of sorted) {
    const end = f.offset + f.length;
    if (furthestEndAtRank[RANK[f.confidence]]! >= end) continue;
    kept.push(f);
    for (let r = 0; r <= RANK[f.confidence]; r++) {
      furthestEndAtRank[r] = Math.max(furthestEndAtRank[r]!, end);
    }
  }
  return kept;
}

export function mergeRanges(ranges: readonly ByteRange[]): ByteRange[] {
  const sorted = [...ranges].filter((r) => r.length > 0).sort((a, b) => a.offset - b.offset);
  const merged: ByteRange[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.offset <= last.offset + last.length) {
      last.length = Math.max(last.length, r.offset + r.length - last.offset);
    } else {
      merged.push({ offset: r.offset, length: r.length });
    }
  }
  return merged;
}

/**
 * `policyZeroed` are the ranges the policy zeroes whole (vector registers, heap under stacks-only):
 * always redacted, and kept apart from duplicate removal so a key found inside one is still listed.
 */
export function planRedactions(findings: readonly Finding[], policy: Policy, policyZeroed: readonly Finding[] = []): RedactionPlan {
  const unique = dedupeFindings(findings);
  const redact = [...unique.filter((f) => isRedactedUnder(policy, f.confidence)), ...policyZeroed].sort(byOffsetThenLongest);
  const review = unique.filter((f) => !isRedactedUnder(policy, f.confidence));
  return { redact, review, ranges: mergeRanges(redact) };
}
