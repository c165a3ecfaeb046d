/**
 * Public key material harvested during pass 1 (detectors.md §4.3). A modulus is not a secret, but
 * it names one: the prime search tests candidate factors of every harvested modulus whose private
 * key was not found, so a key kept only as bignum limbs is still proven and swept.
 */
import type { AnchorHit } from '../anchors.ts';
import type { ScanWindow } from '../window.ts';

export interface RsaPublicKey {
  n: bigint;
  e: bigint;
  /** Where it was read from: `x509`, `spki`, `cng-rsapublic`, `capi-publickeyblob`, `jwk`, `ssh-rsa`. */
  source: string;
}

/** Like a Detector, but what it reads is public: it returns material, not findings to zero. */
export interface Harvester {
  readonly id: string;
  /** ASCII literals, searched in ASCII and in UTF-16LE. */
  readonly anchors: readonly string[];
  /** Byte strings (latin1) searched as they are. */
  readonly rawAnchors?: readonly string[];
  /** `anchor` indexes `[...anchors, ...rawAnchors]`; `hit.pos` lies in the window's owned range. */
  harvest(win: ScanWindow, hit: AnchorHit, anchor: number): RsaPublicKey[];
}
