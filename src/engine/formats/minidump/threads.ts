import { safeNumber, type StructView } from '../byte-reader.ts';
import { countedList } from './lists.ts';
import { clipLocation, readLocation, type Location, type Scope } from './scope.ts';
import { minidumpString } from './strings.ts';

export interface ThreadRecord {
  id: number;
  stackStart: bigint;
  stackSize: number;
  context: Location;
}

/**
 * MINIDUMP_THREAD (48 bytes): ThreadId @0, SuspendCount, PriorityClass, Priority, Teb @16,
 * Stack MINIDUMP_MEMORY_DESCRIPTOR @24, ThreadContext MINIDUMP_LOCATION_DESCRIPTOR @40.
 * MINIDUMP_THREAD_EX (64 bytes) adds the IA-64 BackingStore descriptor @48.
 */
const THREAD_SIZE = 48;
const THREAD_EX_SIZE = 64;

/**
 * ThreadListStream / ThreadExListStream: records are structure; each stack's bytes are claimed
 * as that thread's stack. Contexts are parsed by the caller once the CPU is known.
 */
export function parseThreadList(scope: Scope, view: StructView, extended: boolean): ThreadRecord[] {
  const name = extended ? 'ThreadExList' : 'ThreadList';
  const list = countedList(scope, view, name, extended ? THREAD_EX_SIZE : THREAD_SIZE);
  const threads: ThreadRecord[] = [];
  if (!list) return threads;
  for (let i = 0; i < list.count; i++) {
    const at = list.entriesAt + i * list.entrySize;
    const id = view.u32(at);
    const stackStart = view.u64(at + 24);
    const stack = readLocation(view, at + 32);
    threads.push({ id, stackStart, stackSize: stack.dataSize, context: readLocation(view, at + 40) });
    claimThreadMemory(scope, id, stackStart, stack, `${name} stack`);
    // The register backing store of IA-64 threads is stack-like memory of the same thread.
    if (extended) claimThreadMemory(scope, id, view.u64(at + 48), readLocation(view, at + 56), `${name} backing store`);
  }
  return threads;
}

function claimThreadMemory(scope: Scope, thread: number, va: bigint, loc: Location, family: string): void {
  const clipped = clipLocation(scope, loc, family, `of thread ${thread}`);
  if (clipped) scope.out.claim({ offset: clipped.rva, length: clipped.dataSize, kind: 'stack', va, thread });
}

/** ThreadNamesStream: ULONG32 count, then packed { ULONG32 ThreadId; RVA64 RvaOfThreadName; }. */
export async function parseThreadNames(scope: Scope, view: StructView): Promise<void> {
  const list = countedList(scope, view, 'ThreadNames', 12);
  if (!list) return;
  for (let i = 0; i < list.count; i++) {
    const at = list.entriesAt + i * list.entrySize;
    const rva = safeNumber(view.u64(at + 4));
    if (rva !== undefined) await minidumpString(scope, rva, 'ThreadName');
  }
}
