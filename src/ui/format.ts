/** Pure display helpers: no state, no DOM, so every view formats numbers the same way. */

import type { JobPhase } from '../engine/job-types.ts';
import type { DumpSummary } from '../engine/formats/dump-map.ts';
import type { ManifestEntry } from '../engine/manifest-types.ts';
import type { RegionRef } from '../engine/types.ts';

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** "512 bytes", "3.4 MiB": binary units, because dump sizes are page multiples. */
export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes.toLocaleString('en-US')} ${bytes === 1 ? 'byte' : 'bytes'}`;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 2 : 1 })} ${UNITS[unit]}`;
}

/** Exact count with separators, for places where rounding would hide a difference. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** File offsets the way debuggers and hex editors print them. */
export function formatHex(offset: number): string {
  return `0x${offset.toString(16).padStart(8, '0')}`;
}

/** Keeps enough of a SHA-256 to compare by eye; the full value goes in a title. */
export function shortHash(hex: string): string {
  return hex.length > 20 ? `${hex.slice(0, 12)}…${hex.slice(-6)}` : hex;
}

export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export const PHASE_LABELS: Record<JobPhase, string> = {
  scan: 'Scanning',
  sweep: 'Sweeping',
  write: 'Writing',
  verify: 'Verifying',
};

/** Same default naming as the CLI: crash.dmp → crash.sanitized.dmp, core → core.sanitized. */
export function sanitizedName(name: string): string {
  const dot = name.lastIndexOf('.');
  // A leading dot (".core") names a hidden file, not an extension.
  if (dot <= 0) return `${name}.sanitized`;
  return `${name.slice(0, dot)}.sanitized${name.slice(dot)}`;
}

export function manifestName(sanitized: string): string {
  return `${sanitized}.manifest.json`;
}

/** Bytes actually zeroed: the union of the ranges, since findings may overlap. */
export function zeroedBytes(entries: readonly ManifestEntry[]): number {
  const ranges = entries.map((e) => [e.offset, e.offset + e.length] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -1;
  for (const [start, stop] of ranges) {
    if (stop <= end) continue;
    total += stop - Math.max(start, end);
    end = stop;
  }
  return total;
}

/** Error text for people: the first line only, never a stack trace. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n', 1)[0]?.trim() ?? '';
  return line === '' ? 'The sanitizer failed without a message.' : line;
}

/** The dump at a glance, as short phrases: `amd64`, `linux`, `process driver`, `3 threads`… */
export function describeDump(s: DumpSummary | undefined): string[] {
  if (!s) return [];
  const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
  return [
    s.arch,
    s.os,
    s.process && `process ${s.process}`,
    s.threads !== undefined && plural(s.threads, 'thread'),
    s.modules !== undefined && plural(s.modules, 'module'),
    s.memoryRanges !== undefined && `${plural(s.memoryRanges, 'memory range')} (${formatSize(s.memoryBytes ?? 0)})`,
  ].filter((part): part is string => typeof part === 'string' && part.length > 0);
}

const REGION_NAMES: Record<string, string> = {
  stack: 'stack',
  module: 'module',
  heap: 'heap',
  'mapped-file': 'mapped file',
  memory: 'memory',
  'text-stream': 'text stream',
  'vector-registers': 'vector registers',
  raw: 'unparsed bytes',
};

/** Where a finding sits: `stack of thread 7 at 0x7ffd…`, `module libc.so.6`, `vector registers, thread 3`. */
export function describeRegion(r: RegionRef): string {
  const name = REGION_NAMES[r.kind] ?? r.kind;
  const owner = r.kind === 'stack' && r.thread !== undefined ? `stack of thread ${r.thread}` : name;
  const parts = [owner];
  if (r.module) parts.push(r.module.split(/[\\/]/).pop() ?? r.module);
  if (r.kind !== 'stack' && r.thread !== undefined) parts.push(`thread ${r.thread}`);
  return `${parts.join(', ')}${r.va ? ` at ${r.va}` : ''}`;
}
