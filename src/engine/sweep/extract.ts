/**
 * Recovers the secret values of a key a detector confirmed, so the sweep can search for their other
 * encodings. Input: a finding and the window it was found in. The key's bytes are read again from
 * the window with the detectors' own parsers (DER via der-reader/der-keys, text via text-view and
 * der-key-info) and re-checked by maths; anything not proven returns null.
 *
 * Accepted: high findings of `pem`, `base64-der` (PKCS#1, PKCS#8 RSA/EC/Ed25519/X25519/Ed448/X448,
 * SEC1 bodies), `der-private-key` (the same structures), `cng-blob` (RSA2, RSA3, ECS2/4/6, ECK2/4/6,
 * ECDV/ECKV) and `capi-blob` (PRIVATEKEYBLOB); and the symmetric blobs `cng-blob` KDBM and `capi-blob`
 * PLAINTEXTKEYBLOB, which their detectors never rate above medium (no maths can prove a raw key),
 * at medium or high.
 */
import { bigFromBE, bigFromLE, bigToBE, bytesEqual } from '../crypto/bigint.ts';
import { ecCurveByOid, ecCurvesBySize, ecPublicPoint, EC_CURVES, type EcCurve } from '../crypto/curves.ts';
import { ecFingerprint, okpFingerprint, rsaFingerprint } from '../crypto/fingerprint.ts';
import { okpByOid } from '../crypto/okp.ts';
import { checkRsa } from '../crypto/rsa.ts';
import { BASE64_LINE, decodeBase64, derSequenceLength } from '../detectors/der-key-info.ts';
import { NAMED_ECC } from '../detectors/binary/cng-blob.ts';
import { parseRsaPrivateKey, parseSec1, type Sec1Der } from '../detectors/binary/der-keys.ts';
import { DerCursor, readAlgorithmIdentifier, readTlv } from '../detectors/binary/der-reader.ts';
import { bytesAre, u32le } from '../detectors/binary/reach.ts';
import { readTextRun, unescapeView } from '../text/text-view.ts';
import type { Finding } from '../types.ts';
import type { ScanWindow } from '../window.ts';
import { modInverse, privateExponents } from './rsa-math.ts';
import type { EcSecret, OkpKind, RsaSecret, SecretMaterial, SymmetricSecret } from './secret.ts';

/** Encodings whose detector rates a raw symmetric key medium at best. */
const SYMMETRIC_BLOB_ENCODINGS = new Set(['cng-keydata', 'capi-plaintextkeyblob']);

export function extractSecret(win: ScanWindow, finding: Finding): SecretMaterial | null {
  const start = finding.offset - win.base;
  const end = start + finding.length;
  if (start < 0 || end > win.bytes.length || finding.length <= 0) return null;
  const symmetric = SYMMETRIC_BLOB_ENCODINGS.has(finding.encoding);
  if (finding.confidence !== 'high' && !(symmetric && finding.confidence === 'medium')) return null;

  let secret: SecretMaterial | null;
  try {
    secret = extractFrom(win.bytes, start, end, finding);
  } catch {
    // A parser or BigInt conversion refusing odd input means the bytes are not what the finding said.
    return null;
  }
  if (!secret) return null;
  // The finding and the re-read must name the same key (`private-key`: a PEM label that names no type).
  if (finding.kind !== 'private-key' && secret.kind !== finding.kind) return null;
  if (finding.fingerprint !== undefined && secret.fingerprint !== finding.fingerprint) return null;
  return secret;
}

function extractFrom(bytes: Uint8Array, start: number, end: number, finding: Finding): SecretMaterial | null {
  switch (finding.detector) {
    case 'pem':
    case 'base64-der': {
      const text = findingText(bytes, start, end, finding.encoding.endsWith('-utf16le'));
      const base64 = text === null ? null : finding.detector === 'pem' ? pemBody(text) : bareBody(text);
      const decoded = base64 === null ? null : decodeBase64(base64);
      // A bare run may go on into base64 chars that are not the key's: the DER says where it ends.
      const total = decoded && derSequenceLength(decoded);
      return decoded && total && total <= decoded.length ? secretFromDer(decoded.subarray(0, total)) : null;
    }
    case 'der-private-key':
      return secretFromDer(bytes.subarray(start, end));
    case 'cng-blob':
      return cngSecret(bytes, start, end, finding.kind);
    case 'capi-blob':
      return capiSecret(bytes, start, end, finding.kind);
    default:
      return null;
  }
}

// ---------------------------------------------------------------- text

/** The finding's chars, escapes decoded; null if any unit in the range is not text. */
function findingText(bytes: Uint8Array, start: number, end: number, wide: boolean): string | null {
  const step = wide ? 2 : 1;
  if ((end - start) % step !== 0) return null;
  const chars = (end - start) / step;
  const run = readTextRun(bytes, start, wide, 0, chars);
  if (run.text.length !== chars) return null;
  return unescapeView(run).text;
}

/** The base64 lines between a PEM block's BEGIN and END lines, joined. */
function pemBody(text: string): string | null {
  const begin = text.indexOf('-----BEGIN ');
  if (begin < 0) return null;
  const afterBegin = text.indexOf('-----', begin + 11);
  const endAt = text.indexOf('-----END ', afterBegin + 5);
  if (afterBegin < 0 || endAt < 0) return null;
  const lines = text.slice(afterBegin + 5, endAt).split(/\r\n|\r|\n/);
  let body = '';
  for (const line of lines) {
    const trimmed = line.trim();
    // Blank lines and armour headers (an encrypted block's Proc-Type) carry no key bytes.
    if (trimmed !== '' && BASE64_LINE.test(trimmed)) body += trimmed;
    else if (trimmed.includes(':')) return null;
  }
  return body;
}

/** A headerless base64 run: base64 chars broken by line breaks, optional padding at the end. */
function bareBody(text: string): string | null {
  const body = text.replace(/[\r\n]+/g, '');
  return /^[A-Za-z0-9+/]+={0,2}$/.test(body) ? body : null;
}

// ---------------------------------------------------------------- DER

/** A complete PKCS#8, PKCS#1 or SEC1 private key filling `der` exactly. */
export function secretFromDer(der: Uint8Array): SecretMaterial | null {
  if (derSequenceLength(der) !== der.length) return null;
  const secret = pkcs8Secret(der) ?? rsaSecretAt(der, 0, der.length) ?? ecSecretAt(der, 0, der.length, null);
  // A copy: a view would drag the whole chunk window along whenever the secret is posted to a worker.
  return secret && { ...secret, ders: [new Uint8Array(der)] };
}

const OKP_KINDS: Record<string, OkpKind> = {
  ed25519: 'ed25519-private-key',
  x25519: 'x25519-private-key',
  ed448: 'ed448-private-key',
  x448: 'x448-private-key',
};

/** PrivateKeyInfo / OneAsymmetricKey: version, AlgorithmIdentifier, privateKey, [0] attributes, [1] publicKey. */
function pkcs8Secret(der: Uint8Array): SecretMaterial | null {
  const avail = der.length;
  const outer = readTlv(der, 0, avail, avail);
  if (!outer || outer === 'cut' || outer.tag !== 0x30 || outer.end !== avail) return null;
  const c = DerCursor.over(der, outer, avail);
  if (!c.takeSmall(0) && !c.takeSmall(1)) return null;
  const alg = c.take(0x30);
  if (!alg) return null;
  const algorithm = readAlgorithmIdentifier(der, alg, avail);
  if (!algorithm) return null;
  const { oid, params } = algorithm;
  const pk = c.take(0x04);
  if (!pk) return null;
  if (c.peekTag() === 0xa0 && !c.take(0xa0)) return null;
  let publicKey: Uint8Array | null = null;
  if (c.peekTag() === 0x81) {
    const pub = c.take(0x81);
    if (!pub || pub.end - pub.contentStart < 2 || der[pub.contentStart] !== 0) return null;
    publicKey = der.subarray(pub.contentStart + 1, pub.end);
  }
  if (!c.done) return null;

  const okp = okpByOid(oid);
  if (okp) {
    const inner = new DerCursor(der, pk.contentStart, pk.end, avail);
    const key = inner.take(0x04);
    if (!key || !inner.done || key.end - key.contentStart !== okp.privateLength) return null;
    const seed = new Uint8Array(der.subarray(key.contentStart, key.end));
    const derived = okp.derivePublic(seed);
    if (publicKey && !bytesEqual(derived, publicKey)) return null;
    return { kind: OKP_KINDS[okp.algorithm]!, fingerprint: okpFingerprint(okp.oid, derived), seed };
  }
  if (oid === '2a864886f70d010101' || oid === '2a864886f70d01010a') return rsaSecretAt(der, pk.contentStart, pk.end);
  if (oid === '2a8648ce3d0201') {
    const curveOid = params && params.tag === 0x06 ? hexOf(der, params.contentStart, params.end) : null;
    return ecSecretAt(der, pk.contentStart, pk.end, curveOid);
  }
  return null;
}

function hexOf(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += bytes[i]!.toString(16).padStart(2, '0');
  return s;
}

/** A complete, consistent RSAPrivateKey filling der[from, to). */
function rsaSecretAt(der: Uint8Array, from: number, to: number): RsaSecret | null {
  const rsa = parseRsaPrivateKey(der, from, to, der.length);
  if (!rsa || !rsa.complete || rsa.end !== to) return null;
  const { n, e, d, p, q, dp, dq, qinv } = rsa.components;
  if (e === undefined || d === undefined || p === undefined || q === undefined) return null;
  if (dp === undefined || dq === undefined || qinv === undefined) return null;
  return rsaSecret({ n, e, d, p, q, dp, dq, qi: qinv });
}

/** The RSA secret if n = p·q and every CRT value agrees. */
export function rsaSecret(k: Omit<RsaSecret, 'kind' | 'fingerprint'>): RsaSecret | null {
  const check = checkRsa({ n: k.n, e: k.e, d: k.d, p: k.p, q: k.q, dp: k.dp, dq: k.dq, qinv: k.qi });
  if (!check.factored || !check.consistent) return null;
  return { kind: 'rsa-private-key', fingerprint: rsaFingerprint(k.n, k.e), ...k };
}

/** True if `stored` (SEC1 point, uncompressed or compressed) is the uncompressed point `derived`. */
function samePoint(derived: Uint8Array, stored: Uint8Array): boolean {
  if (stored[0] === 4) return bytesEqual(derived, stored);
  const size = (derived.length - 1) / 2;
  if (stored.length !== size + 1 || stored[0] !== 2 + (derived[derived.length - 1]! & 1)) return false;
  return bytesEqual(derived.subarray(1, 1 + size), stored.subarray(1));
}

/** A complete ECPrivateKey filling der[from, to), on a known curve, its public point matching if stored. */
function ecSecretAt(der: Uint8Array, from: number, to: number, curveOid: string | null): EcSecret | null {
  const sec1: Sec1Der | null = parseSec1(der, from, to, der.length);
  if (!sec1 || !sec1.complete || sec1.end !== to) return null;
  if (curveOid && sec1.paramsOid && curveOid !== sec1.paramsOid) return null;
  const oid = curveOid ?? sec1.paramsOid;
  const stored = sec1.publicKey ? der.subarray(sec1.publicKey[0], sec1.publicKey[1]) : null;
  const [dFrom, dTo] = sec1.d;
  const named = oid ? ecCurveByOid(oid) : undefined;
  if (oid && !named) return null;
  const candidates = named ? [named] : ecCurvesBySize(dTo - dFrom);
  // Without a curve name or a public point, a 32-byte scalar may be P-256 or secp256k1: unsure.
  if (!named && !stored && candidates.length !== 1) return null;
  return ecSecret(bigFromBE(der, dFrom, dTo), candidates, stored);
}

/** The EC secret on the first candidate curve where d is a valid scalar and d·G is `point` (if given). */
function ecSecret(d: bigint, curves: readonly EcCurve[], point: Uint8Array | null): EcSecret | null {
  for (const curve of curves) {
    const derived = ecPublicPoint(curve, d);
    if (!derived || (point && !samePoint(derived, point))) continue;
    return { kind: 'ec-private-key', curve: curve.name, fingerprint: ecFingerprint(curve.oid, derived), scalar: bigToBE(d, curve.size) };
  }
  return null;
}

// ---------------------------------------------------------------- CNG

const latin1At = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));

function cngSecret(bytes: Uint8Array, start: number, end: number, kind: string): SecretMaterial | null {
  if (end - start < 12) return null;
  const magic = latin1At(bytes, start, 4);
  if (magic === 'RSA2' || magic === 'RSA3') return cngRsa(bytes, start, end, magic === 'RSA3');
  if (magic === 'KDBM') {
    if (u32le(bytes, start + 4) !== 1) return null;
    return symmetric(bytes, start + 12, u32le(bytes, start + 8), end, kind);
  }
  const named = NAMED_ECC[magic];
  if (named) return cngEcc(bytes, start, end, [named]);
  if (magic === 'ECDV' || magic === 'ECKV') {
    const second = u32le(bytes, start + 4);
    return second === 1 ? cngEccFull(bytes, start, end) : cngEcc(bytes, start, end, ecCurvesBySize(second));
  }
  return null;
}

/** BCRYPT_RSAKEY_BLOB: header, then BE e, n, p, q (RSA2) and dp, dq, qinv, d (RSA3). */
function cngRsa(bytes: Uint8Array, start: number, end: number, full: boolean): RsaSecret | null {
  if (end - start < 24) return null;
  const [cbExp, cbMod, cbP, cbQ] = [8, 12, 16, 20].map((o) => u32le(bytes, start + o)) as [number, number, number, number];
  const sizes = [cbExp, cbMod, cbP, cbQ, ...(full ? [cbP, cbQ, cbP, cbMod] : [])];
  if (start + 24 + sizes.reduce((a, b) => a + b, 0) !== end) return null;
  const values: bigint[] = [];
  let at = start + 24;
  for (const size of sizes) {
    values.push(bigFromBE(bytes, at, at + size));
    at += size;
  }
  const [e, n, p, q] = values as [bigint, bigint, bigint, bigint];
  if (full) {
    const [dp, dq, qi, d] = values.slice(4) as [bigint, bigint, bigint, bigint];
    return rsaSecret({ n, e, d, p, q, dp, dq, qi });
  }
  return rsaFromPrimes(n, e, p, q);
}

/** RSA2 and similar layouts keep only e, n, p, q: the rest follows from them. */
export function rsaFromPrimes(n: bigint, e: bigint, p: bigint, q: bigint): RsaSecret | null {
  if (p < 3n || q < 3n || p * q !== n) return null;
  const d = privateExponents(e, p, q)[0];
  const qi = modInverse(q, p);
  if (d === undefined || qi === null) return null;
  return rsaSecret({ n, e, d, p, q, dp: d % (p - 1n), dq: d % (q - 1n), qi });
}

/** BCRYPT_ECCKEY_BLOB: magic, cbKey, X, Y, d. */
function cngEcc(bytes: Uint8Array, start: number, end: number, curves: readonly EcCurve[]): EcSecret | null {
  const size = u32le(bytes, start + 4);
  if (end !== start + 8 + 3 * size || !curves.some((c) => c.size === size)) return null;
  return eccPoint(bytes, start + 8, size, start + 8 + 2 * size, size, curves);
}

/** BCRYPT_ECCFULLKEY_BLOB: header, P, A, B, Gx, Gy, order, cofactor, seed, Qx, Qy, d. */
function cngEccFull(bytes: Uint8Array, start: number, end: number): EcSecret | null {
  if (end - start < 32) return null;
  const [field, order, cofactor, seed] = [16, 20, 24, 28].map((o) => u32le(bytes, start + o)) as [number, number, number, number];
  const p = start + 32;
  const qx = p + 5 * field + order + cofactor + seed;
  if (qx + 2 * field + order !== end) return null;
  const curves = EC_CURVES.filter(
    (c) => c.size === field && bigFromBE(bytes, p, p + field) === c.prime && bigFromBE(bytes, p + 5 * field, p + 5 * field + order) === c.order,
  );
  return eccPoint(bytes, qx, field, qx + 2 * field, order, curves);
}

/** X, Y (`size` bytes each from `x`) and d (`dSize` bytes at `d`): the secret if d·G = (X, Y) on a candidate curve. */
function eccPoint(bytes: Uint8Array, x: number, size: number, d: number, dSize: number, curves: readonly EcCurve[]): EcSecret | null {
  const point = new Uint8Array(1 + 2 * size);
  point[0] = 4;
  point.set(bytes.subarray(x, x + 2 * size), 1);
  return ecSecret(bigFromBE(bytes, d, d + dSize), curves, point);
}

// ---------------------------------------------------------------- CAPI

/** PRIVATEKEYBLOB: 07 02 00 00, ALG_ID, 'RSA2', bitlen, pubexp, LE n, p, q, dp, dq, qinv, d. PLAINTEXTKEYBLOB: 08 02 00 00, ALG_ID, length, key. */
function capiSecret(bytes: Uint8Array, start: number, end: number, kind: string): SecretMaterial | null {
  if (end - start < 12 || bytes[start + 1] !== 2 || bytes[start + 2] !== 0 || bytes[start + 3] !== 0) return null;
  if (bytes[start] === 8) return symmetric(bytes, start + 12, u32le(bytes, start + 8), end, kind);
  if (bytes[start] !== 7 || end - start < 20 || !bytesAre(bytes, start + 8, 'RSA2')) return null;
  const bits = u32le(bytes, start + 12);
  const e = BigInt(u32le(bytes, start + 16));
  const full = bits / 8;
  const half = Math.ceil(bits / 16);
  const sizes = [full, half, half, half, half, half, full];
  if (bits % 8 !== 0 || start + 20 + sizes.reduce((a, b) => a + b, 0) !== end) return null;
  const values: bigint[] = [];
  let at = start + 20;
  for (const size of sizes) {
    values.push(bigFromLE(bytes, at, at + size));
    at += size;
  }
  const [n, p, q, dp, dq, qi, d] = values as [bigint, bigint, bigint, bigint, bigint, bigint, bigint];
  return rsaSecret({ n, e, d, p, q, dp, dq, qi });
}

// ---------------------------------------------------------------- symmetric

function symmetric(bytes: Uint8Array, key: number, size: number, end: number, kind: string): SymmetricSecret | null {
  if (key + size !== end || size === 0) return null;
  if (kind !== 'aes-key' && kind !== 'symmetric-key') return null;
  return { kind, key: new Uint8Array(bytes.subarray(key, end)) };
}
