/** Shared vocabulary of the engine. Plain data only: everything here crosses worker boundaries. */


export type Confidence = 'high' | 'medium' | 'low';

/** A half-open byte range [offset, offset + length) in the dump file. */
export interface ByteRange {
  offset: number;
  length: number;
}

/** Where a finding sits in the dump (filled once formats are parsed; `raw` until then). */
export interface RegionRef {
  kind: string;
  va?: string;
  module?: string;
  thread?: number;
}

import type { SecretMaterial } from './sweep/secret.ts';

/**
 * One secret found in the dump: the exact bytes to zero and why. `secret` (the key's values, for
 * the derived sweep) stays inside the engine: every output goes through toManifestEntry.
 */
export interface Finding extends ByteRange {
  /** What was found, e.g. `rsa-private-key`, `openssh-private-key`, `private-key`. */
  kind: string;
  /** Which detector found it, e.g. `pem`, `base64-der`, `ppk`. */
  detector: string;
  confidence: Confidence;
  /** How it was stored, e.g. `pem`, `pem-utf16le`, `base64-der-utf16le`. */
  encoding: string;
  /** Identifies the key without revealing it (SHA-256 of the SPKI where known). */
  fingerprint?: string;
  region?: RegionRef;
  secret?: SecretMaterial;
}

export type Policy = 'standard' | 'strict' | 'stacks-only';

export const POLICIES: readonly Policy[] = ['standard', 'strict', 'stacks-only'];
