import type { DumpSummary } from './formats/dump-map.ts';
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
  /** `summary` (format, architecture, OS, process, threads, modules, memory) is an addition to schema 1: readers may ignore it. */
  input: { name: string; size: number; sha256: string; format: string; summary?: DumpSummary; warnings: string[] };
  output: { size: number; sha256: string };
  redactions: ManifestEntry[];
  review: ManifestEntry[];
  verified: boolean;
  /**
   * How many secrets and patterns of the user's own were applied (an addition to schema 1, absent
   * when none were given). The secrets and patterns themselves are never written.
   */
  userInput?: { secrets: number; patterns: number };
}
