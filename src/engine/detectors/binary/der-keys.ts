/**
 * Parsers for private keys in DER, at arbitrary indices of a window: PKCS#1 RSAPrivateKey, SEC1
 * ECPrivateKey, PKCS#8 PrivateKeyInfo/OneAsymmetricKey, EncryptedPrivateKeyInfo and PKCS#12 PFX.
 * Each parse is strict (DER lengths, exact nesting), bounded (never past the reach), and does the
 * cheap structural checks before any BigInt or curve arithmetic.
 *
 * Confidence (see also rsaConfidence):
 * - RSA: high = complete and n = p·q with consistent CRT values; medium = the key is recoverable by
 *   maths from what is there (n = p·q, p or q alone dividing n, or a working d) but the structure is
 *   damaged or cut; low = the fields parse but no maths confirms them (e.g. another key's secrets).
 * - EC: high = complete and d·G equals the stored public point; medium = 0 < d < order without a
 *   public point to check (absent, or cut off); low = the stored point does not match d.
 * - Ed25519/X25519/Ed448/X448: high = the stored public key derives from the private key, or (no
 *   public key stored) the complete fixed-length template, whose 16 fixed bytes make a chance match
 *   negligible and every byte string of that length is a valid key; medium = cut off; low = the stored
 *   public key does not match.
 * - Encrypted PKCS#8 and PKCS#12: medium (structure only; ciphertext cannot be checked).
 * A structure cut off (by the end of the data or by overwritten bytes) is never high.
 */
import { bigFromBE, bytesEqual } from '../../crypto/bigint.ts';
import {
  ecCurveByOid,
  ecCurvesBySize,
  ecPublicPoint,
  isValidScalar,
  type EcCurve,
} from '../../crypto/curves.ts';
import { ecFingerprint, okpFingerprint, rsaFingerprint } from '../../crypto/fingerprint.ts';
import { looksRandom } from '../../crypto/entropy.ts';
import { okpByOid, type OkpType } from '../../crypto/okp.ts';
import { OID } from '../../crypto/oids.ts';
import { checkRsa, rsaConfidence, type RsaComponents } from '../../crypto/rsa.ts';
import type { Confidence } from '../../types.ts';
import { DerCursor, readAlgorithmIdentifier, headersEndingAt, oidAt, readTlv, type Tlv } from './der-reader.ts';
import type { Reach } from './reach.ts';

/** A key found in DER: window indices [start, end) to zero and what it is. */
export interface DerKeyMatch {
  start: number;
  end: number;
  /** The structure parsed exactly to its declared end. */
  complete: boolean;
  kind: string;
  encoding: string;
  confidence: Confidence;
  fingerprint?: string | undefined;
}

const UNBOUNDED = Number.MAX_SAFE_INTEGER;

// ---------------------------------------------------------------- PKCS#1

export interface RsaDer {
  start: number;
  /** Declared end of the SEQUENCE. */
  end: number;
  /** End of the last INTEGER read. */
  parsedEnd: number;
  complete: boolean;
  components: RsaComponents;
}

const RSA_NAMES = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qinv'] as const;

/**
 * RSAPrivateKey (version 0) at `start`: version, n, e, d, p, q, dp, dq, qinv. Returns the prefix that
 * parses if it holds at least n, e and d with plausible sizes (512–16384-bit n, e odd and ≤ 128 bits,
 * no field longer than n), else null.
 */
export function parseRsaPrivateKey(bytes: Uint8Array, start: number, limit: number, avail: number): RsaDer | null {
  const outer = readTlv(bytes, start, limit, avail);
  if (!outer || outer === 'cut' || outer.tag !== 0x30) return null;
  const c = DerCursor.over(bytes, outer, avail);
  if (!c.takeSmall(0)) return null;
  const n = c.takeUnsigned();
  if (!n) return null;
  const nLen = n[1] - n[0];
  // A whole key is about 4.5 times n; a longer declared length is not an RSA key.
  if (nLen < 64 || nLen > 2048 || outer.end - start > 5 * nLen + 128) return null;
  const fields: [number, number][] = [n];
  while (fields.length < 8) {
    const before = c.pos;
    const f = c.takeUnsigned();
    if (!f) break;
    const size = f[1] - f[0];
    if (fields.length === 1 ? size > 16 || !(bytes[f[1] - 1]! & 1) : size > nLen) {
      c.pos = before;
      break;
    }
    fields.push(f);
  }
  if (fields.length < 3) return null;
  const components: RsaComponents = { n: 0n };
  fields.forEach(([from, to], i) => (components[RSA_NAMES[i]!] = bigFromBE(bytes, from, to)));
  if (components.e! < 3n) return null;
  return {
    start,
    end: outer.end,
    parsedEnd: fields[fields.length - 1]![1],
    complete: fields.length === 8 && c.done && outer.end <= avail,
    components,
  };
}

/** The finding for a parsed RSAPrivateKey (bare or as PKCS#8 contents spanning [start, end)). */
function rsaMatch(rsa: RsaDer, start: number, end: number, complete: boolean, encoding: string, avail: number): DerKeyMatch {
  const confidence = rsaConfidence(checkRsa(rsa.components), complete);
  const { n, e } = rsa.components;
  return {
    start,
    // Zero the declared extent of a key proven by maths; a low one only spans what parsed.
    end: complete ? end : confidence === 'low' ? rsa.parsedEnd : Math.min(end, avail),
    complete,
    kind: 'rsa-private-key',
    encoding,
    confidence,
    fingerprint: rsaFingerprint(n, e!),
  };
}

/** PKCS#1 from the anchor `02 01 00 02` at `pos` (the version and the tag of n). */
export function pkcs1At(reach: Reach, pos: number): DerKeyMatch | null {
  const { bytes, lo, hi } = reach;
  // n is at least 64 bytes, so its length is in long form (81/82); cheap rejection first.
  const nl = bytes[pos + 4];
  if (nl !== 0x81 && nl !== 0x82) return null;
  for (const s of headersEndingAt(bytes, pos, 0x30, lo)) {
    const rsa = parseRsaPrivateKey(bytes, s, UNBOUNDED, hi);
    if (!rsa) continue;
    const match = rsaMatch(rsa, s, rsa.end, rsa.complete, 'der-pkcs1', hi);
    // The contents of a PKCS#8 key: reported once, by the PKCS#8 anchor.
    if (insidePkcs8(reach, match, [OID.rsaEncryption, OID.rsassaPss])) return null;
    return match;
  }
  return null;
}

// ---------------------------------------------------------------- SEC1

export interface Sec1Der {
  start: number;
  end: number;
  complete: boolean;
  d: [number, number];
  paramsOid: string | null;
  /** Index range of the encoded public point (after the BIT STRING's unused-bits byte). */
  publicKey: [number, number] | null;
}

/** ECPrivateKey (version 1) at `start`: version, d, [0] namedCurve, [1] publicKey. */
export function parseSec1(bytes: Uint8Array, start: number, limit: number, avail: number): Sec1Der | null {
  const outer = readTlv(bytes, start, limit, avail);
  if (!outer || outer === 'cut' || outer.tag !== 0x30 || outer.end - start > 400) return null;
  const c = DerCursor.over(bytes, outer, avail);
  if (!c.takeSmall(1)) return null;
  const d = c.take(0x04);
  if (!d || d.end - d.contentStart < 20 || d.end - d.contentStart > 66) return null;
  let paramsOid: string | null = null;
  let publicKey: [number, number] | null = null;
  let damaged = false;
  if (c.peekTag() === 0xa0) {
    const a0 = c.take(0xa0);
    const inner = a0 && DerCursor.over(bytes, a0, avail);
    paramsOid = inner?.takeOid() ?? null;
    if (!paramsOid || !inner!.done) damaged = true;
  }
  if (!damaged && c.peekTag() === 0xa1) {
    const a1 = c.take(0xa1);
    const inner = a1 && DerCursor.over(bytes, a1, avail);
    const bits = inner?.take(0x03);
    if (bits && inner!.done && bits.end - bits.contentStart > 1 && bytes[bits.contentStart] === 0) {
      publicKey = [bits.contentStart + 1, bits.end];
    } else {
      damaged = true;
    }
  }
  const complete = !damaged && c.done && outer.end <= avail;
  return { start, end: outer.end, complete, d: [d.contentStart, d.end], paramsOid, publicKey };
}

/**
 * Judges an EC private scalar. `curveOid` comes from the PKCS#8 AlgorithmIdentifier or the SEC1
 * parameters; without it the curve is guessed from the scalar size (and the public point if any).
 * `specific`: the surrounding structure is distinctive enough without a randomness check on d.
 */
function judgeEc(
  bytes: Uint8Array,
  sec1: Sec1Der,
  curveOid: string | null,
  specific: boolean,
): { confidence: Confidence; fingerprint?: string } | null {
  const [from, to] = sec1.d;
  const d = bigFromBE(bytes, from, to);
  if (d === 0n) return null;
  if (curveOid && !ecCurveByOid(curveOid)) {
    // A named curve we do not implement (brainpool, …): the structure is the only evidence.
    return specific || looksRandom(bytes, from, to) ? { confidence: 'medium' } : null;
  }
  const named = curveOid ? ecCurveByOid(curveOid) : undefined;
  if (named && (to - from > named.size || !isValidScalar(named, d))) return null;
  // Scalars are stored at the curve's size; without a named curve the size says which curves fit.
  const candidates: EcCurve[] = named ? [named] : ecCurvesBySize(to - from).filter((curve) => isValidScalar(curve, d));
  if (candidates.length === 0) return null;
  if (sec1.publicKey) {
    const point = bytes.subarray(sec1.publicKey[0], sec1.publicKey[1]);
    for (const curve of candidates) {
      const derived = ecPublicPoint(curve, d);
      if (derived && samePoint(derived, point)) {
        return { confidence: sec1.complete ? 'high' : 'medium', fingerprint: ecFingerprint(curve.oid, derived) };
      }
    }
    // The stored point is not d·G: the structure contradicts itself.
    return { confidence: 'low' };
  }
  // No public point to check against: the scalar's range and the structure are the evidence.
  if (!specific && !looksRandom(bytes, from, to)) return null;
  if (candidates.length > 1) return { confidence: 'medium' }; // P-256 or secp256k1: no fingerprint
  const curve = candidates[0]!;
  return { confidence: 'medium', fingerprint: ecFingerprint(curve.oid, ecPublicPoint(curve, d)!) };
}

/** True if `stored` (SEC1 point encoding, uncompressed or compressed) is the uncompressed point `derived`. */
function samePoint(derived: Uint8Array, stored: Uint8Array): boolean {
  if (stored[0] === 4) return bytesEqual(derived, stored);
  const size = (derived.length - 1) / 2;
  if (stored.length !== size + 1 || stored[0] !== 2 + (derived[derived.length - 1]! & 1)) return false;
  return bytesEqual(derived.subarray(1, 1 + size), stored.subarray(1));
}

/** SEC1 from the anchor `02 01 01 04 LL` at `pos`. */
export function sec1At(reach: Reach, pos: number): DerKeyMatch | null {
  const { bytes, lo, hi } = reach;
  for (const s of headersEndingAt(bytes, pos, 0x30, lo)) {
    const sec1 = parseSec1(bytes, s, UNBOUNDED, hi);
    if (!sec1) continue;
    const judged = judgeEc(bytes, sec1, sec1.paramsOid, sec1.paramsOid !== null || sec1.publicKey !== null);
    if (!judged) continue;
    const match: DerKeyMatch = {
      start: s,
      end: Math.min(sec1.end, hi),
      complete: sec1.complete,
      kind: 'ec-private-key',
      encoding: 'der-sec1',
      ...judged,
    };
    return insidePkcs8(reach, match, [OID.ecPublicKey]) ? null : match;
  }
  return null;
}

// ---------------------------------------------------------------- PKCS#8

const OKP_KINDS: Record<OkpType['algorithm'], string> = {
  ed25519: 'ed25519-private-key',
  x25519: 'x25519-private-key',
  ed448: 'ed448-private-key',
  x448: 'x448-private-key',
};

/** Where the outer SEQUENCE of a PKCS#8 key starts, given the index of its algorithm OID TLV. */
function pkcs8Starts(bytes: Uint8Array, oidPos: number, lo: number): number[] {
  const starts: number[] = [];
  for (const alg of headersEndingAt(bytes, oidPos, 0x30, lo)) {
    const v = alg - 3;
    if (v < lo || bytes[v] !== 0x02 || bytes[v + 1] !== 0x01 || bytes[v + 2]! > 1) continue;
    starts.push(...headersEndingAt(bytes, v, 0x30, lo));
  }
  return starts;
}

/**
 * PrivateKeyInfo / OneAsymmetricKey whose AlgorithmIdentifier OID TLV sits at `oidPos`: version 0|1,
 * AlgorithmIdentifier, OCTET STRING privateKey, [0] attributes, [1] publicKey.
 */
export function pkcs8At(reach: Reach, oidPos: number): DerKeyMatch | null {
  const { bytes, lo, hi } = reach;
  for (const s of pkcs8Starts(bytes, oidPos, lo)) {
    const match = parsePkcs8(bytes, s, oidPos, hi);
    if (match) return match;
  }
  return null;
}

function parsePkcs8(bytes: Uint8Array, s: number, oidPos: number, avail: number): DerKeyMatch | null {
  const outer = readTlv(bytes, s, UNBOUNDED, avail);
  if (!outer || outer === 'cut' || outer.tag !== 0x30 || outer.end - s > 12 * 1024) return null;
  const c = DerCursor.over(bytes, outer, avail);
  const version = bytes[c.pos + 2]!;
  if (!c.takeSmall(version) || version > 1) return null;
  const alg = c.take(0x30);
  if (!alg || alg.contentStart !== oidPos) return null;
  const algorithm = readAlgorithmIdentifier(bytes, alg, avail);
  if (!algorithm) return null;
  const { oid, params } = algorithm;
  const pk = c.open(0x04);
  if (!pk) return null;
  let publicKey: [number, number] | null = null;
  let tail = true;
  if (c.peekTag() === 0xa0) tail = c.take(0xa0) !== null;
  if (tail && version === 1 && c.peekTag() === 0x81) {
    const pub = c.take(0x81);
    if (pub && pub.end - pub.contentStart > 1 && bytes[pub.contentStart] === 0) publicKey = [pub.contentStart + 1, pub.end];
    else tail = false;
  }
  const wrapperComplete = tail && c.done && outer.end <= avail;

  if (oid === OID.rsaEncryption || oid === OID.rsassaPss) {
    if (oid === OID.rsaEncryption && params && !(params.tag === 0x05 && params.end === params.contentStart)) return null;
    if (oid === OID.rsassaPss && params && params.tag !== 0x30) return null;
    const rsa = parseRsaPrivateKey(bytes, pk.contentStart, pk.end, avail);
    if (!rsa) return null;
    const complete = wrapperComplete && rsa.complete && rsa.end === pk.end;
    const match = rsaMatch(rsa, s, outer.end, complete, 'der-pkcs8', avail);
    // A low finding spans what parsed, inner key included.
    if (match.confidence === 'low') match.end = rsa.parsedEnd;
    return match;
  }
  if (oid === OID.ecPublicKey) {
    const curveOid = params && params.tag === 0x06 ? oidHex(bytes, params) : null;
    if (params && !curveOid) return null;
    const sec1 = parseSec1(bytes, pk.contentStart, pk.end, avail);
    if (!sec1) return null;
    if (curveOid && sec1.paramsOid && sec1.paramsOid !== curveOid) return null;
    const complete = wrapperComplete && sec1.complete && sec1.end === pk.end;
    const judged = judgeEc(bytes, { ...sec1, complete }, curveOid ?? sec1.paramsOid, true);
    if (!judged) return null;
    return { start: s, end: complete ? outer.end : Math.min(outer.end, avail), complete, kind: 'ec-private-key', encoding: 'der-pkcs8', ...judged };
  }
  const okp = okpByOid(oid);
  if (!okp || params) return null;
  // CurvePrivateKey ::= OCTET STRING, inside the privateKey OCTET STRING.
  const inner = new DerCursor(bytes, pk.contentStart, pk.end, avail);
  const key = inner.open(0x04);
  if (!key || key.end - key.contentStart !== okp.privateLength || key.end !== pk.end) return null;
  const keyAvailable = key.end <= avail;
  const complete = wrapperComplete && keyAvailable;
  let confidence: Confidence = complete ? 'high' : 'medium';
  let fingerprint: string | undefined;
  if (keyAvailable) {
    if (isConstant(bytes, key.contentStart, key.end)) return null;
    const derived = okp.derivePublic(bytes.subarray(key.contentStart, key.end));
    fingerprint = okpFingerprint(okp.oid, derived);
    if (publicKey && !bytesEqual(derived, bytes.subarray(publicKey[0], publicKey[1]))) confidence = 'low';
  }
  return {
    start: s,
    end: complete ? outer.end : Math.min(outer.end, avail),
    complete,
    kind: OKP_KINDS[okp.algorithm],
    encoding: 'der-pkcs8',
    confidence,
    fingerprint,
  };
}

function oidHex(bytes: Uint8Array, t: Tlv): string {
  let hex = '';
  for (let i = t.contentStart; i < t.end; i++) hex += bytes[i]!.toString(16).padStart(2, '0');
  return hex;
}

function isConstant(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from + 1; i < to; i++) if (bytes[i] !== bytes[from]) return false;
  return true;
}

const RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

/**
 * True if `inner` (a PKCS#1 or SEC1 key) is the private key of a PKCS#8 structure, found by searching
 * back for its algorithm OID, that covers it with at least the same confidence: the PKCS#8 anchor
 * reports it, so the inner anchor yields no second finding.
 */
function insidePkcs8(reach: Reach, inner: DerKeyMatch, oids: readonly string[]): boolean {
  const { bytes, lo } = reach;
  for (let at = inner.start - 4; at >= Math.max(lo, inner.start - 160); at--) {
    if (bytes[at] !== 0x06 || !oids.some((oid) => oidAt(bytes, at, oid))) continue;
    const outer = pkcs8At(reach, at);
    if (outer && outer.start < inner.start && outer.end >= inner.end && RANK[outer.confidence] >= RANK[inner.confidence]) {
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------- EncryptedPrivateKeyInfo

/** Cipher block size for an encryption-scheme OID (1 when unknown or a stream/AEAD mode). */
function blockSize(encOid: string): number {
  if (encOid.startsWith('6086480165030401') && encOid.length === 18) {
    const mode = parseInt(encOid.slice(16), 16) % 20;
    return mode === 1 || mode === 2 ? 16 : 1; // ECB/CBC of AES-128/192/256
  }
  if (encOid === '2a864886f70d0307' || encOid === '2b0e030207' || encOid === '2a864886f70d0302') return 8; // 3DES, DES, RC2
  return 1;
}

/** PBES1 and PKCS#12 PBE schemes: block size by the OID's last byte. */
function pbeBlockSize(oid: string): number | null {
  if (oid.startsWith('2a864886f70d0105') && oid.length === 18) {
    const v = parseInt(oid.slice(16), 16);
    if (v === 0x0d) return 0; // PBES2: from the encryption scheme
    return [0x01, 0x03, 0x04, 0x06, 0x0a, 0x0b].includes(v) ? 8 : null;
  }
  if (oid.startsWith('2a864886f70d010c01') && oid.length === 20) {
    const v = parseInt(oid.slice(18), 16);
    return v === 1 || v === 2 ? 1 : v >= 3 && v <= 6 ? 8 : null; // RC4 / 3DES, RC2
  }
  return null;
}

/** EncryptedPrivateKeyInfo whose encryptionAlgorithm OID TLV sits at `oidPos`. */
export function encryptedPkcs8At(reach: Reach, oidPos: number): DerKeyMatch | null {
  const { bytes, lo, hi } = reach;
  for (const alg of headersEndingAt(bytes, oidPos, 0x30, lo)) {
    for (const s of headersEndingAt(bytes, alg, 0x30, lo)) {
      const match = parseEncryptedPkcs8(bytes, s, hi);
      if (match) return match;
    }
  }
  return null;
}

function parseEncryptedPkcs8(bytes: Uint8Array, s: number, avail: number): DerKeyMatch | null {
  const outer = readTlv(bytes, s, UNBOUNDED, avail);
  if (!outer || outer === 'cut' || outer.tag !== 0x30 || outer.end - s > 64 * 1024) return null;
  const c = DerCursor.over(bytes, outer, avail);
  const alg = c.take(0x30);
  if (!alg) return null;
  const ac = DerCursor.over(bytes, alg, avail);
  const oid = ac.takeOid();
  let block = oid ? pbeBlockSize(oid) : null;
  if (block === null) return null;
  const params = ac.take(0x30);
  if (!params || !ac.done) return null;
  const pc = DerCursor.over(bytes, params, avail);
  if (block === 0) {
    // PBES2-params: keyDerivationFunc and encryptionScheme, each an AlgorithmIdentifier.
    const kdf = pc.take(0x30);
    const enc = pc.take(0x30);
    if (!kdf || !enc || !pc.done || !DerCursor.over(bytes, kdf, avail).takeOid()) return null;
    const encOid = DerCursor.over(bytes, enc, avail).takeOid();
    if (!encOid) return null;
    block = blockSize(encOid);
  } else {
    // PBEParameter / pkcs-12PbeParams: salt, iteration count.
    if (!pc.take(0x04) || !pc.takeUnsigned() || !pc.done) return null;
  }
  const data = c.open(0x04);
  if (!data || data.end === data.contentStart || (data.end - data.contentStart) % block !== 0 || !c.done) return null;
  const complete = outer.end <= avail;
  return {
    start: s,
    end: Math.min(outer.end, avail),
    complete,
    kind: 'encrypted-private-key',
    encoding: 'der-pkcs8-encrypted',
    confidence: 'medium',
  };
}

// ---------------------------------------------------------------- PKCS#12

/** PFX from the anchor `02 01 03 30` at `pos` (version 3, then the authSafe ContentInfo). */
export function pkcs12At(reach: Reach, pos: number): DerKeyMatch | null {
  const { bytes, lo, hi } = reach;
  // The authSafe holds the whole store: always long-form length, then the contentType OID.
  const al = bytes[pos + 4]!;
  if (al < 0x81 || al > 0x84 || bytes[pos + 5 + (al & 0x7f)] !== 0x06) return null;
  for (const s of headersEndingAt(bytes, pos, 0x30, lo)) {
    const match = parsePkcs12(bytes, s, hi);
    if (match) return match;
  }
  return null;
}

function parsePkcs12(bytes: Uint8Array, s: number, avail: number): DerKeyMatch | null {
  const outer = readTlv(bytes, s, UNBOUNDED, avail);
  if (!outer || outer === 'cut' || outer.tag !== 0x30) return null;
  const c = DerCursor.over(bytes, outer, avail);
  if (!c.takeSmall(3)) return null;
  const authSafe = c.open(0x30);
  if (!authSafe) return null;
  const ac = DerCursor.over(bytes, authSafe, avail);
  const contentType = ac.takeOid();
  if (contentType !== OID.pkcs7Data && contentType !== OID.pkcs7SignedData) return null;
  const content = ac.open(0xa0);
  if (!content || content.end !== authSafe.end || content.end === content.contentStart) return null;
  if (contentType === OID.pkcs7Data) {
    const inner = new DerCursor(bytes, content.contentStart, content.end, avail).open(0x04);
    if (!inner || inner.end !== content.end) return null;
  }
  if (authSafe.end <= avail && !c.done) {
    // MacData: DigestInfo {AlgorithmIdentifier, digest}, macSalt, iterations (optional). One cut
    // off by the end of the data is accepted; one that is there but malformed is not.
    const mac = c.take(0x30);
    if (mac) {
      const mc = DerCursor.over(bytes, mac, avail);
      const digestInfo = mc.take(0x30);
      const dc = digestInfo && DerCursor.over(bytes, digestInfo, avail);
      if (!dc || !dc.take(0x30) || !dc.take(0x04) || !dc.done || !mc.take(0x04)) return null;
      if (!mc.done) mc.takeUnsigned();
      if (!mc.done || !c.done) return null;
    } else if (!c.cut) {
      return null;
    }
  }
  const complete = outer.end <= avail && c.done;
  return {
    start: s,
    end: Math.min(outer.end, avail),
    complete,
    kind: 'pkcs12',
    encoding: 'der-pkcs12',
    confidence: 'medium',
  };
}
