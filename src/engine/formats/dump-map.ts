import type { ByteSource } from '../source.ts';
import { FileReader } from './byte-reader.ts';
import { parseElfCore } from './elf-core/parse.ts';
import { parseHprof } from './hprof.ts';
import { parseMinidump } from './minidump/parse.ts';
import { RegionBuilder } from './region-builder.ts';
import { sniffFormat } from './sniff.ts';

export type RegionKind =
  | 'stack' // thread stack memory (thread id known)
  | 'module' // module image memory (module name known)
  | 'heap' // private/heap memory (MEM_PRIVATE, anonymous PT_LOAD)
  | 'mapped-file' // file-backed mapping other than a module image (NT_FILE / MEM_MAPPED)
  | 'memory' // memory of unknown type
  | 'text-stream' // environment, command line, comments, annotations, /proc files, lsb-release…
  | 'registers' // general-purpose register state (never zeroed)
  | 'vector-registers' // FP/SIMD register contents: XMM/YMM/ZMM (and upper halves), ARM64 V0–V31
  | 'structure' // headers, directories, descriptors, program headers, note headers, contexts' control words… never written
  | 'raw'; // bytes no sound structure explains: scanned and redactable

export interface Region {
  /** File byte range. */
  offset: number;
  length: number;
  kind: RegionKind;
  /** Virtual address of the first byte, '0x' + lower-case hex. */
  va?: string;
  /** Module or mapped file path. */
  module?: string;
  thread?: number;
  /** What structure the bytes belong to, e.g. 'LinuxEnviron', 'CommentStreamW', 'NT_PRSTATUS'. */
  label?: string;
}

export interface DumpSummary {
  format: string;
  arch?: string;
  os?: string;
  process?: string;
  threads?: number;
  modules?: number;
  memoryRanges?: number;
  memoryBytes?: number;
  streams?: number;
}

export interface DumpMap {
  summary: DumpSummary;
  /** Sorted by offset, non-overlapping, together covering [0, file size) exactly: gaps are 'raw'. */
  regions: Region[];
  /** One line each, for the manifest's input.warnings: anything malformed, skipped or doubtful. */
  warnings: string[];
}

/**
 * Maps a dump's bytes to what they hold, with small reads only. Never throws on malformed input:
 * what is unsound is warned about and left raw, and if a parser fails outright the whole file is
 * raw (scanned and redactable) with the failure as a warning.
 */
export async function parseDump(source: ByteSource): Promise<DumpMap> {
  const sniffed = await sniffFormat(source);
  const reader = new FileReader(source);
  const out = new RegionBuilder(source.size);
  for (const w of sniffed.warnings) out.warn(w);
  try {
    const summary = await parseFormat(sniffed.format, reader, out);
    return { summary, ...out.build() };
  } catch (error) {
    const fallback = new RegionBuilder(source.size);
    for (const w of sniffed.warnings) fallback.warn(w);
    fallback.warn(`${sniffed.format} parser failed (${error instanceof Error ? error.message : String(error)}); the whole file is scanned as raw bytes`);
    return { summary: { format: sniffed.format }, ...fallback.build() };
  }
}

async function parseFormat(format: string, reader: FileReader, out: RegionBuilder) {
  switch (format) {
    case 'minidump':
      return parseMinidump(reader, out);
    case 'elf-core':
    case 'elf':
      return parseElfCore(reader, out);
    case 'hprof':
      return parseHprof(reader, out);
    default:
      // Microdumps are log text, compressed containers and unknown files are scanned as bytes.
      return { format };
  }
}

/** The region holding file byte `offset` (binary search). */
export function regionAt(map: DumpMap, offset: number): Region {
  const { regions } = map;
  let low = 0;
  let high = regions.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const r = regions[mid]!;
    if (offset < r.offset) high = mid - 1;
    else if (offset >= r.offset + r.length) low = mid + 1;
    else return r;
  }
  throw new RangeError(`offset ${offset} is outside the mapped file`);
}
