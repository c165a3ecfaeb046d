import type { StructView } from '../byte-reader.ts';
import type { RegionBuilder } from '../region-builder.ts';

/** One file mapping: the virtual range [start, end) maps `name` from page `pageOffset` on. */
export interface FileMapping {
  start: bigint;
  end: bigint;
  pageOffset: bigint;
  name: string;
}

const utf8 = new TextDecoder('utf-8');

/**
 * NT_FILE: long count, long page_size, count × { long start, end, file_ofs }, then count
 * NUL-terminated file names (longs are 4 or 8 bytes with the ELF class). Every byte is structure:
 * gdb reads the names to find the modules.
 */
export function parseNtFile(desc: StructView, wordSize: 4 | 8, out: RegionBuilder): FileMapping[] {
  if (desc.length < 2 * wordSize) {
    out.warn(`NT_FILE is ${desc.length} bytes, too short for its header`);
    return [];
  }
  const declared = desc.word(0, wordSize);
  const entrySize = 3 * wordSize;
  const fit = Math.floor((desc.length - 2 * wordSize) / entrySize);
  const count = declared > BigInt(fit) ? fit : Number(declared);
  if (declared > BigInt(fit)) out.warn(`NT_FILE declares ${declared} mappings but holds ${fit}`);
  const namesAt = 2 * wordSize + count * entrySize;
  const names = utf8.decode(desc.sub(namesAt, desc.length - namesAt)).split('\0');
  if (names.length <= count) out.warn(`NT_FILE has ${count} mappings but only ${names.length - 1} complete names`);
  const mappings: FileMapping[] = [];
  for (let i = 0; i < count && i < names.length - 1; i++) {
    const at = 2 * wordSize + i * entrySize;
    mappings.push({ start: desc.word(at, wordSize), end: desc.word(at + wordSize, wordSize), pageOffset: desc.word(at + 2 * wordSize, wordSize), name: names[i]! });
  }
  return mappings;
}
