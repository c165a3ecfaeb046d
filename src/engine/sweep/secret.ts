/**
 * The secret values of a confirmed key, as the derived-encoding sweep (detectors.md §4.1, family D)
 * needs them: every other in-memory encoding of these values is searched for and zeroed.
 *
 * Plain data only (bigint, Uint8Array, strings): a SecretMaterial survives structuredClone, so it can
 * cross from the worker that confirmed a key to the workers that sweep for it. It holds secret bytes,
 * so it must never be written to a manifest, a log or a Finding.
 */

/** RSA: all eight components, checked (n = p·q, CRT values consistent) before a value is made. */
export interface RsaSecret {
  kind: 'rsa-private-key';
  /** `sha256:` + hex of the SPKI, as on the findings of the key. */
  fingerprint: string;
  n: bigint;
  e: bigint;
  d: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qi: bigint;
}

/** A short-Weierstrass EC private scalar. */
export interface EcSecret {
  kind: 'ec-private-key';
  /** Curve name (`P-256`, `P-384`, `P-521`, `secp256k1`). */
  curve: string;
  fingerprint?: string;
  /** The scalar d, big-endian, left-padded to the curve width (32/48/66 bytes). */
  scalar: Uint8Array;
}

export type OkpKind = 'ed25519-private-key' | 'x25519-private-key' | 'ed448-private-key' | 'x448-private-key';

/**
 * An RFC 8410 private key (Ed25519/X25519 seed, Ed448/X448 private key): a byte string, not an integer,
 * so leading zero bytes are part of it.
 */
export interface OkpSecret {
  kind: OkpKind;
  fingerprint?: string;
  /** The private key bytes as stored in PKCS#8 (32, 32, 57, 56 bytes). */
  seed: Uint8Array;
}

export type SymmetricKind = 'aes-key' | 'symmetric-key';

/** A raw symmetric key (PLAINTEXTKEYBLOB, BCRYPT_KEY_DATA_BLOB). No fingerprint: none is reported for them. */
export interface SymmetricSecret {
  kind: SymmetricKind;
  fingerprint?: string;
  key: Uint8Array;
}

/**
 * A secret that is text: a token a text rule confirmed, or one the user supplied. Swept as the
 * text itself and in every form a program makes of text (UTF-16LE, URL and JSON escapes, base64…).
 */
export interface TextSecret {
  kind: 'text-secret';
  fingerprint?: string;
  text: string;
  /** `user`: supplied by the user (findings say `user-secret`, never a fingerprint); default `detector`. */
  origin?: 'user' | 'detector';
}

/**
 * The DER encodings a key was found in (its PEM or headerless body decoded, or a binary DER copy).
 * Their base64 text is swept line by line too: a PEM's 64-char lines outlive it in freed buffers.
 */
export interface FoundAsDer {
  ders?: Uint8Array[];
}

/** Discriminated by `kind`. */
export type SecretMaterial = (RsaSecret | EcSecret | OkpSecret | SymmetricSecret | TextSecret) & FoundAsDer;
