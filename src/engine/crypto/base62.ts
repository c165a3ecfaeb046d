/** Base-62 numerals, as token formats print their checksums. */

/** Digits, then upper case, then lower case: the order GitHub's and npm's token checksums use. */
export const BASE62_DIGITS_UPPER_FIRST = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * `value` (a non-negative integer below 2^53) in base 62, most significant digit first, left-padded
 * with the zero digit to `width` characters (a longer numeral is returned whole).
 */
export function base62(value: number, width: number, alphabet = BASE62_DIGITS_UPPER_FIRST): string {
  let out = '';
  for (let v = value; v > 0; v = Math.floor(v / 62)) out = alphabet[v % 62]! + out;
  return out.padStart(width, alphabet[0]);
}
