/**
 * RSA public keys in DER (detectors.md §4.3): PKCS#1 RSAPublicKey {n, e} and SubjectPublicKeyInfo
 * with rsaEncryption (what X.509 certificates and CSRs embed), read strictly with der-reader, plus
 * the sanity test every harvester applies before a modulus is worth a prime search.
 */
import { bigFromBE } from '../crypto/bigint.ts';
import { OID, oidTlv } from '../crypto/oids.ts';
import { DerCursor, headersEndingAt, readAlgorithmIdentifier, readTlv } from '../detectors/binary/der-reader.ts';
import type { RsaPublicKey } from './public-key.ts';

const MIN_BITS = 512;
const MAX_BITS = 16384;
/** Public exponents are small (65537, 3, 17…); CAPI even stores e in a u32. */
const MAX_EXPONENT_BITS = 32;

const bitLength = (v: bigint) => (v === 0n ? 0 : v.toString(2).length);

/** The key if it can be an RSA public key: n odd with 512–16384 bits, e odd, 3 ≤ e < 2^32. */
export function rsaPublicKey(n: bigint, e: bigint, source: string): RsaPublicKey | null {
  const bits = bitLength(n);
  if (bits < MIN_BITS || bits > MAX_BITS || !(n & 1n)) return null;
  if (e < 3n || !(e & 1n) || bitLength(e) > MAX_EXPONENT_BITS) return null;
  return { n, e, source };
}

/** The OID TLV of rsaEncryption: the anchor of an SPKI. */
export const RSA_ENCRYPTION_OID_TLV = String.fromCharCode(...oidTlv(OID.rsaEncryption));

/** RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }, exactly, wholly in bytes[…avail). */
export function rsaPublicKeyAt(bytes: Uint8Array, start: number, limit: number, avail: number, source: string): { key: RsaPublicKey; end: number } | null {
  const outer = readTlv(bytes, start, limit, avail);
  if (!outer || outer === 'cut' || outer.tag !== 0x30 || outer.end > avail) return null;
  const c = DerCursor.over(bytes, outer, avail);
  const n = c.takeUnsigned();
  const e = n && c.takeUnsigned();
  if (!n || !e || !c.done) return null;
  const key = rsaPublicKey(bigFromBE(bytes, ...n), bigFromBE(bytes, ...e), source);
  return key && { key, end: outer.end };
}

/**
 * The SubjectPublicKeyInfo whose AlgorithmIdentifier's OID TLV sits at `oidPos`:
 * SEQUENCE { SEQUENCE { rsaEncryption, NULL? }, BIT STRING { 00, RSAPublicKey } }.
 */
export function spkiAt(bytes: Uint8Array, oidPos: number, lo: number, avail: number, source: string): RsaPublicKey | null {
  for (const alg of headersEndingAt(bytes, oidPos, 0x30, lo)) {
    for (const start of headersEndingAt(bytes, alg, 0x30, lo)) {
      const outer = readTlv(bytes, start, Number.MAX_SAFE_INTEGER, avail);
      if (!outer || outer === 'cut' || outer.tag !== 0x30 || outer.end > avail) continue;
      const c = DerCursor.over(bytes, outer, avail);
      const algorithm = c.take(0x30);
      const id = algorithm && algorithm.contentStart === oidPos ? readAlgorithmIdentifier(bytes, algorithm, avail) : null;
      if (!id || id.oid !== OID.rsaEncryption) continue;
      if (id.params && !(id.params.tag === 0x05 && id.params.end === id.params.contentStart)) continue;
      const bits = c.take(0x03);
      if (!bits || !c.done || bits.end - bits.contentStart < 2 || bytes[bits.contentStart] !== 0) continue;
      const inner = rsaPublicKeyAt(bytes, bits.contentStart + 1, bits.end, avail, source);
      if (inner && inner.end === bits.end) return inner.key;
    }
  }
  return null;
}

/** Indices of `needle` in `bytes`. */
function indicesOf(bytes: Uint8Array, needle: string): number[] {
  const at: number[] = [];
  const first = needle.charCodeAt(0);
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    if (bytes[i] !== first) continue;
    for (let k = 1; k < needle.length; k++) if (bytes[i + k] !== needle.charCodeAt(k)) continue outer;
    at.push(i);
  }
  return at;
}

/**
 * The RSA public keys in a decoded DER document (a PEM body): an RSAPublicKey filling it, or every
 * SPKI inside it (a bare SPKI, or the one in a certificate or certificate request).
 */
export function rsaKeysInDer(der: Uint8Array, source: string): RsaPublicKey[] {
  const pkcs1 = rsaPublicKeyAt(der, 0, der.length, der.length, source);
  if (pkcs1 && pkcs1.end === der.length) return [pkcs1.key];
  const keys: RsaPublicKey[] = [];
  for (const oidPos of indicesOf(der, RSA_ENCRYPTION_OID_TLV)) {
    const key = spkiAt(der, oidPos, 0, der.length, source);
    if (key) keys.push(key);
  }
  return keys;
}
