import type { StructView } from '../byte-reader.ts';
import type { Scope } from './scope.ts';

/** Where a list's entries are and how many of them the stream really holds. */
export interface ListShape {
  /** Offset of the first entry inside the stream view. */
  entriesAt: number;
  entrySize: number;
  count: number;
}

/**
 * Trusts a declared count only as far as the bytes go: entries that do not fit in the stream are
 * not parsed (their bytes stay raw) and the mismatch is a warning. Claims the header and the
 * entries that fit as structure.
 */
function fitEntries(scope: Scope, view: StructView, name: string, declared: bigint, entriesAt: number, entrySize: number): ListShape {
  const fit = Math.floor((view.length - entriesAt) / entrySize);
  const count = declared > BigInt(fit) ? fit : Number(declared);
  if (declared > BigInt(fit)) {
    scope.out.warn(`${name} declares ${declared} entries but its ${view.length} bytes hold ${fit}; parsed ${fit}`, `${name}: entry count exceeds the stream size`);
  }
  const used = entriesAt + count * entrySize;
  if (count === Number(declared) && view.length > used) {
    scope.out.warn(`${name}: ${view.length - used} bytes after the last entry are not explained; left raw`, `${name}: unexplained trailing bytes`);
  }
  scope.out.claim({ offset: view.offset, length: used, kind: 'structure', label: name });
  return { entriesAt, entrySize, count };
}

/**
 * MINIDUMP_THREAD_LIST, MINIDUMP_MODULE_LIST, MINIDUMP_MEMORY_LIST…: a ULONG32 count, then the
 * entries. Some writers put 4 bytes of padding after the count so 64-bit entries are 8-aligned;
 * rust-minidump's read_stream_list accepts exactly that, and so does this.
 */
export function countedList(scope: Scope, view: StructView, name: string, entrySize: number): ListShape | undefined {
  if (view.length < 4) {
    scope.out.warn(`${name} is ${view.length} bytes, too short for its count; left raw`, `${name}: too short`);
    return undefined;
  }
  const declared = view.u32(0);
  const padded = view.length === 8 + declared * entrySize;
  return fitEntries(scope, view, name, BigInt(declared), padded ? 8 : 4, entrySize);
}

/**
 * Lists that describe themselves (MINIDUMP_MEMORY_INFO_LIST, MINIDUMP_UNLOADED_MODULE_LIST,
 * MINIDUMP_THREAD_INFO_LIST, MINIDUMP_HANDLE_DATA_STREAM): ULONG32 SizeOfHeader, ULONG32 SizeOfEntry,
 * then a 32- or 64-bit entry count. Newer writers may grow both sizes; the fields this parser reads
 * sit at fixed offsets, so larger sizes are fine and smaller ones are refused.
 */
export function headeredList(
  scope: Scope,
  view: StructView,
  name: string,
  layout: { minHeader: number; minEntry: number; count64: boolean },
): ListShape | undefined {
  const countEnd = layout.count64 ? 16 : 12;
  if (view.length < countEnd) {
    scope.out.warn(`${name} is ${view.length} bytes, too short for its header; left raw`, `${name}: too short`);
    return undefined;
  }
  const headerSize = view.u32(0);
  const entrySize = view.u32(4);
  if (headerSize < layout.minHeader || headerSize > view.length || entrySize < layout.minEntry) {
    scope.out.warn(
      `${name}: header size ${headerSize} / entry size ${entrySize} do not fit its layout (at least ${layout.minHeader} / ${layout.minEntry}); left raw`,
      `${name}: bad header`,
    );
    return undefined;
  }
  const declared = layout.count64 ? view.u64(8) : BigInt(view.u32(8));
  return fitEntries(scope, view, name, declared, headerSize, entrySize);
}
