/**
 * Oceans (detectors.md §5.3): long runs of uniformly random-looking bytes are compressed data or
 * ciphertext, not key material. A bignum is a small island (a 2048-bit key's values and their
 * Montgomery copies come to about 2.5 KiB, heap headers between them), while a random 16 MiB region
 * yields ~85 000 prime candidates per MiB. Searches that cost a division or a scalar multiplication
 * per candidate skip oceans; every other detector still reads them.
 */

/** Bytes per block whose distinct-byte count is measured. */
const BLOCK = 256;
/** Random 256-byte blocks hold ~162 distinct values (σ ≈ 6); text, pointers and code far fewer. */
const RANDOM_DISTINCT = 128;
/** A run of random blocks this long is an ocean: 4× the largest RSA-4096 key's bignums together. */
export const OCEAN_BYTES = 16 * 1024;

/** Sub-ranges of [from, to) that lie outside every ocean of `bytes`, in order. */
export function outsideOceans(bytes: Uint8Array, from: number, to: number): [number, number][] {
  const blocks = Math.ceil(bytes.length / BLOCK);
  const random = new Uint8Array(blocks);
  const seen = new Uint32Array(256);
  for (let b = 0; b < blocks; b++) {
    const stamp = b + 1;
    let distinct = 0;
    const end = Math.min(bytes.length, (b + 1) * BLOCK);
    for (let i = b * BLOCK; i < end; i++) {
      const v = bytes[i]!;
      if (seen[v] !== stamp) {
        seen[v] = stamp;
        distinct++;
      }
    }
    random[b] = distinct >= RANDOM_DISTINCT ? 1 : 0;
  }
  const ranges: [number, number][] = [];
  let keepFrom = from;
  const minBlocks = OCEAN_BYTES / BLOCK;
  for (let b = 0; b < blocks; ) {
    if (!random[b]) {
      b++;
      continue;
    }
    let e = b;
    while (e < blocks && random[e]) e++;
    if (e - b >= minBlocks) {
      // The ocean's edge blocks may hold the end of an island next to it: they stay searched.
      const oceanFrom = (b + 1) * BLOCK;
      const oceanTo = (e - 1) * BLOCK;
      if (oceanFrom > keepFrom) ranges.push([keepFrom, oceanFrom]);
      keepFrom = Math.max(keepFrom, oceanTo);
    }
    b = e;
  }
  if (keepFrom < to) ranges.push([keepFrom, to]);
  return ranges.map(([a, z]): [number, number] => [Math.max(a, from), Math.min(z, to)]).filter(([a, z]) => z > a);
}
