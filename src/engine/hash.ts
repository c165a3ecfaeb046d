/**
 * Incremental SHA-256, injected by the platform: node:crypto in the CLI (native speed),
 * @noble/hashes in the browser (WebCrypto has no incremental digest).
 */
export interface IncrementalHash {
  update(bytes: Uint8Array): void;
  /** Lower-case hex. */
  digestHex(): string;
  /** An independent copy of the current state. */
  clone(): IncrementalHash;
}

export type HashFactory = () => IncrementalHash;
