/**
 * Where public DER structures lie in raw memory: certificates, the TBSCertificate encodings OpenSSL
 * caches apart from them, SubjectPublicKeyInfos, RSAPublicKeys and ECDSA signatures. Their bytes are public, so a
 * search for private values skips them: in a process that loaded a CA bundle, signatures, moduli and
 * public points are most of the random-looking bytes around any public key.
 */
import { DerCursor, readAlgorithmIdentifier, readTlv, type Tlv } from './der-reader.ts';

/** Shorter structures are not worth recognising: a P-256 SubjectPublicKeyInfo is 91 bytes. */
const MIN_LENGTH = 64;
/** RSA moduli of 512 bits or more. */
const MIN_MODULUS = 64;

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature BIT STRING }. */
function isCertificate(bytes: Uint8Array, seq: Tlv, avail: number): boolean {
  const c = DerCursor.over(bytes, seq, avail);
  if (!c.take(0x30)) return false;
  const alg = c.take(0x30);
  return alg !== null && readAlgorithmIdentifier(bytes, alg, avail) !== null && c.take(0x03) !== null && c.done;
}

/** TBSCertificate: [0] version (optional), serial, signature, issuer, validity, subject, subjectPublicKeyInfo, … */
function isTbsCertificate(bytes: Uint8Array, seq: Tlv, avail: number): boolean {
  const c = DerCursor.over(bytes, seq, avail);
  if (c.peekTag() === 0xa0 && !c.take(0xa0)) return false;
  if (!c.take(0x02)) return false;
  for (let i = 0; i < 4; i++) if (!c.take(0x30)) return false;
  const spki = c.take(0x30);
  return spki !== null && isSpki(bytes, spki, avail);
}

/** SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING }. */
function isSpki(bytes: Uint8Array, seq: Tlv, avail: number): boolean {
  const c = DerCursor.over(bytes, seq, avail);
  const alg = c.take(0x30);
  return alg !== null && readAlgorithmIdentifier(bytes, alg, avail) !== null && c.take(0x03) !== null && c.done;
}

/**
 * Two unsigned INTEGERs and nothing else: RSAPublicKey { modulus (512 bits or more), publicExponent
 * (up to 128 bits) } or an ECDSA signature { r, s } (20 to 66 bytes each).
 */
function isIntegerPair(bytes: Uint8Array, seq: Tlv, avail: number): boolean {
  const c = DerCursor.over(bytes, seq, avail);
  const a = c.takeUnsigned();
  const b = a && c.takeUnsigned();
  if (!a || !b || !c.done) return false;
  const [first, second] = [a[1] - a[0], b[1] - b[0]];
  const isRsa = first >= MIN_MODULUS && second <= 16;
  const isSignature = [first, second].every((n) => n >= 20 && n <= 66);
  return isRsa || isSignature;
}

/**
 * [start, end) of every public structure that starts in bytes[from, to) and is whole by `avail`, in
 * order; one inside another is covered by the outer one.
 */
export function publicDerRanges(bytes: Uint8Array, from: number, to: number, avail: number): [number, number][] {
  const out: [number, number][] = [];
  const starts = bytes.subarray(0, to);
  for (let at = starts.indexOf(0x30, from); at >= 0; at = starts.indexOf(0x30, at + 1)) {
    const seq = readTlv(bytes, at, avail, avail);
    if (!seq || seq === 'cut' || seq.tag !== 0x30 || seq.end - at < MIN_LENGTH) continue;
    if (isCertificate(bytes, seq, avail) || isTbsCertificate(bytes, seq, avail) || isSpki(bytes, seq, avail) || isIntegerPair(bytes, seq, avail)) {
      out.push([at, seq.end]);
      at = seq.end - 1;
    }
  }
  return out;
}
