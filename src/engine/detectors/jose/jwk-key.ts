/**
 * What the members of a JWK (RFC 7517/7518/8037) prove: the key type, how sure we are that the
 * private members are a real key, and the key's values for the sweep. Proof is the same maths as
 * for every other layout: n = p·q with consistent CRT values, d·G = (x, y), the public key derived
 * from d equals x. A symmetric (`oct`) key is secret by definition.
 */
import { bigFromBE, bigToBE, bytesEqual } from '../../crypto/bigint.ts';
import { ecCurveByName, scalarMatchesPoint, type EcCurveName } from '../../crypto/curves.ts';
import { ecFingerprint, okpFingerprint, rsaFingerprint, symmetricKeyFingerprint } from '../../crypto/fingerprint.ts';
import { okpByAlgorithm, type OkpAlgorithm } from '../../crypto/okp.ts';
import { checkRsa, rsaConfidence } from '../../crypto/rsa.ts';
import type { SecretMaterial } from '../../sweep/secret.ts';
import type { Confidence } from '../../types.ts';
import { decodeBase64Url } from './base64url.ts';
import type { JsonMember } from './json-object.ts';

export const PRIVATE_MEMBERS: Record<string, readonly string[]> = {
  RSA: ['d', 'p', 'q', 'dp', 'dq', 'qi'],
  EC: ['d'],
  OKP: ['d'],
  oct: ['k'],
};

/** Symmetric keys shorter than this are too weak to call proven (RFC 7518 wants ≥ the hash size). */
const MIN_OCT_KEY_BYTES = 16;

export interface JwkAssessment {
  kind: string;
  confidence: Confidence;
  fingerprint?: string;
  /** Only for a proven key: the values the sweep expands. */
  secret?: SecretMaterial;
}

const EC_CURVES: readonly EcCurveName[] = ['P-256', 'P-384', 'P-521', 'secp256k1'];
const OKP_CURVES: Record<string, OkpAlgorithm> = { Ed25519: 'ed25519', X25519: 'x25519', Ed448: 'ed448', X448: 'x448' };

type Members = ReadonlyMap<string, JsonMember>;

/** A member's decoded bytes, if it is a complete base64url string. */
function bytesOf(members: Members, name: string): Uint8Array | null {
  const m = members.get(name);
  return m && m.closed && m.valueStart >= 0 && m.value.length > 0 ? decodeBase64Url(m.value) : null;
}

function rsa(members: Members, complete: boolean): JwkAssessment {
  const big = (name: string) => {
    const b = bytesOf(members, name);
    return b === null ? undefined : bigFromBE(b);
  };
  const [n, e, d, p, q, dp, dq, qi] = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'].map(big);
  const result: JwkAssessment = { kind: 'rsa-private-key', confidence: 'medium' };
  if (n === undefined) return result;
  if (e !== undefined) result.fingerprint = rsaFingerprint(n, e);
  const allThere = [e, d, p, q, dp, dq, qi].every((v) => v !== undefined);
  const confidence = rsaConfidence(checkRsa({ n, e, d, p, q, dp, dq, qinv: qi }), complete && allThere);
  if (confidence !== 'high') return result;
  result.confidence = 'high';
  result.secret = { kind: 'rsa-private-key', fingerprint: result.fingerprint!, n, e: e!, d: d!, p: p!, q: q!, dp: dp!, dq: dq!, qi: qi! };
  return result;
}

function ec(members: Members): JwkAssessment {
  const result: JwkAssessment = { kind: 'ec-private-key', confidence: 'medium' };
  const name = members.get('crv')?.value as EcCurveName | undefined;
  if (name === undefined || !EC_CURVES.includes(name)) return result;
  const curve = ecCurveByName(name);
  const [d, x, y] = ['d', 'x', 'y'].map((m) => bytesOf(members, m));
  if (!x || !y || x.length !== curve.size || y.length !== curve.size) return result;
  const point = new Uint8Array(1 + 2 * curve.size);
  point[0] = 4;
  point.set(x, 1);
  point.set(y, 1 + curve.size);
  result.fingerprint = ecFingerprint(curve.oid, point);
  if (!d || d.length > curve.size || !scalarMatchesPoint(curve, bigFromBE(d), point)) return result;
  result.confidence = 'high';
  result.secret = { kind: 'ec-private-key', curve: curve.name, fingerprint: result.fingerprint, scalar: bigToBE(bigFromBE(d), curve.size) };
  return result;
}

function okp(members: Members): JwkAssessment {
  const algorithm = OKP_CURVES[members.get('crv')?.value ?? ''];
  if (algorithm === undefined) return { kind: 'private-key', confidence: 'medium' };
  const type = okpByAlgorithm(algorithm);
  const kind = `${algorithm}-private-key` as const;
  const result: JwkAssessment = { kind, confidence: 'medium' };
  const [d, x] = ['d', 'x'].map((m) => bytesOf(members, m));
  if (x && x.length === type.publicLength) result.fingerprint = okpFingerprint(type.oid, x);
  if (!d || !x || d.length !== type.privateLength || !bytesEqual(type.derivePublic(d), x)) return result;
  result.confidence = 'high';
  result.secret = { kind, fingerprint: result.fingerprint!, seed: d };
  return result;
}

function oct(members: Members): JwkAssessment {
  const k = bytesOf(members, 'k');
  if (!k || k.length < MIN_OCT_KEY_BYTES) return { kind: 'symmetric-key', confidence: 'medium' };
  const fingerprint = symmetricKeyFingerprint(k);
  return { kind: 'symmetric-key', confidence: 'high', fingerprint, secret: { kind: 'symmetric-key', fingerprint, key: k } };
}

/**
 * The assessment of a JWK whose `kty` is one of RSA, EC, OKP, oct. Members whose maths fails, or
 * that a cut object left incomplete, are still private members: medium, never less.
 */
export function assessJwk(kty: string, members: Members, complete: boolean): JwkAssessment {
  switch (kty) {
    case 'RSA':
      return rsa(members, complete);
    case 'EC':
      return ec(members);
    case 'OKP':
      return okp(members);
    default:
      return oct(members);
  }
}
