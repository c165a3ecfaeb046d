/**
 * RFC 8410 key types (Ed25519, X25519, Ed448, X448): sizes, OIDs and public-key derivation from the
 * private key bytes with @noble/curves. Every byte string of the right length is a valid private key,
 * so the only proof a seed is real is that it derives a public key stored next to it.
 */
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { ed448, x448 } from '@noble/curves/ed448.js';
import { OID } from './oids.ts';

export type OkpAlgorithm = 'ed25519' | 'x25519' | 'ed448' | 'x448';

export interface OkpType {
  algorithm: OkpAlgorithm;
  /** Hex of the algorithm OID contents. */
  oid: string;
  privateLength: number;
  publicLength: number;
  /** The public key of a private key of `privateLength` bytes. */
  derivePublic(privateKey: Uint8Array): Uint8Array;
}

export const OKP_TYPES: readonly OkpType[] = [
  { algorithm: 'ed25519', oid: OID.ed25519, privateLength: 32, publicLength: 32, derivePublic: (k) => ed25519.getPublicKey(k) },
  { algorithm: 'x25519', oid: OID.x25519, privateLength: 32, publicLength: 32, derivePublic: (k) => x25519.getPublicKey(k) },
  { algorithm: 'ed448', oid: OID.ed448, privateLength: 57, publicLength: 57, derivePublic: (k) => ed448.getPublicKey(k) },
  { algorithm: 'x448', oid: OID.x448, privateLength: 56, publicLength: 56, derivePublic: (k) => x448.getPublicKey(k) },
];

export function okpByOid(oid: string): OkpType | undefined {
  return OKP_TYPES.find((t) => t.oid === oid);
}

export function okpByAlgorithm(algorithm: OkpAlgorithm): OkpType {
  return OKP_TYPES.find((t) => t.algorithm === algorithm)!;
}
