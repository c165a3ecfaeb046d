/**
 * Text forms of a byte string that both the key sweep and the text-secret sweep build: latin1
 * (one char per byte, how needles are written), hex, and base64 at the 3 alignments a value can
 * start at inside a longer stream (detectors.md §4.1).
 */

/** One char per byte (0x00–0xFF): the form needles and raw anchors are written in. */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

const HEX = '0123456789abcdef';

export function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX[b >> 4]! + HEX[b & 15]!;
  return s;
}

/**
 * The 3 alignment needles of `bytes` inside a base64 (or base64url) stream:
 * needle_a = b64(a zero bytes ‖ S)[ceil(8a/6) : floor(8(a+|S|)/6)], i.e. without the chars that
 * also depend on the unknown bytes before or after S.
 */
export function base64Needles(bytes: Uint8Array, url: boolean): string[] {
  const out: string[] = [];
  for (let a = 0; a < 3; a++) {
    const prefixed = new Uint8Array(a + bytes.length);
    prefixed.set(bytes, a);
    let b64 = btoa(latin1(prefixed));
    if (url) b64 = b64.replace(/\+/g, '-').replace(/\//g, '_');
    out.push(b64.slice(Math.ceil((8 * a) / 6), Math.floor((8 * (a + bytes.length)) / 6)));
  }
  return out;
}
