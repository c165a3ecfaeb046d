/**
 * Detector `ec-scalar-search` (issue #4 items 2 and 3; detectors.md §4.3 "Extensions", S19): EC
 * private scalars and Ed25519 seeds that no structure marks, found next to their public key.
 *
 * An `openssl s_server` holding a P-256 key keeps the scalar only as little-endian BIGNUM limbs; the
 * public point is in the certificate's SubjectPublicKeyInfo some kilobytes away. This detector anchors
 * on the public key, then searches the neighbourhood for the private value (scalar-search.ts):
 * - the AlgorithmIdentifier of an EC SubjectPublicKeyInfo (id-ecPublicKey with P-256, P-384, P-521 or
 *   secp256k1), followed by the BIT STRING of a point of that curve (uncompressed or compressed);
 * - the fixed prefix of an Ed25519 SubjectPublicKeyInfo, followed by the 32-byte public key;
 * - CNG public ECC blobs `ECS1/3/5` and `ECK1/3/5` (magic, cbKey, X, Y) for P-256/384/521.
 * EC scalars are searched as little-endian limbs at 8-aligned file offsets (OpenSSL, Go and .NET
 * bignums) and big-endian at 4-aligned offsets; Ed25519 seeds as raw bytes directly before a copy of
 * the public key (seed ‖ public, as Go and libsodium keep them), then at 4-aligned offsets. A value
 * little-endian at an offset that is 4- but not 8-aligned is not searched.
 *
 * A value whose public key equals the anchored one is proven: a high finding over its bytes alone
 * (encoding `bignum-le`, `bignum-be` or `raw`) with the public key's fingerprint and the secret, so the
 * derived sweep removes every other copy. The public key is public: never a finding.
 */
import type { AnchorHit } from '../../anchors.ts';
import { bigFromBE, bigFromLE, bigToBE, bytesEqual } from '../../crypto/bigint.ts';
import { ecCurveByName, ecDecodePoint, ecPoint, EC_CURVES, isValidScalar, searchPublicPoint, type EcCurve, type EcPoint } from '../../crypto/curves.ts';
import { derSequence } from '../../crypto/der-writer.ts';
import { ecFingerprint, okpFingerprint } from '../../crypto/fingerprint.ts';
import { okpByAlgorithm } from '../../crypto/okp.ts';
import { OID, oidTlv } from '../../crypto/oids.ts';
import { okpSpki } from '../../crypto/spki.ts';
import type { SecretMaterial } from '../../sweep/secret.ts';
import type { Finding } from '../../types.ts';
import type { ScanWindow } from '../../window.ts';
import type { Detector } from '../detector.ts';
import { readTlv } from './der-reader.ts';
import { findingAt, reachAround, u32le, type Reach } from './reach.ts';
import { searchPrivateKey, type KeyScheme, type Layout, type PublicKeyAt } from './scalar-search.ts';

const DETECTOR = 'ec-scalar-search';

const EC_LAYOUTS: readonly Layout[] = [
  { encoding: 'bignum-le', littleEndian: true, alignment: 8 },
  { encoding: 'bignum-be', littleEndian: false, alignment: 4 },
];

function ecScheme(curve: EcCurve): KeyScheme<EcPoint, EcPoint> {
  const { size } = curve;
  // A scalar is below the order, so its most significant byte is at most the order's.
  const topByte = Number(curve.order >> BigInt(8 * (size - 1)));
  const value = (bytes: Uint8Array, at: number, littleEndian: boolean) =>
    littleEndian ? bigFromLE(bytes, at, at + size) : bigFromBE(bytes, at, at + size);
  return {
    id: curve.name,
    size,
    layouts: EC_LAYOUTS,
    seedBeforePublic: false,
    plausible: (bytes, at, littleEndian) => bytes[littleEndian ? at + size - 1 : at]! <= topByte,
    derive(bytes, at, littleEndian) {
      const d = value(bytes, at, littleEndian);
      return isValidScalar(curve, d) ? searchPublicPoint(curve, d) : null;
    },
    same: (derived, target) => derived.equals(target),
  };
}

const EC_SCHEMES = new Map(EC_CURVES.map((curve) => [curve.name, ecScheme(curve)]));

const ED25519 = okpByAlgorithm('ed25519');

const ED25519_SCHEME: KeyScheme<Uint8Array, Uint8Array> = {
  id: 'ed25519',
  size: ED25519.privateLength,
  layouts: [{ encoding: 'raw', littleEndian: false, alignment: 4 }],
  seedBeforePublic: true,
  // Every 32-byte string is a seed.
  plausible: () => true,
  derive: (bytes, at) => ED25519.derivePublic(bytes.subarray(at, at + ED25519.privateLength)),
  same: bytesEqual,
};

/** A public key read at an anchor, with what a finding for its private value carries. */
export interface Anchored {
  pub: PublicKeyAt;
  fingerprint: string;
  kind: 'ec-private-key' | 'ed25519-private-key';
  /** The secret for the sweep, from the private value at `at` in the given byte order. */
  secret(bytes: Uint8Array, at: number, littleEndian: boolean): SecretMaterial;
}

function ecAnchored(curve: EcCurve, point: Uint8Array, start: number, end: number): Anchored {
  const fingerprint = ecFingerprint(curve.oid, point);
  const { size } = curve;
  return {
    pub: { scheme: EC_SCHEMES.get(curve.name)!, target: ecPoint(curve, point), key: point, start, end },
    fingerprint,
    kind: 'ec-private-key',
    secret: (bytes, at, littleEndian) => ({
      kind: 'ec-private-key',
      curve: curve.name,
      fingerprint,
      scalar: bigToBE(littleEndian ? bigFromLE(bytes, at, at + size) : bigFromBE(bytes, at, at + size), size),
    }),
  };
}

/** EC SubjectPublicKeyInfo: the AlgorithmIdentifier (the anchor, `algLength` bytes) then BIT STRING { 00, point }. */
function ecSpkiAt(reach: Reach, pos: number, curve: EcCurve, algLength: number): Anchored | null {
  const { bytes, hi } = reach;
  const bits = readTlv(bytes, pos + algLength, hi, hi);
  if (!bits || bits === 'cut' || bits.tag !== 0x03 || bytes[bits.contentStart] !== 0) return null;
  const encoded = bytes.subarray(bits.contentStart + 1, bits.end);
  if (encoded.length !== 1 + 2 * curve.size && encoded.length !== 1 + curve.size) return null;
  const point = ecDecodePoint(curve, encoded);
  return point && ecAnchored(curve, point, pos, bits.end);
}

/** BCRYPT_ECCKEY_BLOB public: magic, cbKey, X, Y. */
function cngPublicAt(reach: Reach, pos: number, curve: EcCurve): Anchored | null {
  const { bytes, hi } = reach;
  const { size } = curve;
  const end = pos + 8 + 2 * size;
  if (end > hi || u32le(bytes, pos + 4) !== size) return null;
  const encoded = new Uint8Array(1 + 2 * size);
  encoded[0] = 4;
  encoded.set(bytes.subarray(pos + 8, end), 1);
  const point = ecDecodePoint(curve, encoded);
  return point && ecAnchored(curve, point, pos, end);
}

const ED25519_PREFIX = okpSpki(OID.ed25519, new Uint8Array(ED25519.publicLength)).subarray(0, -ED25519.publicLength);

/** Ed25519 SubjectPublicKeyInfo: the fixed prefix (the anchor), then the public key. */
function ed25519SpkiAt(reach: Reach, pos: number): Anchored | null {
  const keyAt = pos + ED25519_PREFIX.length;
  const end = keyAt + ED25519.publicLength;
  if (end > reach.hi) return null;
  const key = Uint8Array.from(reach.bytes.subarray(keyAt, end));
  const fingerprint = okpFingerprint(ED25519.oid, key);
  return {
    pub: { scheme: ED25519_SCHEME, target: key, key, start: pos, end },
    fingerprint,
    kind: 'ed25519-private-key',
    secret: (bytes, at) => ({ kind: 'ed25519-private-key', fingerprint, seed: Uint8Array.from(bytes.subarray(at, at + ED25519.privateLength)) }),
  };
}

const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);

type Read = (reach: Reach, pos: number) => Anchored | null;

const ANCHORS: readonly [string, Read][] = [
  ...EC_CURVES.map((curve): [string, Read] => {
    const alg = derSequence(oidTlv(OID.ecPublicKey), oidTlv(curve.oid));
    return [latin1(alg), (reach, pos) => ecSpkiAt(reach, pos, curve, alg.length)];
  }),
  [latin1(ED25519_PREFIX), ed25519SpkiAt],
  ...(
    [
      ['ECS1', 'P-256'],
      ['ECK1', 'P-256'],
      ['ECS3', 'P-384'],
      ['ECK3', 'P-384'],
      ['ECS5', 'P-521'],
      ['ECK5', 'P-521'],
    ] as const
  ).map(([magic, name]): [string, Read] => [magic, (reach, pos) => cngPublicAt(reach, pos, ecCurveByName(name))]),
];

/** The public key at a hit of anchor number `anchor`, or null if the bytes there are not one. */
export function anchoredPublicKey(reach: Reach, pos: number, anchor: number): Anchored | null {
  return ANCHORS[anchor]![1](reach, pos);
}

export const ecScalarSearch: Detector = {
  id: DETECTOR,
  anchors: [],
  rawAnchors: ANCHORS.map(([bytes]) => bytes),
  detect(win: ScanWindow, hit: AnchorHit, anchor: number): Finding[] {
    const reach = reachAround(win, hit.pos);
    const anchored = anchoredPublicKey(reach, hit.pos, anchor);
    if (!anchored) return [];
    const { found } = searchPrivateKey(win, reach, anchored.pub);
    if (!found) return [];
    const finding = findingAt(reach, found.start, found.end, {
      kind: anchored.kind,
      detector: DETECTOR,
      confidence: 'high',
      encoding: found.layout.encoding,
      fingerprint: anchored.fingerprint,
    });
    finding.secret = anchored.secret(reach.bytes, found.start, found.layout.littleEndian);
    return [finding];
  },
};
