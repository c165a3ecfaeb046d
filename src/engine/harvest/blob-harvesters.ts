/**
 * Harvesters of RSA public keys in Windows key blobs, with the blob detectors' own header readers:
 * CNG BCRYPT_RSAPUBLIC_BLOB (`RSA1`, big-endian e and n) and CAPI PUBLICKEYBLOB (`06 02 00 00`,
 * RSAPUBKEY `RSA1`, little-endian n). Both are found by their `RSA1` magic: an anchor that starts
 * with zero bytes would make every position of a zero page a prefilter candidate.
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

/** Where the RSAPUBKEY magic sits in a CAPI PUBLICKEYBLOB: after the 8-byte BLOBHEADER. */
const CAPI_MAGIC_AT = 8;

export const blobPublicHarvester: Harvester = {
  id: 'rsa-public-blob',
  anchors: [],
  // A little-endian u32 magic number, never UTF-16.
  rawAnchors: ['RSA1'],
  harvest(win: ScanWindow, hit: AnchorHit): RsaPublicKey[] {
    const { bytes, lo, hi } = reachAround(win, hit.pos);
    const blobStart = hit.pos - CAPI_MAGIC_AT;
    const key = cngPublic(bytes, hit.pos, hi) ?? (blobStart >= lo ? capiPublic(bytes, blobStart, hi) : null);
    return key ? [key] : [];
  },
};
