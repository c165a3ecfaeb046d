import type { StructView } from '../byte-reader.ts';
import { readLocation, type Location, type Scope } from './scope.ts';
import { minidumpString } from './strings.ts';

/** MINIDUMP_SYSTEM_INFO.ProcessorArchitecture (PROCESSOR_ARCHITECTURE_*, Breakpad MD_CPU_ARCHITECTURE_*). */
const ARCHITECTURES: ReadonlyMap<number, string> = new Map([
  [0, 'x86'],
  [2, 'mips'],
  [4, 'ppc'],
  [5, 'arm'],
  [6, 'ia64'],
  [9, 'amd64'],
  [10, 'x86'], // IA32 on Win64
  [12, 'arm64'],
  [0x8001, 'sparc'],
  [0x8002, 'ppc64'],
  [0x8003, 'arm64'], // Breakpad's pre-standard ARM64
  [0x8004, 'mips64'],
]);

/** MINIDUMP_SYSTEM_INFO.PlatformId (VER_PLATFORM_*, Breakpad MD_OS_*). */
const PLATFORMS: ReadonlyMap<number, string> = new Map([
  [0, 'windows'],
  [1, 'windows'],
  [2, 'windows'],
  [3, 'windows'],
  [0x8000, 'unix'],
  [0x8101, 'macos'],
  [0x8102, 'ios'],
  [0x8201, 'linux'],
  [0x8202, 'solaris'],
  [0x8203, 'android'],
  [0x8204, 'ps3'],
  [0x8205, 'nacl'],
  [0x8206, 'fuchsia'],
]);

/**
 * MINIDUMP_SYSTEM_INFO (56 bytes): ProcessorArchitecture @0, …, PlatformId @20, CSDVersionRva @24,
 * SuiteMask, Reserved2, CPU_INFORMATION @32..56. All structure; the CSD version string (a service
 * pack on Windows, the kernel version on Linux) is text.
 */
export async function parseSystemInfo(scope: Scope, view: StructView): Promise<{ arch?: string; os?: string }> {
  if (view.length < 56) {
    scope.out.warn(`SystemInfo is ${view.length} bytes, shorter than MINIDUMP_SYSTEM_INFO (56); left raw`);
    return {};
  }
  scope.out.claim({ offset: view.offset, length: 56, kind: 'structure', label: 'SystemInfo' });
  await minidumpString(scope, view.u32(24), 'CSDVersion');
  const arch = ARCHITECTURES.get(view.u16(0));
  const os = PLATFORMS.get(view.u32(20));
  return { ...(arch && { arch }), ...(os && { os }) };
}

/**
 * MINIDUMP_MISC_INFO_N: numbers, except TimeZone's StandardName/DaylightName (WCHAR[32] @64 and
 * @148, MISC_INFO_3+) and BuildString/DbgBldStr (WCHAR[260] @232, WCHAR[40] @752, MISC_INFO_4+),
 * which are text. SizeOfInfo says which version; only the fields of known versions are claimed.
 */
const MISC_INFO_SIZES = [24, 44, 232, 832, 1364];
const MISC_INFO_TEXT: readonly [number, number][] = [
  [64, 128],
  [148, 212],
  [232, 752],
  [752, 832],
];

export function parseMiscInfo(scope: Scope, view: StructView): void {
  const declared = view.length >= 4 ? view.u32(0) : 0;
  const size = [...MISC_INFO_SIZES].reverse().find((s) => s <= declared && s <= view.length);
  if (size === undefined) {
    scope.out.warn(`MiscInfo: SizeOfInfo ${declared} in a ${view.length}-byte stream matches no MINIDUMP_MISC_INFO version; left raw`);
    return;
  }
  let cursor = 0;
  for (const [start, end] of MISC_INFO_TEXT.filter(([, e]) => e <= size)) {
    scope.out.claim({ offset: view.offset + cursor, length: start - cursor, kind: 'structure', label: 'MiscInfo' });
    scope.out.claim({ offset: view.offset + start, length: end - start, kind: 'text-stream', label: 'MiscInfo' });
    cursor = end;
  }
  scope.out.claim({ offset: view.offset + cursor, length: size - cursor, kind: 'structure', label: 'MiscInfo' });
}

/**
 * MINIDUMP_EXCEPTION_STREAM (168 bytes): ThreadId @0, MINIDUMP_EXCEPTION @8 (code, flags, record,
 * address, parameters), ThreadContext @160. Structure; the context is returned for the caller.
 */
export function parseException(scope: Scope, view: StructView): { thread: number; context: Location } | undefined {
  if (view.length < 168) {
    scope.out.warn(`Exception stream is ${view.length} bytes, shorter than MINIDUMP_EXCEPTION_STREAM (168); left raw`);
    return undefined;
  }
  scope.out.claim({ offset: view.offset, length: 168, kind: 'structure', label: 'Exception' });
  return { thread: view.u32(0), context: readLocation(view, 160) };
}

/** Breakpad MDRawBreakpadInfo { validity, dump_thread_id, requesting_thread_id }: structure. */
export function parseBreakpadInfo(scope: Scope, view: StructView): void {
  if (view.length >= 12) scope.out.claim({ offset: view.offset, length: 12, kind: 'structure', label: 'BreakpadInfo' });
}

/**
 * Breakpad MDRawAssertionInfo: expression, function and file as uint16_t[128] each (text), then
 * line and type (structure).
 */
export function parseAssertionInfo(scope: Scope, view: StructView): void {
  if (view.length < 776) return;
  scope.out.claim({ offset: view.offset, length: 768, kind: 'text-stream', label: 'AssertionInfo' });
  scope.out.claim({ offset: view.offset + 768, length: 8, kind: 'structure', label: 'AssertionInfo' });
}
