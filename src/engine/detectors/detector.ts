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
  /** ASCII literals searched in ASCII and UTF-16LE. */
  readonly anchors: readonly string[];
  /** `anchor` indexes this detector's own `anchors` list. */
  detect(win: ScanWindow, hit: AnchorHit, anchor: number): Finding[];
}
