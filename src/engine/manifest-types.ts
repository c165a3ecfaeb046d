import type { Confidence, Policy, RegionRef } from './types.ts';

export const MANIFEST_SCHEMA = 'dumpscrub.manifest/1';

/** One zeroed (or reviewable) range, as DESIGN.md specifies. Never holds secret bytes. */
export interface ManifestEntry {
  offset: number;
  length: number;
  kind: string;
  detector: string;
  confidence: Confidence;
  encoding: string;
  region: RegionRef;
  fingerprint?: string;
}

export interface Manifest {
  schema: typeof MANIFEST_SCHEMA;
  tool: { name: 'dumpscrub'; version: string };
  createdAt: string;
  policy: Policy;
  input: { name: string; size: number; sha256: string; format: string; warnings: string[] };
  output: { size: number; sha256: string };
  redactions: ManifestEntry[];
  review: ManifestEntry[];
  verified: boolean;
}
