import { MANIFEST_SCHEMA, type Manifest, type ManifestEntry } from './manifest-types.ts';
import type { RedactionPlan } from './plan.ts';
import type { Finding, Policy } from './types.ts';

export const TOOL_VERSION = '0.1.0';

export interface ManifestFacts {
  policy: Policy;
  input: Manifest['input'];
  output: Manifest['output'];
  plan: RedactionPlan;
  verified: boolean;
  userInput?: Manifest['userInput'];
  createdAt?: Date;
}

/**
 * A finding as the manifest (and any other output) shows it: named fields only, so engine-internal
 * data a finding carries never leaves the engine.
 */
export function toManifestEntry(f: Finding): ManifestEntry {
  const e: ManifestEntry = {
    offset: f.offset,
    length: f.length,
    kind: f.kind,
    detector: f.detector,
    confidence: f.confidence,
    encoding: f.encoding,
    region: f.region ?? { kind: 'raw' },
  };
  if (f.fingerprint) e.fingerprint = f.fingerprint;
  return e;
}

/** The manifest names where and why bytes were zeroed; by construction it holds no secret bytes. */
export function buildManifest(facts: ManifestFacts): Manifest {
  return {
    schema: MANIFEST_SCHEMA,
    tool: { name: 'dumpscrub', version: TOOL_VERSION },
    createdAt: (facts.createdAt ?? new Date()).toISOString(),
    policy: facts.policy,
    input: facts.input,
    output: facts.output,
    redactions: facts.plan.redact.map(toManifestEntry),
    review: facts.plan.review.map(toManifestEntry),
    verified: facts.verified,
    ...(facts.userInput ? { userInput: facts.userInput } : {}),
  };
}

/** Structural check of a manifest read from disk; returns problems, empty when sound. */
export function manifestProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['the manifest is not a JSON object'];
  const m = value as Partial<Manifest>;
  const problems: string[] = [];
  if (m.schema !== MANIFEST_SCHEMA) problems.push(`unknown manifest schema ${JSON.stringify(m.schema)} (expected ${MANIFEST_SCHEMA})`);
  if (typeof m.output?.size !== 'number' || typeof m.output?.sha256 !== 'string') problems.push('the manifest has no output size and sha256');
  if (!Array.isArray(m.redactions)) problems.push('the manifest has no redactions list');
  else if (!m.redactions.every((r) => Number.isSafeInteger(r?.offset) && Number.isSafeInteger(r?.length) && r.offset >= 0 && r.length >= 0)) {
    problems.push('a redaction has no valid offset/length');
  }
  return problems;
}
