import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { IncrementalHash } from './hash.ts';

type NobleHash = ReturnType<typeof sha256.create>;

function wrap(h: NobleHash): IncrementalHash {
  return {
    update: (bytes) => void h.update(bytes),
    digestHex: () => bytesToHex(h.digest()),
    clone: () => wrap(h.clone()),
  };
}

/** Pure-JS SHA-256 for the browser, where WebCrypto offers no incremental digest. */
export const nobleSha256 = (): IncrementalHash => wrap(sha256.create());
