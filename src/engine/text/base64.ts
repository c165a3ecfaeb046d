/**
 * The bit-packing shared by the base64 decoders (standard base64 in der-key-info.ts, base64url in
 * jose/base64url.ts): each decides where the data ends and which alphabet applies, this packs.
 */

/** Char code → 6-bit value (−1 outside the alphabet), for ASCII codes. */
export function alphabetValues(alphabet: string): Int8Array {
  const values = new Int8Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) values[alphabet.charCodeAt(i)] = i;
  return values;
}

/** The whole bytes the first `n` chars hold; null on a char outside the alphabet. */
export function decodeSextets(chars: string, n: number, values: Int8Array): Uint8Array | null {
  const out = new Uint8Array(Math.floor((n * 6) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < n; i++) {
    const code = chars.charCodeAt(i);
    const v = code < 128 ? values[code]! : -1;
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}
