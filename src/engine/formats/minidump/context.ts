import type { StructView } from '../byte-reader.ts';
import { claimSlices, type Slice } from '../layout.ts';
import { CONTEXT_AMD64, CONTEXT_AMD64_FLAGS_AT, CONTEXT_AMD64_LAYOUT, CONTEXT_AMD64_SIZE } from './context-amd64.ts';
import {
  CONTEXT_ARM64,
  CONTEXT_ARM64_LAYOUT,
  CONTEXT_ARM64_OLD,
  CONTEXT_ARM64_OLD_LAYOUT,
  CONTEXT_ARM64_OLD_SIZE,
  CONTEXT_ARM64_SIZE,
} from './context-arm64.ts';
import { CONTEXT_X86, CONTEXT_X86_LAYOUT, CONTEXT_X86_SIZE } from './context-x86.ts';
import { clipLocation, type Location, type Scope } from './scope.ts';

interface ContextFormat {
  label: string;
  /** The SystemInfo architecture this layout belongs to. */
  arch: string;
  size: number;
  layout: readonly Slice[];
  /** Where the ContextFlags word with the CPU-type bits is. */
  flagsAt: number;
  cpu: number;
  /** Whether a CONTEXT_EX with XSAVE state may follow (CONTEXT_XSTATE = cpu | 0x40). */
  extended: boolean;
}

const FORMATS: readonly ContextFormat[] = [
  { label: 'CONTEXT_AMD64', arch: 'amd64', size: CONTEXT_AMD64_SIZE, layout: CONTEXT_AMD64_LAYOUT, flagsAt: CONTEXT_AMD64_FLAGS_AT, cpu: CONTEXT_AMD64, extended: true },
  { label: 'CONTEXT_X86', arch: 'x86', size: CONTEXT_X86_SIZE, layout: CONTEXT_X86_LAYOUT, flagsAt: 0, cpu: CONTEXT_X86, extended: true },
  { label: 'CONTEXT_ARM64', arch: 'arm64', size: CONTEXT_ARM64_SIZE, layout: CONTEXT_ARM64_LAYOUT, flagsAt: 0, cpu: CONTEXT_ARM64, extended: false },
  { label: 'CONTEXT_ARM64_OLD', arch: 'arm64', size: CONTEXT_ARM64_OLD_SIZE, layout: CONTEXT_ARM64_OLD_LAYOUT, flagsAt: 0, cpu: CONTEXT_ARM64_OLD, extended: false },
];

/** The low 16 bits of ContextFlags select parts; the high 16 name the CPU. */
const CPU_MASK = 0xffff0000;
const CONTEXT_XSTATE_BIT = 0x40;
/** CONTEXT_EX { CONTEXT_CHUNK All, Legacy, XState; } with CONTEXT_CHUNK { LONG Offset; ULONG Length; } */
const CONTEXT_EX_SIZE = 24;
/** XSAVE_AREA_HEADER { ULONG64 Mask; ULONG64 CompactionMask; ULONG64 Reserved2[6]; } */
const XSAVE_HEADER_SIZE = 64;

function matches(view: StructView, f: ContextFormat): boolean {
  return view.length >= f.size && (view.u32(f.flagsAt) & CPU_MASK) >>> 0 === f.cpu;
}

/**
 * A thread context: general registers, flags and control words are registers (never zeroed),
 * FP/SIMD contents vector registers, ContextFlags structure. The layout is chosen by the CPU bits
 * of ContextFlags, limited to SystemInfo's architecture when it is known; a context no layout fits
 * stays raw. An architecture this parser has no layout for (ARM32, PPC…) filters nothing: the
 * CPU bits alone must then match.
 */
export async function parseContext(scope: Scope, loc: Location, arch: string | undefined, thread: number | undefined, owner: string): Promise<void> {
  const clipped = clipLocation(scope, loc, `${owner} context`);
  if (!clipped) return;
  const view = await scope.reader.view(clipped.rva, clipped.dataSize);
  if (!view) {
    scope.out.warn(`${owner} context: ${clipped.dataSize} bytes is too large to be a CPU context; left raw`);
    return;
  }
  const candidates = FORMATS.filter((f) => arch === undefined || f.arch === arch || !FORMATS.some((g) => g.arch === arch));
  const format = candidates.find((f) => matches(view, f));
  if (!format) {
    const flags = view.has(0, 4) ? `0x${view.u32(0).toString(16)}` : 'none';
    scope.out.warn(`${owner} context (${view.length} bytes, flags ${flags}) matches no known ${arch ? `${arch} ` : ''}CPU context layout; left raw`, 'unknown CPU context layout');
    return;
  }
  const attrs = { thread, label: format.label };
  claimSlices(scope.out, view.offset, format.size, format.layout, attrs);
  if (view.length === format.size) return;
  const extra = view.slice(format.size, view.length - format.size);
  const xstate = format.extended && (view.u32(format.flagsAt) & CONTEXT_XSTATE_BIT) !== 0;
  if (!xstate || !claimContextEx(scope, extra, format.size, thread)) {
    scope.out.warn(`${owner} context: ${extra.length} bytes after ${format.label} are not explained; left raw`, 'unexplained bytes after a CPU context');
  }
}

/**
 * Windows appends CONTEXT_EX and the XSAVE state (AVX, AVX-512 upper halves) to contexts with
 * CONTEXT_XSTATE. Chunk offsets are relative to the CONTEXT_EX; All starts at the CONTEXT. The
 * XState chunk begins with the XSAVE header (structure); the components after it are vector
 * registers. Returns false when the chunks do not describe these bytes.
 */
function claimContextEx(scope: Scope, extra: StructView, contextSize: number, thread: number | undefined): boolean {
  if (extra.length < CONTEXT_EX_SIZE) return false;
  const allOffset = extra.i32(0);
  const xOffset = extra.i32(16);
  const xLength = extra.u32(20);
  const sound = allOffset === -contextSize && xOffset >= CONTEXT_EX_SIZE && xLength >= XSAVE_HEADER_SIZE && xOffset + xLength <= extra.length;
  if (!sound) return false;
  const { out } = scope;
  out.claim({ offset: extra.offset, length: CONTEXT_EX_SIZE, kind: 'structure', thread, label: 'CONTEXT_EX' });
  out.claim({ offset: extra.offset + xOffset, length: XSAVE_HEADER_SIZE, kind: 'structure', thread, label: 'XSTATE' });
  out.claim({ offset: extra.offset + xOffset + XSAVE_HEADER_SIZE, length: xLength - XSAVE_HEADER_SIZE, kind: 'vector-registers', thread, label: 'XSTATE' });
  return true;
}
