/**
 * Chunk windows. A chunk owns the byte range [start, end); the detectors see that range plus a
 * margin on both sides, so any match up to MAX_MATCH_BYTES long that *starts its anchor* inside the
 * owned range is seen whole by exactly one chunk, whatever the chunk size.
 */

/** Longest match any detector may report, and how far it may look back from its anchor (bytes). */
export const MAX_MATCH_BYTES = 128 * 1024;

export interface ScanWindow {
  /** The window's bytes: owned range plus up to MAX_MATCH_BYTES of context on each side. */
  bytes: Uint8Array;
  /** File offset of bytes[0]. */
  base: number;
  /** Index in `bytes` where the owned range starts. */
  ownStart: number;
  /** Index in `bytes` where the owned range ends (exclusive). */
  ownEnd: number;
  /** True when bytes[0] is the first byte of the file. */
  atFileStart: boolean;
  /** True when the last byte of `bytes` is the last byte of the file. */
  atFileEnd: boolean;
}

/** File range a chunk must read to build its window. */
export function windowRange(start: number, end: number, fileSize: number): { from: number; to: number } {
  return {
    from: Math.max(0, start - MAX_MATCH_BYTES),
    to: Math.min(fileSize, end + MAX_MATCH_BYTES),
  };
}

export function makeWindow(bytes: Uint8Array, from: number, start: number, end: number, fileSize: number): ScanWindow {
  return {
    bytes,
    base: from,
    ownStart: start - from,
    ownEnd: end - from,
    atFileStart: from === 0,
    atFileEnd: from + bytes.length === fileSize,
  };
}
