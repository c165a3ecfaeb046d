import { safeNumber, type StructView } from '../byte-reader.ts';
import { classifyMemory, type VaLayer, type VaSpan } from '../va-classify.ts';
import { countedList, headeredList } from './lists.ts';
import { clipLocation, type Scope } from './scope.ts';

/** What the memory lists contributed to the summary. */
export interface MemoryTotals {
  ranges: number;
  bytes: number;
}

/** MINIDUMP_MEMORY_DESCRIPTOR { ULONG64 StartOfMemoryRange; MINIDUMP_LOCATION_DESCRIPTOR Memory; } */
const MEMORY_DESCRIPTOR_SIZE = 16;
/** MINIDUMP_MEMORY_DESCRIPTOR64 { ULONG64 StartOfMemoryRange; ULONG64 DataSize; } */
const MEMORY_DESCRIPTOR64_SIZE = 16;
/** MINIDUMP_MEMORY_INFO: BaseAddress @0, RegionSize @24, State @32, Type @40; 48 bytes. */
const MEMORY_INFO_SIZE = 48;

const MEM_PRIVATE = 0x20000;
const MEM_MAPPED = 0x40000;

/**
 * MemoryListStream: each descriptor's bytes are memory, classified by address (thread stack,
 * module image, memory-info type).
 */
export function parseMemoryList(scope: Scope, view: StructView, layers: readonly VaLayer[]): MemoryTotals {
  const list = countedList(scope, view, 'MemoryList', MEMORY_DESCRIPTOR_SIZE);
  const totals: MemoryTotals = { ranges: 0, bytes: 0 };
  if (!list) return totals;
  for (let i = 0; i < list.count; i++) {
    const at = list.entriesAt + i * list.entrySize;
    const va = view.u64(at);
    totals.ranges++;
    const loc = clipLocation(scope, { dataSize: view.u32(at + 8), rva: view.u32(at + 12) }, 'MemoryList range', i);
    if (!loc) continue;
    for (const c of classifyMemory(loc.rva, va, loc.dataSize, layers, 'memory')) scope.out.claim(c);
    totals.bytes += loc.dataSize;
  }
  return totals;
}

/**
 * Memory64ListStream (full-memory dumps): ULONG64 NumberOfMemoryRanges, RVA64 BaseRva, then
 * descriptors whose data lie back to back from BaseRva in descriptor order.
 */
export function parseMemory64List(scope: Scope, view: StructView, layers: readonly VaLayer[]): MemoryTotals {
  const { out, reader } = scope;
  const totals: MemoryTotals = { ranges: 0, bytes: 0 };
  if (view.length < 16) {
    out.warn(`Memory64List is ${view.length} bytes, too short for its header; left raw`);
    return totals;
  }
  const declared = view.u64(0);
  const fit = Math.floor((view.length - 16) / MEMORY_DESCRIPTOR64_SIZE);
  const count = declared > BigInt(fit) ? fit : Number(declared);
  if (declared > BigInt(fit)) {
    out.warn(`Memory64List declares ${declared} ranges but its ${view.length} bytes hold ${fit}; parsed ${fit}`);
  }
  out.claim({ offset: view.offset, length: 16 + count * MEMORY_DESCRIPTOR64_SIZE, kind: 'structure', label: 'Memory64List' });
  totals.ranges = count;
  let rva = safeNumber(view.u64(8));
  for (let i = 0; i < count; i++) {
    const at = 16 + i * MEMORY_DESCRIPTOR64_SIZE;
    const va = view.u64(at);
    const size = safeNumber(view.u64(at + 8));
    if (rva === undefined || size === undefined || rva >= reader.size) {
      out.warn(`Memory64List: range ${i} and the ${count - i - 1} after it lie past the end of the file; the dump is truncated`);
      break;
    }
    const length = Math.min(size, reader.size - rva);
    if (length < size) out.warn(`Memory64List range ${i}: ${size} bytes at ${rva} run past the end of the file; truncated to ${length}`);
    for (const c of classifyMemory(rva, va, length, layers, 'memory')) out.claim(c);
    totals.bytes += length;
    rva += size;
  }
  return totals;
}

/**
 * MemoryInfoListStream: no memory contents, only what each address range is. MEM_PRIVATE ranges
 * are heap and MEM_MAPPED ranges mapped files; MEM_IMAGE is left to the module list, which knows
 * the module's name.
 */
export function parseMemoryInfoList(scope: Scope, view: StructView): VaSpan[] {
  const list = headeredList(scope, view, 'MemoryInfoList', { minHeader: 16, minEntry: MEMORY_INFO_SIZE, count64: true });
  const spans: VaSpan[] = [];
  if (!list) return spans;
  for (let i = 0; i < list.count; i++) {
    const at = list.entriesAt + i * list.entrySize;
    const start = view.u64(at);
    const size = view.u64(at + 24);
    const type = view.u32(at + 40);
    if (type === MEM_PRIVATE) spans.push({ start, end: start + size, kind: 'heap' });
    else if (type === MEM_MAPPED) spans.push({ start, end: start + size, kind: 'mapped-file' });
  }
  return spans;
}
