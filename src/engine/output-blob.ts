import type { ByteRange } from './types.ts';

const ZERO_BLOCK = new Uint8Array(1024 * 1024);

/**
 * The sanitized dump as a Blob: untouched slices of the input and zero-filled parts, so no copy of
 * the dump is ever held in memory. `ranges` must be sorted and disjoint (see mergeRanges).
 */
export function composeSanitizedBlob(input: Blob, ranges: readonly ByteRange[], type = 'application/octet-stream'): Blob {
  const parts: BlobPart[] = [];
  let at = 0;
  for (const r of ranges) {
    if (r.offset > at) parts.push(input.slice(at, r.offset));
    for (let left = r.length; left > 0; left -= ZERO_BLOCK.length) {
      parts.push(left >= ZERO_BLOCK.length ? ZERO_BLOCK : ZERO_BLOCK.subarray(0, left));
    }
    at = r.offset + r.length;
  }
  if (at < input.size) parts.push(input.slice(at));
  return new Blob(parts, { type });
}
