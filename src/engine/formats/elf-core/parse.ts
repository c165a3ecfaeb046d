import { safeNumber, type FileReader } from '../byte-reader.ts';
import type { DumpSummary } from '../dump-map.ts';
import type { RegionBuilder } from '../region-builder.ts';
import { classifyMemory, VaLayer, type VaSpan } from '../va-classify.ts';
import { PF_X, PT_LOAD, PT_NOTE, readHeaders, readIdentity, type ProgramHeader } from './header.ts';
import { machine } from './machines.ts';
import type { FileMapping } from './nt-file.ts';
import { parseNotes, type NoteFacts } from './notes.ts';

const ET_CORE = 4;

/** The part of a segment's file image that is inside the file, with a warning when cut short. */
function fileRange(p: ProgramHeader, size: number, out: RegionBuilder): { offset: number; length: number } | undefined {
  const offset = safeNumber(p.offset);
  const filesz = safeNumber(p.filesz);
  if (filesz === 0) return undefined;
  if (offset === undefined || filesz === undefined || offset >= size) {
    out.warn(`program header ${p.index}: its ${p.filesz} file bytes at offset ${p.offset} lie past the end of the file (${size} bytes); the core is truncated`, 'segment past the end of the file');
    return undefined;
  }
  const length = Math.min(filesz, size - offset);
  if (length < filesz) out.warn(`program header ${p.index}: ${filesz} file bytes at offset ${offset} run past the end of the file; ${length} are present`, 'segment runs past the end of the file');
  return { offset, length };
}

/** PT_LOADs by address: cores can have tens of thousands of mappings, so lookups are searches. */
class Segments {
  private readonly sorted: ProgramHeader[];

  constructor(loads: readonly ProgramHeader[]) {
    this.sorted = [...loads].sort((a, b) => (a.vaddr < b.vaddr ? -1 : a.vaddr > b.vaddr ? 1 : 0));
  }

  /** The segment whose memory image holds `va`. */
  at(va: bigint): ProgramHeader | undefined {
    let low = 0;
    let high = this.sorted.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const p = this.sorted[mid]!;
      if (va < p.vaddr) high = mid - 1;
      else if (va >= p.vaddr + p.memsz) low = mid + 1;
      else return p;
    }
    return undefined;
  }
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

/**
 * The files mapped as module images: those with an executable mapping, and those whose first page
 * in the core starts with an ELF header (the kernel keeps that page of every ELF mapping; gdb's
 * gcore writes file-backed segments without PF_X, so the flag alone misses every module there).
 */
async function moduleFiles(reader: FileReader, files: readonly FileMapping[], segments: Segments): Promise<Set<string>> {
  const modules = new Set(files.filter((f) => ((segments.at(f.start)?.flags ?? 0) & PF_X) !== 0).map((f) => f.name));
  for (const f of files) {
    if (modules.has(f.name) || f.pageOffset !== 0n) continue;
    const p = segments.at(f.start);
    const offset = p && f.start - p.vaddr + 4n <= p.filesz ? safeNumber(p.offset + (f.start - p.vaddr)) : undefined;
    const head = offset === undefined ? undefined : await reader.view(offset, 4);
    if (head && ELF_MAGIC.every((b, i) => head.u8(i) === b)) modules.add(f.name);
  }
  return modules;
}

/**
 * Maps an ELF core: headers and note headers are structure, notes by type, PT_LOAD contents are
 * memory: a module image when NT_FILE maps the range to an ELF image (see moduleFiles), another
 * mapped file, the thread stack holding a thread's SP, or else anonymous (heap) memory.
 */
export async function parseElfCore(fileReader: FileReader, out: RegionBuilder): Promise<DumpSummary> {
  const summary: DumpSummary = { format: 'elf-core' };
  const identity = await readIdentity(fileReader);
  if (!identity) {
    out.warn('ELF identification (class, byte order) is not valid; the file is scanned as raw bytes');
    return summary;
  }
  const reader = fileReader.withByteOrder(identity.littleEndian);
  const headers = await readHeaders(reader, out, identity.is64);
  if (!headers) return summary;
  const { header, programs } = headers;
  if (header.type !== ET_CORE) {
    out.warn(`ELF type ${header.type} is not a core file (ET_CORE); only its headers are parsed`);
    return { ...summary, format: 'elf' };
  }
  const m = machine(header.machine, identity.is64);
  summary.arch = m.arch;
  const wordSize = identity.is64 ? 8 : 4;

  const facts: NoteFacts = { threads: [], files: [], hasFileNote: false, linux: false };
  for (const p of programs.filter((p) => p.type === PT_NOTE)) {
    const range = fileRange(p, reader.size, out);
    const segment = range && (await reader.view(range.offset, range.length));
    if (range && !segment) out.warn(`PT_NOTE segment of ${range.length} bytes is too large to parse; left raw`);
    // Linux writes 4-byte-aligned notes whatever the class; 8 only when the segment says so.
    if (segment) parseNotes(segment, p.align === 8n ? 8 : 4, m, wordSize, facts, out);
  }
  summary.threads = facts.threads.length;
  if (facts.linux) summary.os = 'linux';
  if (facts.process !== undefined) summary.process = facts.process;

  const loads = programs.filter((p) => p.type === PT_LOAD);
  const segments = new Segments(loads);
  const executableFiles = await moduleFiles(reader, facts.files, segments);
  const fileSpans: VaSpan[] = facts.files.map((f) => ({ start: f.start, end: f.end, kind: executableFiles.has(f.name) ? 'module' : 'mapped-file', module: f.name }));
  const stackSpans: VaSpan[] = [];
  for (const t of facts.threads) {
    const p = t.sp === undefined ? undefined : segments.at(t.sp);
    if (p) stackSpans.push({ start: p.vaddr, end: p.vaddr + p.memsz, kind: 'stack', thread: t.id });
  }
  if (facts.hasFileNote) summary.modules = executableFiles.size;

  const layers = [new VaLayer(fileSpans), new VaLayer(stackSpans)];
  // Ranges count every PT_LOAD, as readelf lists them; bytes count what the file holds.
  let bytes = 0;
  for (const p of loads) {
    const range = fileRange(p, reader.size, out);
    if (!range) continue;
    bytes += range.length;
    for (const c of classifyMemory(range.offset, p.vaddr, range.length, layers, 'heap')) out.claim(c);
  }
  summary.memoryRanges = loads.length;
  summary.memoryBytes = bytes;
  return summary;
}
