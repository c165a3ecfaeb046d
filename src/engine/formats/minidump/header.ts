import type { Scope } from './scope.ts';

/** 'MDMP' read as a little-endian ULONG32. */
const MINIDUMP_SIGNATURE = 0x504d444d;
/** MINIDUMP_VERSION: the low 16 bits of Version; the high 16 are implementation-specific. */
const MINIDUMP_VERSION = 0xa793;
const HEADER_SIZE = 32;
const DIRECTORY_ENTRY_SIZE = 12;
/** Real dumps have tens of streams; a count above this is corrupt. */
const MAX_STREAMS = 4096;

/** MINIDUMP_DIRECTORY { ULONG32 StreamType; MINIDUMP_LOCATION_DESCRIPTOR Location; } */
export interface DirectoryEntry {
  index: number;
  type: number;
  dataSize: number;
  rva: number;
}

export interface Directory {
  entries: DirectoryEntry[];
  /** True when [offset, offset + length) touches the header or the directory itself. */
  overlapsHeaders(offset: number, length: number): boolean;
}

/**
 * MINIDUMP_HEADER { Signature, Version, NumberOfStreams, StreamDirectoryRva, CheckSum,
 * TimeDateStamp (ULONG32 each), ULONG64 Flags } and the stream directory it points to. Both are
 * structure. Returns undefined when the header itself is not there.
 */
export async function readDirectory(scope: Scope): Promise<Directory | undefined> {
  const { reader, out } = scope;
  const header = await reader.view(0, HEADER_SIZE);
  if (!header || header.u32(0) !== MINIDUMP_SIGNATURE) {
    out.warn('minidump header is truncated or has no MDMP signature; the file is scanned as raw bytes');
    return undefined;
  }
  out.claim({ offset: 0, length: HEADER_SIZE, kind: 'structure', label: 'MINIDUMP_HEADER' });
  const version = header.u32(4);
  if ((version & 0xffff) !== MINIDUMP_VERSION) {
    out.warn(`minidump version 0x${(version & 0xffff).toString(16)} is not 0xa793; parsed as if it were`);
  }
  const declared = header.u32(8);
  const rva = header.u32(12);
  if (declared > 0 && rva < HEADER_SIZE) {
    out.warn(`stream directory RVA ${rva} overlaps the header`);
  }
  // The directory is bounded by nothing but the file, so a count that runs past the end (or is
  // absurd) is corrupt: the entries that happen to fit would be arbitrary bytes claimed as
  // structure, which is never redacted. Distrust the whole directory instead.
  const dir = declared <= MAX_STREAMS ? await reader.view(rva, declared * DIRECTORY_ENTRY_SIZE) : undefined;
  if (!dir) {
    out.warn(`minidump stream directory (${declared} entries at RVA ${rva}) does not fit in the ${reader.size}-byte file or exceeds ${MAX_STREAMS} entries; no stream is parsed`);
    return { entries: [], overlapsHeaders: () => false };
  }
  out.claim({ offset: rva, length: dir.length, kind: 'structure', label: 'StreamDirectory' });
  const entries: DirectoryEntry[] = [];
  for (let i = 0; i < declared; i++) {
    const at = i * DIRECTORY_ENTRY_SIZE;
    entries.push({ index: i, type: dir.u32(at), dataSize: dir.u32(at + 4), rva: dir.u32(at + 8) });
  }
  const overlapsHeaders = (offset: number, length: number) => offset < HEADER_SIZE || (offset < rva + dir.length && offset + length > rva);
  return { entries, overlapsHeaders };
}
