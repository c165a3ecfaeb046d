/** Object identifiers the key detectors and the SPKI builder use, as hex of the OID contents. */

export const OID = {
  rsaEncryption: '2a864886f70d010101',
  rsassaPss: '2a864886f70d01010a',
  ecPublicKey: '2a8648ce3d0201',
  prime256v1: '2a8648ce3d030107',
  secp384r1: '2b81040022',
  secp521r1: '2b81040023',
  secp256k1: '2b8104000a',
  x25519: '2b656e',
  x448: '2b656f',
  ed25519: '2b6570',
  ed448: '2b6571',
  pbes2: '2a864886f70d01050d',
  pkcs7Data: '2a864886f70d010701',
  pkcs7SignedData: '2a864886f70d010702',
} as const;

/** Bytes of a hex string. */
export function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The full OID TLV (06 LL contents) of an OID given as hex contents; OIDs here are < 128 bytes. */
export function oidTlv(hex: string): Uint8Array {
  const body = hexBytes(hex);
  const out = new Uint8Array(2 + body.length);
  out[0] = 0x06;
  out[1] = body.length;
  out.set(body, 2);
  return out;
}
