/**
 * Detector `der-private-key` (detectors.md S1–S5): private keys as DER in raw memory — PKCS#1
 * RSAPrivateKey, PKCS#8 PrivateKeyInfo (RSA, RSA-PSS, EC, Ed25519, X25519, Ed448, X448), SEC1
 * ECPrivateKey (P-256, P-384, P-521, secp256k1), EncryptedPrivateKeyInfo (structure only) and PKCS#12
 * PFX (structure only).
 *
 * Each anchor is a fixed run of bytes inside the structure; the parser walks back from it to the
 * enclosing SEQUENCE (at most a few bytes) and parses forward. A key nested in PKCS#8 is reported once,
 * by the PKCS#8 anchor, not again by the PKCS#1/SEC1 anchor inside it. Confidence rules: der-keys.ts.
 * Not covered: multi-prime RSA (version 1), DSA keys, BER (indefinite or non-minimal lengths, as in
 * some old PFX files), SEC1 scalars shorter than the curve size (the anchors fix 32/48/66 bytes).
 * Compressed SEC1 public points are checked too; the fingerprint always uses the uncompressed point.
 */
import type { AnchorHit } from '../../anchors.ts';
import { OID, oidTlv } from '../../crypto/oids.ts';
import type { Finding } from '../../types.ts';
import type { ScanWindow } from '../../window.ts';
import type { Detector } from '../detector.ts';
import { encryptedPkcs8At, pkcs12At, pkcs1At, pkcs8At, sec1At, type DerKeyMatch } from './der-keys.ts';
import { findingAt, reachAround, type Reach } from './reach.ts';

const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);
const raw = (...bytes: number[]) => latin1(Uint8Array.from(bytes));

type Parse = (reach: Reach, pos: number) => DerKeyMatch | null;

interface DerAnchor {
  bytes: string;
  parse: Parse;
}

/** OID TLV anchors whose last byte varies: the anchor is the OID TLV minus its last byte. */
function pbeAnchor(prefixHex: string, lastBytes: readonly number[]): DerAnchor {
  const tlv = oidTlv(prefixHex + '00');
  return {
    bytes: latin1(tlv.subarray(0, tlv.length - 1)),
    parse: (reach, pos) => (lastBytes.includes(reach.bytes[pos + tlv.length - 1]!) ? encryptedPkcs8At(reach, pos) : null),
  };
}

const ANCHORS: readonly DerAnchor[] = [
  // PKCS#1: version 0, then the tag of n (rsakeyfind's anchor).
  { bytes: raw(0x02, 0x01, 0x00, 0x02), parse: pkcs1At },
  // PKCS#8: the AlgorithmIdentifier OID TLV; walk back over `30 LL` and `02 01 0v` to the outer SEQUENCE.
  ...[OID.rsaEncryption, OID.rsassaPss, OID.ecPublicKey, OID.ed25519, OID.x25519, OID.ed448, OID.x448].map(
    (oid): DerAnchor => ({ bytes: latin1(oidTlv(oid)), parse: pkcs8At }),
  ),
  // SEC1: version 1, then d as a 32/48/66-byte OCTET STRING (P-256 and secp256k1, P-384, P-521).
  ...[0x20, 0x30, 0x42].map((size): DerAnchor => ({ bytes: raw(0x02, 0x01, 0x01, 0x04, size), parse: sec1At })),
  // EncryptedPrivateKeyInfo: PBES1/PBES2 (1.2.840.113549.1.5.x) and PKCS#12 PBE (1.2.840.113549.1.12.1.x).
  pbeAnchor('2a864886f70d0105', [0x01, 0x03, 0x04, 0x06, 0x0a, 0x0b, 0x0d]),
  pbeAnchor('2a864886f70d010c01', [1, 2, 3, 4, 5, 6]),
  // PKCS#12: version 3, then the authSafe SEQUENCE.
  { bytes: raw(0x02, 0x01, 0x03, 0x30), parse: pkcs12At },
];

export const derPrivateKey: Detector = {
  id: 'der-private-key',
  anchors: [],
  rawAnchors: ANCHORS.map((a) => a.bytes),
  detect(win: ScanWindow, hit: AnchorHit, anchor: number): Finding[] {
    const reach = reachAround(win, hit.pos);
    const match = ANCHORS[anchor]!.parse(reach, hit.pos);
    if (!match) return [];
    const { start, end, ...fields } = match;
    return [findingAt(reach, start, end, { ...fields, detector: 'der-private-key' })];
  },
};
