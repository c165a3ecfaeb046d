// The bench's dump-like data, shared by bench.mjs (end to end, beside the peers) and
// passes.measure.ts (each pass alone). Per MiB: a quarter zero pages, a quarter pointer tables
// (8-byte words sharing their top bytes), a quarter ASCII/UTF-16 text, a quarter random
// (compressed or encrypted data).
import { randomBytes } from 'node:crypto';

export const MiB = 1024 * 1024;

const text = Buffer.from('GET /api/v1/items?id=42 HTTP/1.1\r\nHost: example.internal\r\nUser-Agent: bench\r\n\r\n'.repeat(3300)).subarray(0, MiB / 8);
const wide = Buffer.from(text.subarray(0, MiB / 16).toString('latin1'), 'utf16le');

/** One MiB of the mix. */
export function mixBlock() {
  const block = Buffer.alloc(MiB);
  for (let i = MiB / 4; i < MiB / 2; i += 8) block.writeBigUInt64LE(0x00007f0000000000n | BigInt(Math.floor(Math.random() * 2 ** 32)), i);
  text.copy(block, MiB / 2);
  wide.copy(block, MiB / 2 + text.length);
  randomBytes(MiB / 4).copy(block, (3 * MiB) / 4);
  return block;
}

/** Where in a block planted items go: inside the pointer quarter, where heaps keep small objects. */
export const PLANT_AT = MiB / 4 + 4096;
