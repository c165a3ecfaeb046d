/**
 * base64url (RFC 4648 §5), the alphabet of every JOSE segment and JWK member. Padding is optional in
 * JOSE, but producers that reuse a plain base64 encoder leave it on, so a trailing `=` or `==` is read.
 */

import { alphabetValues, decodeSextets } from '../../text/base64.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE = alphabetValues(ALPHABET);

/** True for the 64 characters of the base64url alphabet (not `=`). */
export function isBase64UrlChar(code: number): boolean {
  return code < 128 && VALUE[code]! >= 0;
}

/** Index just past the base64url run starting at `at` and its optional `=`/`==` padding. */
export function base64UrlRunEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && isBase64UrlChar(text.charCodeAt(i))) i++;
  if (text[i] === '=') i += text[i + 1] === '=' ? 2 : 1;
  return i;
}

/**
 * Decodes base64url, padded or not. Null on a char outside the alphabet, on a length no encoder
 * produces (a lone trailing char, 4k + 1), or on padding anywhere but the end.
 */
export function decodeBase64Url(chars: string): Uint8Array | null {
  let n = chars.length;
  while (n > 0 && chars[n - 1] === '=') n--;
  if (chars.length - n > 2 || n % 4 === 1) return null;
  return decodeSextets(chars, n, VALUE);
}
