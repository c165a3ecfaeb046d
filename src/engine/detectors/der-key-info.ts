/**
 * What a DER-encoded private key is, read from its first bytes, plus the base64 decoding the text
 * detectors share. Works on truncated input: a key cut off by a freed or overwritten buffer is
 * still classified from its prefix, and callers compare `derSequenceLength` with what they decoded.
 */

import { alphabetValues, decodeSextets } from '../text/base64.ts';

export type KeyKind =
  | 'rsa-private-key'
  | 'ec-private-key'
  | 'ed25519-private-key'
  | 'x25519-private-key'
  | 'dsa-private-key'
  | 'encrypted-private-key'
  | 'openssh-private-key'
  | 'pgp-private-key'
  | 'pkcs12'
  | 'private-key';

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = alphabetValues(BASE64_ALPHABET);

/** True for the 64 characters of the standard base64 alphabet (not `=`). */
export function isBase64Char(code: number): boolean {
  return code < 128 && BASE64_VALUE[code]! >= 0;
}

/** A line of a base64 body: alphabet chars, optional padding, optional trailing blanks. */
export const BASE64_LINE = /^[A-Za-z0-9+/]+={0,2}[ \t]*$/;

/**
 * Decodes standard base64 up to the first `=` (or the end). A trailing partial group yields the
 * whole bytes it holds, so a truncated body still decodes to its prefix. Null on any other char.
 */
export function decodeBase64(chars: string): Uint8Array | null {
  const padAt = chars.indexOf('=');
  return decodeSextets(chars, padAt < 0 ? chars.length : padAt, BASE64_VALUE);
}

interface Tlv {
  tag: number;
  /** Bytes of tag + length. */
  header: number;
  /** Bytes of contents. */
  length: number;
}

/** The TLV header at `at`; null if it is cut off or uses a length form no key uses. */
function readTlv(der: Uint8Array, at: number): Tlv | null {
  if (at + 2 > der.length) return null;
  const tag = der[at]!;
  const first = der[at + 1]!;
  if (first < 0x80) return { tag, header: 2, length: first };
  const count = first & 0x7f;
  // Keys fit in 3 length bytes (16 MiB); 0x80 is BER's indefinite form, never valid DER.
  if (count === 0 || count > 3 || at + 2 + count > der.length) return null;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + der[at + 2 + i]!;
  return { tag, header: 2 + count, length };
}

/** Total size (header + contents) the outer SEQUENCE declares, or null if `der` does not start with one. */
export function derSequenceLength(der: Uint8Array): number | null {
  const outer = readTlv(der, 0);
  return outer && outer.tag === 0x30 ? outer.header + outer.length : null;
}

/** Hex of the contents of the OID TLV at `at`, or null if there is no complete OID there. */
function oidAt(der: Uint8Array, at: number): string | null {
  const tlv = readTlv(der, at);
  if (!tlv || tlv.tag !== 0x06 || at + tlv.header + tlv.length > der.length) return null;
  let hex = '';
  for (let i = at + tlv.header; i < at + tlv.header + tlv.length; i++) hex += der[i]!.toString(16).padStart(2, '0');
  return hex;
}

/** PKCS#8 AlgorithmIdentifier OIDs (hex of the OID contents) with a more specific kind than `private-key`. */
const ALGORITHM_KINDS: Record<string, KeyKind> = {
  '2a864886f70d010101': 'rsa-private-key', // rsaEncryption
  '2a864886f70d01010a': 'rsa-private-key', // RSASSA-PSS
  '2a8648ce3d0201': 'ec-private-key', // id-ecPublicKey
  '2b6570': 'ed25519-private-key',
  '2b656e': 'x25519-private-key',
  '2a8648ce380401': 'dsa-private-key', // id-dsa
};

/** EncryptedPrivateKeyInfo schemes: PKCS#5 (PBES1 and PBES2) and PKCS#12 PBE OID arcs. */
const PBE_OID_PREFIXES = ['2a864886f70d0105', '2a864886f70d010c01'];

const PKCS7_DATA_OID = '2a864886f70d010701';

/**
 * The kind of private-key structure `der` starts with, or null if it is none of PKCS#1 RSA,
 * DSA (OpenSSL's traditional form), SEC1 EC, PKCS#8 (plain or encrypted) or PKCS#12.
 * Public keys (SubjectPublicKeyInfo) and certificates are rejected: their first child is a
 * SEQUENCE that is not a PBE AlgorithmIdentifier.
 */
export function classifyKeyDer(input: Uint8Array): KeyKind | null {
  const outer = readTlv(input, 0);
  if (!outer || outer.tag !== 0x30) return null;
  // Read only inside the declared contents: a prefix that claims fewer bytes than it holds is no key.
  const der = input.subarray(0, outer.header + outer.length);
  const at = outer.header;
  const first = readTlv(der, at);
  if (!first) return null;

  if (first.tag === 0x30) {
    const oid = oidAt(der, at + first.header);
    return oid && PBE_OID_PREFIXES.some((p) => oid.startsWith(p)) ? 'encrypted-private-key' : null;
  }
  if (first.tag !== 0x02 || first.length !== 1 || at + 3 > der.length) return null;
  const version = der[at + 2]!;
  const nextAt = at + 3;
  const next = readTlv(der, nextAt);
  if (!next) return null;

  if (version === 0 && next.tag === 0x02) {
    // RSAPrivateKey (version, n, e, …) or DSAPrivateKey (version, p, q, …): RSA's public exponent
    // is a few bytes, DSA's subprime q is 20–32 bytes.
    const third = readTlv(der, nextAt + next.header + next.length);
    return third && third.tag === 0x02 && third.length >= 20 ? 'dsa-private-key' : 'rsa-private-key';
  }
  if ((version === 0 || version === 1) && next.tag === 0x30) {
    const oid = oidAt(der, nextAt + next.header);
    return oid ? (ALGORITHM_KINDS[oid] ?? 'private-key') : null;
  }
  if (version === 1 && next.tag === 0x04) return 'ec-private-key';
  if (version === 3 && next.tag === 0x30) {
    return oidAt(der, nextAt + next.header) === PKCS7_DATA_OID ? 'pkcs12' : null;
  }
  return null;
}
