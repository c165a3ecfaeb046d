/**
 * The byte strings the derived-encoding sweep searches for (detectors.md §4.1, §4.2): every layout a
 * runtime plausibly keeps a secret value in, so that zeroing one copy of a key does not leave another.
 *
 * Per secret value (RSA d, p, q, dp, dq, qinv — never n or e —, an EC scalar, an RFC 8410 private key,
 * a symmetric key):
 * - `bignum-be`: big-endian bytes (DER contents, CNG blobs, JWK, .NET RSAParameters); for integers the
 *   minimal form, plus the DER INTEGER contents form (leading 00) when the top bit is set. Fixed-width
 *   copies (CNG pads to cbPrime/cbModulus) contain the minimal form, so it finds them too.
 * - `bignum-le`: little-endian bytes, the significant bytes zero-padded to a 4-byte boundary. That is
 *   a prefix of OpenSSL's BIGNUM / Go big.nat layout (64-bit limbs, possibly followed by more zero
 *   limbs up to dmax) and exactly .NET BigInteger's uint[] and 32-bit limbs, and of CAPI's fixed width.
 * - `java-int-array`: java.math.BigInteger.mag, int[] most-significant first, each int little-endian
 *   in memory (BE padded to 4 bytes, each 32-bit word byte-swapped). For a byte-string key it is the
 *   "per-32-bit-word byte-swapped" form of §4.1: for an `aes-key` it finds the key as OpenSSL's
 *   generic C AES_KEY holds its first round key. The expanded schedules (forward, decryption,
 *   either byte order) are not needles: the aes-schedule scanner finds every one of them itself.
 * - `hex`, `hex-upper`: the BE bytes as hex (an integer's leading zero nibble left out, so both
 *   `0a1b…` and BigInteger.toString(16)'s `a1b…` match). Text: also searched as UTF-16LE.
 * - `base64`, `base64url`: the BE bytes inside a longer base64 stream, at the 3 alignments a value can
 *   start at (§4.1): needle_a = b64(a zero bytes ‖ S)[ceil(8a/6) : floor(8(a+|S|)/6)]. Text.
 * Needles shorter than MIN_NEEDLE_BYTES are dropped (chance matches), identical needles merged.
 * Text secrets (tokens, passwords) have needles of their own: text-needles.ts.
 */
import { bigToBE } from '../crypto/bigint.ts';
import { base64Needles, hex, latin1 } from './byte-forms.ts';
import { modInverse, privateExponents } from './rsa-math.ts';
import { textNeedles } from './text-needles.ts';
import type { SecretMaterial, TextSecret } from './secret.ts';

type TextFormEncoding = 'text' | 'url-encoded' | 'json-escaped';

export type SweepEncoding =
  | 'bignum-be'
  | 'bignum-le'
  | 'java-int-array'
  | 'hex'
  | 'hex-upper'
  | 'base64'
  | 'base64url'
  | 'pem-line'
  | TextFormEncoding
  | `${TextFormEncoding}-utf16le`
  | 'text-utf16be';

export interface SweepNeedle {
  /** The needle as latin1 (one char per byte). */
  bytes: string;
  /** ASCII text (hex, base64): also searched as UTF-16LE. */
  textForms: boolean;
  encoding: SweepEncoding;
  /**
   * UTF-16BE needles only: the same text as UTF-16LE bytes. Where they hold one byte after a hit,
   * the hit is the LE reading's and is reported by it (see text-needles.ts).
   */
  leTwin?: string;
}

/** Shorter needles match by chance too often to zero what they hit. */
export const MIN_NEEDLE_BYTES = 16;

/**
 * The private exponents of an RSA key: the stored d and both textbook choices, e⁻¹ mod λ(n) and
 * e⁻¹ mod φ(n) (OpenSSL 3 and FIPS 186 use λ, older code φ). Any one of them factors n, so a copy a
 * program re-derived the other way is as secret as the stored one.
 */
function rsaExponents(s: { e: bigint; d: bigint; p: bigint; q: bigint }): bigint[] {
  const out = [s.d];
  for (const d of privateExponents(s.e, s.p, s.q)) if (!out.includes(d)) out.push(d);
  return out;
}

/** The values to sweep: big-endian bytes, and whether they are integers (leading zeros insignificant). */
export function secretValues(secret: Exclude<SecretMaterial, TextSecret>): { be: Uint8Array; integer: boolean }[] {
  switch (secret.kind) {
    case 'rsa-private-key': {
      // Both CRT coefficients: q⁻¹ mod p (PKCS#1) and p⁻¹ mod q (OpenPGP's u, or PKCS#1 with p, q swapped).
      const otherCoefficient = modInverse(secret.p, secret.q) ?? 0n;
      const values = [...rsaExponents(secret), secret.p, secret.q, secret.dp, secret.dq, secret.qi];
      if (!values.includes(otherCoefficient)) values.push(otherCoefficient);
      return values.filter((v) => v > 0n).map((v) => ({ be: bigToBE(v), integer: true }));
    }
    case 'ec-private-key': {
      let i = 0;
      while (i < secret.scalar.length - 1 && secret.scalar[i] === 0) i++;
      return [{ be: secret.scalar.subarray(i), integer: true }];
    }
    case 'ed25519-private-key':
    case 'x25519-private-key':
    case 'ed448-private-key':
    case 'x448-private-key':
      return [{ be: secret.seed, integer: false }];
    default:
      return [{ be: secret.key, integer: false }];
  }
}

function reversed(bytes: Uint8Array): Uint8Array {
  return Uint8Array.from(bytes).reverse();
}

function padTo4(length: number): number {
  return Math.ceil(length / 4) * 4;
}

/** LE bytes, zero-padded at the top to a 4-byte boundary. */
function littleEndian(be: Uint8Array): Uint8Array {
  const out = new Uint8Array(padTo4(be.length));
  out.set(reversed(be));
  return out;
}

/** BigInteger.mag as it sits in memory: BE zero-padded to whole ints, each int byte-swapped. */
function javaIntArray(be: Uint8Array): Uint8Array {
  const padded = new Uint8Array(padTo4(be.length));
  padded.set(be, padded.length - be.length);
  for (let i = 0; i < padded.length; i += 4) padded.subarray(i, i + 4).reverse();
  return padded;
}

export type BinaryLayout = 'bignum-be' | 'bignum-le' | 'java-int-array';

/**
 * The byte layouts runtimes keep a value in: big-endian, little-endian (an integer zero-padded at
 * the top to 4 bytes) and Java's int[].
 */
export function binaryLayouts(be: Uint8Array, integer: boolean): { layout: BinaryLayout; bytes: Uint8Array }[] {
  return [
    { layout: 'bignum-be', bytes: be },
    { layout: 'bignum-le', bytes: integer ? littleEndian(be) : reversed(be) },
    { layout: 'java-int-array', bytes: javaIntArray(be) },
  ];
}

function valueNeedles(be: Uint8Array, integer: boolean): SweepNeedle[] {
  const raw = (bytes: Uint8Array, encoding: SweepEncoding): SweepNeedle => ({ bytes: latin1(bytes), textForms: false, encoding });
  const text = (chars: string, encoding: SweepEncoding): SweepNeedle => ({ bytes: chars, textForms: true, encoding });
  const needles = binaryLayouts(be, integer).map(({ layout, bytes }) => raw(bytes, layout));
  if (integer && be[0]! & 0x80) {
    const der = new Uint8Array(be.length + 1);
    der.set(be, 1);
    needles.push(raw(der, 'bignum-be'));
  }
  let h = hex(be);
  if (integer && h.length > 1 && h[0] === '0') h = h.slice(1);
  needles.push(text(h, 'hex'), text(h.toUpperCase(), 'hex-upper'));
  for (const b of base64Needles(be, false)) needles.push(text(b, 'base64'));
  for (const b of base64Needles(be, true)) needles.push(text(b, 'base64url'));
  return needles;
}

/**
 * Every needle for one secret without duplicates (the first encoding that produced a byte string
 * names it): a key's values in each encoding, at least MIN_NEEDLE_BYTES long; a text secret's
 * forms, whose length rules are its own (text-needles.ts).
 */
export function sweepNeedles(secret: SecretMaterial): SweepNeedle[] {
  const seen = new Set<string>();
  const out: SweepNeedle[] = [];
  const text = secret.kind === 'text-secret';
  const candidates = text
    ? textNeedles(secret.text)
    : [...secretValues(secret).flatMap(({ be, integer }) => valueNeedles(be, integer)), ...(secret.ders ?? []).flatMap(pemLineNeedles)];
  for (const needle of candidates) {
    const key = needleKey(needle);
    if ((!text && needle.bytes.length < MIN_NEEDLE_BYTES) || seen.has(key)) continue;
    seen.add(key);
    out.push(needle);
  }
  return out;
}

/** PEM wraps base64 at 64 chars (48 bytes), whatever wrote it: each line of the DER's armour. */
const PEM_LINE_CHARS = 64;

function pemLineNeedles(der: Uint8Array): SweepNeedle[] {
  const base64 = btoa(latin1(der));
  const lines: SweepNeedle[] = [];
  for (let at = 0; at < base64.length; at += PEM_LINE_CHARS) {
    lines.push({ bytes: base64.slice(at, at + PEM_LINE_CHARS), textForms: true, encoding: 'pem-line' });
  }
  return lines;
}

/** Identity of a needle for de-duplication: its bytes and whether UTF-16LE forms are searched too. */
export function needleKey(needle: { bytes: string; textForms: boolean }): string {
  return (needle.textForms ? 't' : 'r') + needle.bytes;
}
