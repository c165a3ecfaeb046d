/**
 * Harvesters of RSA public keys in Windows key blobs, with the blob detectors' own header readers:
 * CNG BCRYPT_RSAPUBLIC_BLOB (`RSA1`, big-endian e and n) and CAPI PUBLICKEYBLOB (`06 02 00 00`,
 * RSAPUBKEY `RSA1`, little-endian n).
 */
import type { AnchorHit } from '../anchors.ts';
import { bigFromBE, bigFromLE } from '../crypto/bigint.ts';
import { readRsaPubKey } from '../detectors/binary/capi-blob.ts';
import { readCngRsaHeader } from '../detectors/binary/cng-blob.ts';
import { reachAround } from '../detectors/binary/reach.ts';
import type { ScanWindow } from '../window.ts';
import type { Harvester, RsaPublicKey } from './public-key.ts';
import { rsaPublicKey } from './rsa-public-der.ts';

function cngPublic(bytes: Uint8Array, pos: number, hi: number): RsaPublicKey | null {
  const header = readCngRsaHeader(bytes, pos, hi, true);
  if (!header) return null;
  const e = pos + 24;
  const n = e + header.cbExp;
  // n fills its bytes: a leading zero byte would mean cbModulus lies.
  if (n + header.cbMod > hi || bytes[n] === 0) return null;
  return rsaPublicKey(bigFromBE(bytes, n, n + header.cbMod), bigFromBE(bytes, e, n), 'cng-rsapublic');
}

function capiPublic(bytes: Uint8Array, pos: number, hi: number): RsaPublicKey | null {
  const header = readRsaPubKey(bytes, pos, hi, 'RSA1');
  if (!header) return null;
  const n = pos + 20;
  const size = header.bits / 8;
  if (n + size > hi || bytes[n + size - 1] === 0) return null;
  return rsaPublicKey(bigFromLE(bytes, n, n + size), header.e, 'capi-publickeyblob');
}

const PARSERS = [cngPublic, capiPublic];

export const blobPublicHarvester: Harvester = {
  id: 'rsa-public-blob',
  anchors: [],
  // Little-endian u32 magic numbers, never UTF-16.
  rawAnchors: ['RSA1', '\x06\x02\x00\x00'],
  harvest(win: ScanWindow, hit: AnchorHit, anchor: number): RsaPublicKey[] {
    const { bytes, hi } = reachAround(win, hit.pos);
    const key = PARSERS[anchor]!(bytes, hit.pos, hi);
    return key ? [key] : [];
  },
};
