import { safeNumber, type FileReader, type StructView } from '../byte-reader.ts';
import type { RegionBuilder } from '../region-builder.ts';

export const PT_LOAD = 1;
export const PT_NOTE = 4;
export const PF_X = 1;
const SHT_STRTAB = 3;
/** e_phnum / e_shstrndx escape values: the real value is in section header 0. */
const PN_XNUM = 0xffff;
const SHN_XINDEX = 0xffff;

export interface ElfHeader {
  is64: boolean;
  littleEndian: boolean;
  type: number;
  machine: number;
}

export interface ProgramHeader {
  index: number;
  type: number;
  flags: number;
  offset: bigint;
  vaddr: bigint;
  filesz: bigint;
  memsz: bigint;
  align: bigint;
}

interface Table {
  offset: number;
  entrySize: number;
  count: number;
}

/**
 * e_ident: EI_CLASS @4 (1 = ELF32, 2 = ELF64) and EI_DATA @5 (1 = little-, 2 = big-endian).
 * Returns undefined for anything else.
 */
export async function readIdentity(reader: FileReader): Promise<{ is64: boolean; littleEndian: boolean } | undefined> {
  const ident = await reader.view(0, 16);
  if (!ident) return undefined;
  const cls = ident.u8(4);
  const data = ident.u8(5);
  if ((cls !== 1 && cls !== 2) || (data !== 1 && data !== 2)) return undefined;
  return { is64: cls === 2, littleEndian: data === 1 };
}

/**
 * The ELF header, program header table and section header table (with the section-name string
 * table) are structure. Returns the header and the program headers that lie inside the file.
 * `reader` must already use the file's byte order.
 */
export async function readHeaders(
  reader: FileReader,
  out: RegionBuilder,
  is64: boolean,
): Promise<{ header: ElfHeader; programs: ProgramHeader[] } | undefined> {
  const size = is64 ? 64 : 52;
  const h = await reader.view(0, size);
  if (!h) {
    out.warn(`ELF header is truncated (${reader.size} bytes); the file is scanned as raw bytes`);
    return undefined;
  }
  out.claim({ offset: 0, length: size, kind: 'structure', label: 'ELF header' });
  const header: ElfHeader = { is64, littleEndian: reader.littleEndian, type: h.u16(16), machine: h.u16(18) };
  const word = (pos32: number, pos64: number) => (is64 ? h.u64(pos64) : BigInt(h.u32(pos32)));
  const at = (pos32: number, pos64: number) => h.u16(is64 ? pos64 : pos32);
  const phoff = safeNumber(word(28, 32));
  const shoff = safeNumber(word(32, 40));
  const phentsize = at(42, 54);
  const shentsize = at(46, 58);
  let phnum = at(44, 56);
  let shnum = at(48, 60);
  let shstrndx = at(50, 62);

  const sectionSize = is64 ? 64 : 40;
  const section0 = shoff && shentsize >= sectionSize ? await reader.view(shoff, sectionSize) : undefined;
  if (section0) {
    if (phnum === PN_XNUM) phnum = section0.u32(is64 ? 44 : 28);
    if (shnum === 0) shnum = safeNumber(is64 ? section0.u64(32) : BigInt(section0.u32(20))) ?? 0;
    if (shstrndx === SHN_XINDEX) shstrndx = section0.u32(is64 ? 40 : 24);
  }

  const programs: ProgramHeader[] = [];
  const phTable = claimTable(reader, out, 'program headers', phoff, phentsize, phnum, is64 ? 56 : 32);
  const ph = phTable && (await reader.view(phTable.offset, phTable.count * phTable.entrySize));
  if (phTable && !ph) out.warn(`ELF program headers: ${phTable.count} entries are too many to parse; segments left raw`);
  for (let i = 0; ph && i < phTable.count; i++) programs.push(readProgramHeader(ph, i * phTable.entrySize, i, is64));

  const shTable = shoff ? claimTable(reader, out, 'section headers', shoff, shentsize, shnum, sectionSize) : undefined;
  if (shTable && shstrndx < shTable.count) {
    const strtab = await reader.view(shTable.offset + shstrndx * shTable.entrySize, sectionSize);
    if (strtab && strtab.u32(4) === SHT_STRTAB) {
      const offset = safeNumber(is64 ? strtab.u64(24) : BigInt(strtab.u32(16)));
      const length = safeNumber(is64 ? strtab.u64(32) : BigInt(strtab.u32(20)));
      if (offset !== undefined && length !== undefined && reader.contains(offset, length)) {
        out.claim({ offset, length, kind: 'structure', label: 'section names' });
      }
    }
  }
  return { header, programs };
}

/**
 * Claims a header table as structure. The table is bounded by nothing but the file, so a count
 * that runs past the end is corrupt (or the file is cut inside its headers): the entries that
 * happen to fit would be arbitrary bytes claimed as never-redacted structure, so the whole table
 * is distrusted instead.
 */
function claimTable(
  reader: FileReader,
  out: RegionBuilder,
  name: string,
  offset: number | undefined,
  entrySize: number,
  count: number,
  minEntry: number,
): Table | undefined {
  if (count === 0) return undefined;
  if (offset === undefined || entrySize < minEntry || !reader.contains(offset, count * entrySize)) {
    out.warn(`ELF ${name}: ${count} entries of ${entrySize} bytes at offset ${offset ?? 'beyond 2^53'} do not fit in the ${reader.size}-byte file; ignored`);
    return undefined;
  }
  out.claim({ offset, length: count * entrySize, kind: 'structure', label: name });
  return { offset, entrySize, count };
}

/** Elf32_Phdr / Elf64_Phdr (the 64-bit one moves p_flags up to keep the words aligned). */
function readProgramHeader(v: StructView, at: number, index: number, is64: boolean): ProgramHeader {
  return is64
    ? { index, type: v.u32(at), flags: v.u32(at + 4), offset: v.u64(at + 8), vaddr: v.u64(at + 16), filesz: v.u64(at + 32), memsz: v.u64(at + 40), align: v.u64(at + 48) }
    : {
        index,
        type: v.u32(at),
        offset: BigInt(v.u32(at + 4)),
        vaddr: BigInt(v.u32(at + 8)),
        filesz: BigInt(v.u32(at + 16)),
        memsz: BigInt(v.u32(at + 20)),
        flags: v.u32(at + 24),
        align: BigInt(v.u32(at + 28)),
      };
}
