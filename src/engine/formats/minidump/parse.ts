import type { FileReader, StructView } from '../byte-reader.ts';
import type { DumpSummary } from '../dump-map.ts';
import type { RegionBuilder } from '../region-builder.ts';
import { VaLayer, type VaSpan } from '../va-classify.ts';
import { parseContext } from './context.ts';
import { parseCrashpadInfo } from './crashpad.ts';
import { readDirectory, type DirectoryEntry } from './header.ts';
import { parseMemory64List, parseMemoryInfoList, parseMemoryList } from './memory.ts';
import { parseModuleList, parseUnloadedModuleList, type ModuleRecord } from './modules.ts';
import { clipLocation, type Location, type Scope } from './scope.ts';
import { StreamType, streamName } from './stream-types.ts';
import { parseAssertionInfo, parseBreakpadInfo, parseException, parseMiscInfo, parseSystemInfo } from './system.ts';
import { claimTextStream, parseLinuxAuxv, parseLinuxDsoDebug } from './text-streams.ts';
import { parseThreadList, parseThreadNames, type ThreadRecord } from './threads.ts';

/** Streams the others depend on: read first, so memory ranges and contexts can be classified. */
const INDEX_STREAMS: ReadonlySet<number> = new Set([
  StreamType.SystemInfo,
  StreamType.ThreadList,
  StreamType.ThreadExList,
  StreamType.ModuleList,
  StreamType.MemoryInfoList,
  StreamType.MemoryList,
  StreamType.Memory64List,
]);

/** Streams that are text from end to end. */
const TEXT_STREAMS = [
  StreamType.CommentStreamA,
  StreamType.CommentStreamW,
  StreamType.LinuxCpuInfo,
  StreamType.LinuxProcStatus,
  StreamType.LinuxLsbRelease,
  StreamType.LinuxCmdLine,
  StreamType.LinuxEnviron,
  StreamType.LinuxMaps,
];

/** Architectures whose pointers (Linux auxv words, DSO debug records) are 8 bytes. */
const WIDE_ARCHES: ReadonlySet<string | undefined> = new Set(['amd64', 'arm64', 'ppc64', 'mips64', 'ia64', undefined]);

const basename = (path: string) => path.split(/[\\/]/).pop() ?? path;

/**
 * Maps a minidump: header, directory and every stream the parser understands; other streams'
 * bytes stay raw (labelled with the stream type). Streams that others depend on (system info,
 * threads, modules, memory info) are read first so memory ranges can be classified.
 */
export async function parseMinidump(reader: FileReader, out: RegionBuilder): Promise<DumpSummary> {
  const scope: Scope = { reader, out };
  const summary: DumpSummary = { format: 'minidump' };
  const read = await readDirectory(scope);
  if (!read) return summary;
  const directory = read.entries;
  summary.streams = directory.length;

  const of = (...types: number[]) => directory.filter((e) => types.includes(e.type));
  /** A stream's bytes inside the file; a stream overlapping the header or directory is bogus. */
  const locate = (entry: DirectoryEntry): Location | undefined => {
    const name = streamName(entry.type);
    const loc = clipLocation(scope, { dataSize: entry.dataSize, rva: entry.rva }, name, `(directory entry ${entry.index})`);
    if (loc && read.overlapsHeaders(loc.rva, loc.dataSize)) {
      out.warn(`${name} (directory entry ${entry.index}) at RVA ${loc.rva} overlaps the minidump header or directory; left raw`);
      return undefined;
    }
    return loc;
  };
  const load = async (entry: DirectoryEntry): Promise<StructView | undefined> => {
    const loc = locate(entry);
    if (!loc) return undefined;
    const view = await reader.view(loc.rva, loc.dataSize);
    if (!view) out.warn(`${streamName(entry.type)}: ${loc.dataSize} bytes is too large to parse; left raw`);
    return view;
  };

  for (const entry of of(StreamType.SystemInfo)) {
    const view = await load(entry);
    if (view) Object.assign(summary, await parseSystemInfo(scope, view));
  }
  const threads: ThreadRecord[] = [];
  for (const entry of of(StreamType.ThreadList, StreamType.ThreadExList)) {
    const view = await load(entry);
    if (view) threads.push(...parseThreadList(scope, view, entry.type === StreamType.ThreadExList));
  }
  const modules: ModuleRecord[] = [];
  for (const entry of of(StreamType.ModuleList)) {
    const view = await load(entry);
    if (view) modules.push(...(await parseModuleList(scope, view)));
  }
  const memoryInfo: VaSpan[] = [];
  for (const entry of of(StreamType.MemoryInfoList)) {
    const view = await load(entry);
    if (view) memoryInfo.push(...parseMemoryInfoList(scope, view));
  }
  if (of(StreamType.ThreadList, StreamType.ThreadExList).length) summary.threads = threads.length;
  if (of(StreamType.ModuleList).length) summary.modules = modules.length;
  const main = modules[0]?.name;
  if (main) summary.process = basename(main);

  const layers = [
    new VaLayer(threads.map((t) => ({ start: t.stackStart, end: t.stackStart + BigInt(t.stackSize), kind: 'stack', thread: t.id }))),
    new VaLayer(modules.map((m) => ({ start: m.base, end: m.base + BigInt(m.size), kind: 'module', ...(m.name !== undefined && { module: m.name }) }))),
    new VaLayer(memoryInfo),
  ];
  const memoryLists = of(StreamType.MemoryList, StreamType.Memory64List);
  for (const entry of memoryLists) {
    const view = await load(entry);
    if (!view) continue;
    const totals = entry.type === StreamType.MemoryList ? parseMemoryList(scope, view, layers) : parseMemory64List(scope, view, layers);
    summary.memoryRanges = (summary.memoryRanges ?? 0) + totals.ranges;
    summary.memoryBytes = (summary.memoryBytes ?? 0) + totals.bytes;
  }

  for (const t of threads) await parseContext(scope, t.context, summary.arch, t.id, `thread ${t.id}`);
  const wordSize = WIDE_ARCHES.has(summary.arch) ? 8 : 4;
  for (const entry of directory) {
    if (INDEX_STREAMS.has(entry.type) || entry.type === StreamType.Unused) continue;
    const parse = OTHER_STREAMS.get(entry.type);
    if (!parse) {
      // Streams this parser does not understand stay raw, labelled so findings say where.
      const loc = locate(entry);
      if (loc) out.claim({ offset: loc.rva, length: loc.dataSize, kind: 'raw', label: streamName(entry.type) });
      continue;
    }
    const view = await load(entry);
    if (view) await parse(scope, view, { arch: summary.arch, wordSize, type: entry.type });
  }
  return summary;
}

type StreamParser = (scope: Scope, view: StructView, env: { arch: string | undefined; wordSize: 4 | 8; type: number }) => Promise<void> | void;

const textStream: StreamParser = (scope, view, { type }) => claimTextStream(scope, view, streamName(type));

const OTHER_STREAMS: ReadonlyMap<number, StreamParser> = new Map<number, StreamParser>([
  ...TEXT_STREAMS.map((type): [number, StreamParser] => [type, textStream]),
  [
    StreamType.Exception,
    async (scope, view, { arch }) => {
      const exception = parseException(scope, view);
      if (exception) await parseContext(scope, exception.context, arch, exception.thread, 'exception');
    },
  ],
  [StreamType.MiscInfo, parseMiscInfo],
  [StreamType.ThreadNames, parseThreadNames],
  [StreamType.UnloadedModuleList, parseUnloadedModuleList],
  [StreamType.BreakpadInfo, parseBreakpadInfo],
  [StreamType.AssertionInfo, parseAssertionInfo],
  [StreamType.LinuxAuxv, (scope, view, { wordSize }) => parseLinuxAuxv(scope, view, wordSize)],
  [StreamType.LinuxDsoDebug, (scope, view, { wordSize }) => parseLinuxDsoDebug(scope, view, wordSize)],
  [StreamType.CrashpadInfo, parseCrashpadInfo],
]);
