/**
 * MINIDUMP_STREAM_TYPE values (minidumpapiset.h) and the Breakpad, Crashpad and Mozilla extensions
 * (google_breakpad/common/minidump_format.h, crashpad minidump/minidump_extensions.h,
 * rust-minidump minidump-common/src/format.rs).
 */
export const StreamType = {
  Unused: 0,
  ThreadList: 3,
  ModuleList: 4,
  MemoryList: 5,
  Exception: 6,
  SystemInfo: 7,
  ThreadExList: 8,
  Memory64List: 9,
  CommentStreamA: 10,
  CommentStreamW: 11,
  HandleData: 12,
  FunctionTable: 13,
  UnloadedModuleList: 14,
  MiscInfo: 15,
  MemoryInfoList: 16,
  ThreadInfoList: 17,
  HandleOperationList: 18,
  Token: 19,
  JavaScriptData: 20,
  SystemMemoryInfo: 21,
  ProcessVmCounters: 22,
  IptTrace: 23,
  ThreadNames: 24,
  BreakpadInfo: 0x47670001,
  AssertionInfo: 0x47670002,
  LinuxCpuInfo: 0x47670003,
  LinuxProcStatus: 0x47670004,
  LinuxLsbRelease: 0x47670005,
  LinuxCmdLine: 0x47670006,
  LinuxEnviron: 0x47670007,
  LinuxAuxv: 0x47670008,
  LinuxMaps: 0x47670009,
  LinuxDsoDebug: 0x4767000a,
  CrashpadInfo: 0x43500001,
  MozMacosCrashInfo: 0x4d7a0001,
  MozMacosBootargs: 0x4d7a0002,
  MozLinuxLimits: 0x4d7a0003,
  MozSoftErrors: 0x4d7a0004,
} as const;

const STREAM_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(StreamType).map(([name, type]) => [type, name]));

export function streamName(type: number): string {
  return STREAM_NAMES.get(type) ?? `stream 0x${type.toString(16)}`;
}
