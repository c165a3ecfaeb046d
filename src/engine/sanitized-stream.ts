import type { ByteSource } from './source.ts';
import type { ByteRange } from './types.ts';

export interface SanitizedChunk {
  offset: number;
  input: Uint8Array;
  /** The same bytes with the redaction ranges zeroed (the input array itself when none apply). */
  output: Uint8Array;
}

/**
 * Reads `source` in order and yields each chunk beside its sanitized copy. `ranges` must be sorted
 * and disjoint (see mergeRanges). The input is never modified: a chunk with redactions is copied.
 */
export async function* sanitizedChunks(
  source: ByteSource,
  ranges: readonly ByteRange[],
  chunkSize: number,
): AsyncGenerator<SanitizedChunk> {
  let next = 0;
  for (let offset = 0; offset < source.size; offset += chunkSize) {
    const input = await source.read(offset, chunkSize);
    const end = offset + input.length;
    while (next < ranges.length && ranges[next]!.offset + ranges[next]!.length <= offset) next++;
    let output = input;
    for (let i = next; i < ranges.length && ranges[i]!.offset < end; i++) {
      // An explicit copy: on a Node Buffer, slice() would return a view and zero the input.
      if (output === input) output = new Uint8Array(input);
      const r = ranges[i]!;
      output.fill(0, Math.max(r.offset, offset) - offset, Math.min(r.offset + r.length, end) - offset);
    }
    yield { offset, input, output };
  }
}

/** True when every byte of `bytes` (found at file offset `offset`) inside `ranges` is zero. */
export function rangesAreZero(bytes: Uint8Array, offset: number, ranges: readonly ByteRange[]): boolean {
  const end = offset + bytes.length;
  for (const r of ranges) {
    const from = Math.max(r.offset, offset);
    const to = Math.min(r.offset + r.length, end);
    for (let i = from; i < to; i++) if (bytes[i - offset] !== 0) return false;
  }
  return true;
}
