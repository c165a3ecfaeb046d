import type { FileReader } from './byte-reader.ts';
import type { DumpSummary } from './dump-map.ts';
import type { RegionBuilder } from './region-builder.ts';

/** The NUL-terminated format name is at most "JAVA PROFILE 1.0.3" plus its NUL. */
const MAX_NAME = 32;

/**
 * HPROF header: a NUL-terminated format name ("JAVA PROFILE 1.0.2"), a big-endian u4 identifier
 * size and a u8 timestamp, all structure. The records after it (strings, class dumps, heap dump
 * segments holding every Java object) are not parsed: raw, so every byte is scanned.
 */
export async function parseHprof(reader: FileReader, out: RegionBuilder): Promise<DumpSummary> {
  const head = await reader.withByteOrder(false).view(0, Math.min(MAX_NAME + 12, reader.size));
  const nul = head ? head.bytes.indexOf(0) : -1;
  if (!head || nul < 0 || !head.has(nul + 1, 12)) {
    out.warn('hprof header is truncated; the file is scanned as raw bytes');
    return { format: 'hprof' };
  }
  const idSize = head.u32(nul + 1);
  if (idSize !== 4 && idSize !== 8) out.warn(`hprof identifier size ${idSize} is neither 4 nor 8`);
  out.claim({ offset: 0, length: nul + 13, kind: 'structure', label: 'HPROF header' });
  return { format: 'hprof' };
}
