import type { AnchorHit } from '../anchors.ts';
import type { Finding } from '../types.ts';
import type { ScanWindow } from '../window.ts';

/**
 * A detector: anchors → strict parse → validate → findings. `detect` is called once per anchor hit
 * whose first byte lies in the window's owned range; it returns findings with absolute file offsets
 * covering every byte to zero. It must never read outside `win.bytes` and must stay within
 * MAX_MATCH_BYTES of the anchor in both directions.
 */
export interface Detector {
  readonly id: string;
  /** ASCII literals, searched in ASCII and in UTF-16LE. */
  readonly anchors: readonly string[];
  /**
   * Byte strings searched as they are (magic numbers, DER headers), written as latin1 strings
   * (one char per byte, 0x00–0xFF). Their hits always have `wide: false`.
   */
  readonly rawAnchors?: readonly string[];
  /** `anchor` indexes this detector's `[...anchors, ...rawAnchors]`. */
  detect(win: ScanWindow, hit: AnchorHit, anchor: number): Finding[];
}

/**
 * A pass over a window's owned bytes that needs no anchor: structures found by their own maths
 * (expanded AES key schedules, entropy islands). It runs a WASM kernel over [ownStart, ownEnd) and
 * may read the window's context on both sides, within MAX_MATCH_BYTES, like a detector.
 */
export interface WindowScanner {
  readonly id: string;
  scan(win: ScanWindow): Finding[];
  /** After `scan`: what it could not finish in that window (a budget hit), for the manifest's warnings. */
  lastWarning?(): string | null;
}
