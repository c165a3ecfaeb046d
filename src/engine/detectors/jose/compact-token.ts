/**
 * The JOSE compact serialisation (RFC 7515 §7.1, RFC 7516 §7.1) read from text: dot-separated
 * base64url segments whose first is a JSON header naming an `alg`. A JWS has 3 segments
 * (header.payload.signature), a JWE 5 (header.key.iv.ciphertext.tag, its header also has `enc`).
 */
import { base64UrlRunEnd, decodeBase64Url } from './base64url.ts';

export interface CompactToken {
  /** Chars from the start of the text: the token is text[0, end). */
  end: number;
  /** `jws` or `jwe`, from the header. */
  type: 'jws' | 'jwe';
  alg: string;
  /** Every segment present and, for a JWS, a payload that is JSON and a signature of the alg's size. */
  complete: boolean;
  /** True when the segment structure ran to the end of the text: a wider read may see more. */
  atEdge: boolean;
  /** JWS only: the ASCII text the signature covers (`header.payload`) and the decoded signature. */
  signingInput?: string;
  signature?: Uint8Array;
}

/** Signature bytes of the algorithms whose size does not depend on the key (RFC 7518 §3, RFC 8037). */
const SIGNATURE_BYTES: Record<string, number> = {
  HS256: 32,
  HS384: 48,
  HS512: 64,
  ES256: 64,
  ES256K: 64,
  ES384: 96,
  ES512: 132,
  none: 0,
};
/** RSA signatures are the size of the modulus: nothing shorter than RSA-512 is a complete one. */
const MIN_RSA_SIGNATURE_BYTES = 64;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The JSON object a segment decodes to, or null. */
function jsonObject(segment: string): Record<string, unknown> | null {
  const bytes = decodeBase64Url(segment);
  if (bytes === null || bytes.length < 2 || bytes[0] !== 0x7b) return null;
  try {
    const value: unknown = JSON.parse(utf8.decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function signatureComplete(alg: string, bytes: number): boolean {
  const expected = SIGNATURE_BYTES[alg];
  if (expected !== undefined) return bytes >= expected;
  if (/^(RS|PS)\d+$/.test(alg)) return bytes >= MIN_RSA_SIGNATURE_BYTES;
  return bytes > 0;
}

/** Splits the text at 0 into up to `max` dot-separated base64url segments. */
function segments(text: string, max: number): { starts: number[]; ends: number[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let at = 0; starts.length < max; at = ends[ends.length - 1]! + 1) {
    starts.push(at);
    ends.push(base64UrlRunEnd(text, at));
    if (text[ends[ends.length - 1]!] !== '.') break;
  }
  return { starts, ends };
}

/**
 * The token at the start of `text`, or null if there is none: the header must be a JSON object with
 * a string `alg`. A JWS whose payload is complete JSON but that has no signature segment at all is
 * no token (a `header.payload` pair is not a JWS); one whose payload or signature is cut short is
 * an incomplete token.
 */
export function readCompactToken(text: string): CompactToken | null {
  const { starts, ends } = segments(text, 5);
  const header = jsonObject(text.slice(0, ends[0]));
  if (header === null || typeof header.alg !== 'string' || starts.length < 2) return null;
  const alg = header.alg;
  const seg = (i: number) => (i < starts.length ? text.slice(starts[i], ends[i]) : null);
  const lastEnd = ends[ends.length - 1]!;
  const atEdge = lastEnd === text.length;

  if (typeof header.enc === 'string') {
    const complete = starts.length === 5 && [2, 3, 4].every((i) => seg(i)!.length > 0);
    return { end: complete ? ends[4]! : lastEnd, type: 'jwe', alg, complete, atEdge };
  }
  const payload = seg(1)!;
  const payloadJson = jsonObject(payload) !== null;
  const signatureText = seg(2);
  if (signatureText === null) {
    return payloadJson || payload.length === 0 ? null : { end: lastEnd, type: 'jws', alg, complete: false, atEdge };
  }
  const signature = decodeBase64Url(signatureText) ?? new Uint8Array(0);
  return {
    end: ends[2]!,
    type: 'jws',
    alg,
    complete: payloadJson && signatureComplete(alg, signature.length),
    atEdge: atEdge && starts.length === 3,
    signingInput: text.slice(0, ends[1]),
    signature,
  };
}
