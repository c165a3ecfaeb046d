/** Random access to the dump's bytes without holding it in memory. */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * A Blob as a ByteSource: a File in the browser, `fs.openAsBlob(path)` in Node. Each read is one
 * slice, so only the requested range is ever in memory.
 */
export function blobSource(blob: Blob): ByteSource {
  return {
    size: blob.size,
    async read(offset, length) {
      const end = Math.min(blob.size, offset + length);
      return new Uint8Array(await blob.slice(offset, end).arrayBuffer());
    },
  };
}
