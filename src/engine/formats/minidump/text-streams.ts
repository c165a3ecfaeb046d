import type { StructView } from '../byte-reader.ts';
import { minidumpString } from './strings.ts';
import type { Scope } from './scope.ts';

/**
 * Streams that are text from end to end: CommentStreamA/W and the /proc and /etc files Breakpad's
 * Linux writer copies verbatim (environ and cmdline hold NUL-separated strings).
 */
export function claimTextStream(scope: Scope, view: StructView, label: string): void {
  scope.out.claim({ offset: view.offset, length: view.length, kind: 'text-stream', label });
}

/**
 * MD_LINUX_AUXV: the process's auxiliary vector as (type, value) word pairs: addresses, ids and
 * flags, no secrets (AT_RANDOM points at the random bytes, which live in stack memory). Structure
 * when it is whole pairs of 4- or 8-byte words; otherwise raw.
 */
export function parseLinuxAuxv(scope: Scope, view: StructView, wordSize: 4 | 8): void {
  if (view.length % (2 * wordSize) !== 0) {
    scope.out.warn(`LinuxAuxv: ${view.length} bytes is not a whole number of ${2 * wordSize}-byte entries; left raw`);
    return;
  }
  scope.out.claim({ offset: view.offset, length: view.length, kind: 'structure', label: 'LinuxAuxv' });
}

/**
 * MD_LINUX_DSO_DEBUG: MDRawDebug { uint32 version; MDRVA map; uint32 dso_count; then brk, ldbase,
 * dynamic as native pointers }, followed in the stream by a copy of the executable's DYNAMIC
 * section (left raw). `map` points at dso_count MDRawLinkMap { addr; MDRVA name; ld } records with
 * native pointers and natural alignment, whose names are MINIDUMP_STRINGs.
 */
export async function parseLinuxDsoDebug(scope: Scope, view: StructView, wordSize: 4 | 8): Promise<void> {
  const headerSize = wordSize === 8 ? 40 : 24;
  const linkMapSize = wordSize === 8 ? 24 : 12;
  const nameAt = wordSize === 8 ? 8 : 4;
  if (view.length < headerSize) {
    scope.out.warn(`LinuxDsoDebug is ${view.length} bytes, shorter than MDRawDebug (${headerSize}); left raw`);
    return;
  }
  scope.out.claim({ offset: view.offset, length: headerSize, kind: 'structure', label: 'LinuxDsoDebug' });
  const mapRva = view.u32(4);
  const count = view.u32(8);
  const maps = count === 0 ? undefined : await scope.reader.view(mapRva, count * linkMapSize);
  if (count > 0 && !maps) {
    scope.out.warn(`LinuxDsoDebug: ${count} link-map records at RVA ${mapRva} do not fit in the file; left raw`);
    return;
  }
  if (!maps) return;
  scope.out.claim({ offset: mapRva, length: maps.length, kind: 'structure', label: 'LinuxDsoDebug' });
  for (let i = 0; i < count; i++) await minidumpString(scope, maps.u32(i * linkMapSize + nameAt), 'LinuxDsoName');
}
