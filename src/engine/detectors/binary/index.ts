/**
 * Structural binary key detectors (detectors.md §2, family S): each anchors on a magic number, DER
 * header or OID, parses strictly within MAX_MATCH_BYTES of the anchor, validates by maths where a
 * format allows (n = p·q, d·G = Q, a derived public key) and reports the exact bytes to zero.
 * All anchors are `rawAnchors` (matched as bytes, never as UTF-16LE text).
 */
import type { Detector } from '../detector.ts';
import { capiBlob } from './capi-blob.ts';
import { chachaState } from './chacha-state.ts';
import { cngBlob } from './cng-blob.ts';
import { derPrivateKey } from './der-private-key.ts';
import { dpapiBlob } from './dpapi-blob.ts';
import { ecScalarSearch } from './ec-scalar-search.ts';
import { javaKeystore } from './java-keystore.ts';
import { openpgpSecretKey } from './openpgp-secret-key.ts';
import { opensshBinary } from './openssh-binary.ts';

export { capiBlob, chachaState, cngBlob, derPrivateKey, dpapiBlob, ecScalarSearch, javaKeystore, openpgpSecretKey, opensshBinary };

export const binaryKeyDetectors: readonly Detector[] = [
  derPrivateKey,
  cngBlob,
  capiBlob,
  opensshBinary,
  dpapiBlob,
  chachaState,
  javaKeystore,
  openpgpSecretKey,
  ecScalarSearch,
];
