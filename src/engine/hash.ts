/**
 * Incremental SHA-256, injected by the platform: node:crypto in the CLI (native speed), the WASM
 * kernel (src/wasm/sha256.ts) in the browser, where WebCrypto has no incremental digest.
 */
export interface IncrementalHash {
  update(bytes: Uint8Array): void;
  /** Lower-case hex. */
  digestHex(): string;
}

export type HashFactory = () => IncrementalHash;
