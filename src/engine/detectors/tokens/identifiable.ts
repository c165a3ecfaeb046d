/**
 * Microsoft's identifiable keys (detectors.md T15–T17): base64 keys whose text carries a 4-char
 * signature just before a 4-byte Marvin32 checksum of everything before the checksum, seeded per key
 * type. Facts from microsoft/security-utilities (IdentifiableSecrets.cs, IdentifiableMetadata.cs).
 */
import { marvin32, marvinSeed } from '../../crypto/marvin32.ts';
import { u32le } from '../binary/reach.ts';
import { decodeBase64 } from '../der-key-info.ts';

/** The key's bytes; URL-safe base64 (`-`, `_`) is read as standard. */
export function keyBytes(key: string): Uint8Array | null {
  return decodeBase64(key.replace(/-/g, '+').replace(/_/g, '/'));
}

/** True if the key's last 4 bytes are Marvin32 of the bytes before them under one of `seeds`. */
export function hasMarvinChecksum(key: string, seeds: readonly bigint[]): boolean {
  const bytes = keyBytes(key);
  if (!bytes || bytes.length < 8) return false;
  const body = bytes.subarray(0, bytes.length - 4);
  const stored = u32le(bytes, bytes.length - 4);
  return seeds.some((seed) => marvin32(body, seed) === stored);
}

/** The seed of CASK keys (`JQQJ9…`). */
export const CASK_SEED = marvinSeed('Default0');

/**
 * A Common Annotated Security Key: the 88-char form holds the whole 4-byte checksum of its first 60
 * bytes; the 84-char form the first 3 bytes of it (its last 4 chars are base64 of those 3 bytes).
 */
export function isValidCask(key: string): boolean {
  if (key.length === 88) return hasMarvinChecksum(key, [CASK_SEED]);
  const bytes = keyBytes(key.slice(0, 80));
  if (!bytes || bytes.length !== 60) return false;
  const sum = marvin32(bytes, CASK_SEED);
  const expected = btoa(String.fromCharCode(sum & 0xff, (sum >>> 8) & 0xff, (sum >>> 16) & 0xff));
  return key.slice(80) === expected;
}
