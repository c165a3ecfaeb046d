/**
 * Harvesters of RSA public keys stored as binary DER: SubjectPublicKeyInfo (alone, or inside an X.509
 * certificate or a CSR) anchored on the rsaEncryption OID, and bare PKCS#1 RSAPublicKey anchored on
 * the modulus INTEGER header of the common key sizes (a SEQUENCE of exactly n and e is unambiguous).
 */
import type { AnchorHit } from '../anchors.ts';
import { headersEndingAt } from '../detectors/binary/der-reader.ts';
import { reachAround } from '../detectors/binary/reach.ts';
import type { ScanWindow } from '../window.ts';
import type { Harvester, RsaPublicKey } from './public-key.ts';
import { RSA_ENCRYPTION_OID_TLV, rsaPublicKeyAt, spkiAt } from './rsa-public-der.ts';

export const spkiHarvester: Harvester = {
  id: 'spki',
  anchors: [],
  rawAnchors: [RSA_ENCRYPTION_OID_TLV],
  harvest(win: ScanWindow, hit: AnchorHit): RsaPublicKey[] {
    const { bytes, lo, hi } = reachAround(win, hit.pos);
    const key = spkiAt(bytes, hit.pos, lo, hi, 'spki');
    return key ? [key] : [];
  },
};

/** INTEGER headers of a modulus with its top bit set (hence the 00) for 1024, 1536, 2048, 3072, 4096, 8192 bits. */
const MODULUS_HEADERS = [
  '\x02\x81\x81\x00',
  '\x02\x81\xc1\x00',
  '\x02\x82\x01\x01\x00',
  '\x02\x82\x01\x81\x00',
  '\x02\x82\x02\x01\x00',
  '\x02\x82\x04\x01\x00',
];

export const pkcs1PublicHarvester: Harvester = {
  id: 'pkcs1-public',
  anchors: [],
  rawAnchors: MODULUS_HEADERS,
  harvest(win: ScanWindow, hit: AnchorHit): RsaPublicKey[] {
    const { bytes, lo, hi } = reachAround(win, hit.pos);
    for (const start of headersEndingAt(bytes, hit.pos, 0x30, lo)) {
      const found = rsaPublicKeyAt(bytes, start, Number.MAX_SAFE_INTEGER, hi, 'pkcs1');
      if (found) return [found.key];
    }
    return [];
  },
};
