/**
 * What a binary detector may read around an anchor hit, and the Finding it reports.
 *
 * The window holds MAX_MATCH_BYTES of context on each side of the owned range, but a hit near one end
 * of the owned range sees more on one side than a hit elsewhere. To find the same thing whatever the
 * chunking, every parser reads only [pos − MAX_MATCH_BYTES, pos + MAX_MATCH_BYTES) around the anchor,
 * clipped to the window (which is then clipped to the file): the result depends on the file alone.
 */
import type { Confidence, Finding } from '../../types.ts';
import { MAX_MATCH_BYTES, type ScanWindow } from '../../window.ts';

export interface Reach {
  bytes: Uint8Array;
  /** First index a parser may read. */
  lo: number;
  /** End (exclusive) of what a parser may read: data past it is treated as cut off. */
  hi: number;
  /** File offset of bytes[0]. */
  base: number;
}

export function reachAround(win: ScanWindow, pos: number): Reach {
  return {
    bytes: win.bytes,
    lo: Math.max(0, pos - MAX_MATCH_BYTES),
    hi: Math.min(win.bytes.length, pos + MAX_MATCH_BYTES),
    base: win.base,
  };
}

export function u32le(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

export function u32be(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/** True if bytes[at, at + text.length) spell `text` (latin1). */
export function bytesAre(bytes: Uint8Array, at: number, text: string): boolean {
  if (at < 0 || at + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

export interface FindingFields {
  kind: string;
  detector: string;
  confidence: Confidence;
  encoding: string;
  fingerprint?: string | undefined;
}

/** A finding over window indices [start, end). */
export function findingAt(reach: Reach, start: number, end: number, fields: FindingFields): Finding {
  const finding: Finding = {
    offset: reach.base + start,
    length: end - start,
    kind: fields.kind,
    detector: fields.detector,
    confidence: fields.confidence,
    encoding: fields.encoding,
  };
  if (fields.fingerprint) finding.fingerprint = fields.fingerprint;
  return finding;
}
