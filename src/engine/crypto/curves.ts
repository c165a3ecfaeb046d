/**
 * The named elliptic curves private keys are found for (P-256, P-384, P-521, secp256k1), and the one
 * operation that proves a private scalar: d·G, with @noble/curves (WebCrypto offers no raw scalar
 * multiplication). A scalar multiplication costs a few milliseconds, so detectors call it only on
 * structures that already passed every cheap check.
 */
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesEqual } from './bigint.ts';
import { OID } from './oids.ts';

export type EcCurveName = 'P-256' | 'P-384' | 'P-521' | 'secp256k1';

export interface EcCurve {
  name: EcCurveName;
  /** Hex of the namedCurve OID contents. */
  oid: string;
  /** Bytes of a coordinate and of a private scalar (66 for P-521). */
  size: number;
  /** Field prime p. */
  prime: bigint;
  /** Order n of the base point: a private scalar lies in [1, n−1]. */
  order: bigint;
  /** Generator coordinates. */
  gx: bigint;
  gy: bigint;
}

type NobleCurve = typeof p256;

const NOBLE = new Map<EcCurveName, NobleCurve>();

function define(name: EcCurveName, oid: string, curve: NobleCurve): EcCurve {
  NOBLE.set(name, curve);
  const params = curve.Point.CURVE();
  return { name, oid, size: curve.Point.Fp.BYTES, prime: params.p, order: params.n, gx: params.Gx, gy: params.Gy };
}

export const EC_CURVES: readonly EcCurve[] = [
  define('P-256', OID.prime256v1, p256),
  define('P-384', OID.secp384r1, p384),
  define('P-521', OID.secp521r1, p521),
  define('secp256k1', OID.secp256k1, secp256k1),
];

export function ecCurveByOid(oid: string): EcCurve | undefined {
  return EC_CURVES.find((c) => c.oid === oid);
}

export function ecCurveByName(name: EcCurveName): EcCurve {
  return EC_CURVES.find((c) => c.name === name)!;
}

/** Curves whose scalars and coordinates are `size` bytes long. */
export function ecCurvesBySize(size: number): EcCurve[] {
  return EC_CURVES.filter((c) => c.size === size);
}

/** True if 0 < d < n. */
export function isValidScalar(curve: EcCurve, d: bigint): boolean {
  return d > 0n && d < curve.order;
}

/** The public point d·G as 04 ‖ X ‖ Y (each `size` bytes), or null if d is not a valid scalar. */
export function ecPublicPoint(curve: EcCurve, d: bigint): Uint8Array | null {
  if (!isValidScalar(curve, d)) return null;
  return NOBLE.get(curve.name)!.Point.BASE.multiply(d).toBytes(false);
}

/** True if (x, y) is a point of the curve (coordinates below p, equation satisfied). */
export function isOnCurve(curve: EcCurve, x: bigint, y: bigint): boolean {
  if (x >= curve.prime || y >= curve.prime) return false;
  try {
    NOBLE.get(curve.name)!.Point.fromAffine({ x, y }).assertValidity();
    return true;
  } catch {
    return false;
  }
}

/**
 * The uncompressed form (04 ‖ X ‖ Y) of an encoded point (uncompressed, or compressed 02/03 ‖ X), or
 * null if the bytes are not a point of the curve.
 */
export function ecDecodePoint(curve: EcCurve, encoded: Uint8Array): Uint8Array | null {
  try {
    return NOBLE.get(curve.name)!.Point.fromBytes(encoded).toBytes(false);
  } catch {
    return null;
  }
}

/** A point as noble keeps it (projective): compared with `equals`, without the inversion an encoding costs. */
export type EcPoint = InstanceType<NobleCurve['Point']>;

/** The point of a valid encoding (as ecDecodePoint accepts), for comparisons with searchPublicPoint. */
export function ecPoint(curve: EcCurve, encoded: Uint8Array): EcPoint {
  return NOBLE.get(curve.name)!.Point.fromBytes(encoded);
}

/** Window width of the base-point tables a search uses (noble builds width 6 by default). */
const SEARCH_TABLE_WIDTH = 8;
const widened = new Set<EcCurveName>();

/**
 * d·G for a search that tries thousands of candidate scalars (the caller checked 0 < d < n), left
 * projective: comparing it with `equals` skips the inversion an encoding needs. Uses noble's
 * variable-time multiplication and a wider base-point table; together several times faster than
 * ecPublicPoint (timing leaks do not matter to an offline scan). The table is built once per curve
 * on first use (tens of milliseconds; P-521 the most) and then serves every caller.
 */
export function searchPublicPoint(curve: EcCurve, d: bigint): EcPoint {
  const { Point } = NOBLE.get(curve.name)!;
  if (!widened.has(curve.name)) {
    Point.BASE.precompute(SEARCH_TABLE_WIDTH);
    widened.add(curve.name);
  }
  return Point.BASE.multiplyUnsafe(d);
}

/** True if d·G equals the given uncompressed point (04 ‖ X ‖ Y). */
export function scalarMatchesPoint(curve: EcCurve, d: bigint, point: Uint8Array): boolean {
  const derived = ecPublicPoint(curve, d);
  return derived !== null && bytesEqual(derived, point);
}
