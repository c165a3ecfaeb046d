/**
 * SubjectPublicKeyInfo DER (RFC 5280) of a public key, built from its components, byte for byte as
 * OpenSSL and node:crypto export it (`createPublicKey(key).export({type: 'spki', format: 'der'})`),
 * so a fingerprint taken here matches one taken from the certificate or public key file.
 */
import { DER_NULL, derBitString, derSequence, derUnsigned } from './der-writer.ts';
import { OID, oidTlv } from './oids.ts';

/** RSA: AlgorithmIdentifier rsaEncryption with NULL parameters, then RSAPublicKey {n, e}. */
export function rsaSpki(n: bigint, e: bigint): Uint8Array {
  return derSequence(
    derSequence(oidTlv(OID.rsaEncryption), DER_NULL),
    derBitString(derSequence(derUnsigned(n), derUnsigned(e))),
  );
}

/** EC: id-ecPublicKey with the named curve, then the uncompressed point 04 ‖ X ‖ Y. */
export function ecSpki(curveOid: string, point: Uint8Array): Uint8Array {
  return derSequence(derSequence(oidTlv(OID.ecPublicKey), oidTlv(curveOid)), derBitString(point));
}

/** Ed25519, X25519, Ed448, X448 (RFC 8410): the algorithm OID alone, then the raw public key. */
export function okpSpki(algorithmOid: string, publicKey: Uint8Array): Uint8Array {
  return derSequence(derSequence(oidTlv(algorithmOid)), derBitString(publicKey));
}
