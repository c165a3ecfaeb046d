/** Key fingerprints for the manifest: identify a key without revealing it. */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from './bigint.ts';
import { ecSpki, okpSpki, rsaSpki } from './spki.ts';

/** `sha256:` + hex of the SHA-256 of a SubjectPublicKeyInfo DER. */
export function spkiFingerprint(spki: Uint8Array): string {
  return 'sha256:' + toHex(sha256(spki));
}

export const rsaFingerprint = (n: bigint, e: bigint) => spkiFingerprint(rsaSpki(n, e));

export const ecFingerprint = (curveOid: string, point: Uint8Array) => spkiFingerprint(ecSpki(curveOid, point));

export const okpFingerprint = (algorithmOid: string, publicKey: Uint8Array) =>
  spkiFingerprint(okpSpki(algorithmOid, publicKey));

/**
 * A symmetric key's fingerprint: `sha256:` + the first 16 hex digits of SHA-256(key). Enough to tell
 * which key to rotate; only for random keys (a passphrase's hash would let guesses be tested).
 */
export function symmetricKeyFingerprint(key: Uint8Array): string {
  return 'sha256:' + toHex(sha256(key)).slice(0, 16);
}
