import type { Slice } from '../layout.ts';

/** CONTEXT_ARM64 (Windows and Breakpad's current MDRawContextARM64). */
export const CONTEXT_ARM64 = 0x00400000;
export const CONTEXT_ARM64_SIZE = 912;

/**
 * The ARM64 CONTEXT (WinNT.h ARM64_NT_CONTEXT, Breakpad MDRawContextARM64): ContextFlags @0;
 * Cpsr @4; X0–X28, Fp, Lr, Sp, Pc @8..272; V0–V31 @272..784; Fpcr, Fpsr @784; Bcr[8], Bvr[8],
 * Wcr[2], Wvr[2] @792..912.
 */
export const CONTEXT_ARM64_LAYOUT: readonly Slice[] = [
  { start: 0, end: 4, kind: 'structure' },
  { start: 4, end: 272, kind: 'registers' },
  { start: 272, end: 784, kind: 'vector-registers' },
  { start: 784, end: 912, kind: 'registers' },
];

/** Breakpad's MD_CONTEXT_ARM64_OLD, in a 64-bit context_flags. */
export const CONTEXT_ARM64_OLD = 0x80000000;
export const CONTEXT_ARM64_OLD_SIZE = 796;

/**
 * Breakpad's MDRawContextARM64_Old (packed to 4): uint64 context_flags @0; iregs[33] (X0–X31, PC)
 * @8..272; cpsr @272; float_save { fpsr @276, fpcr @280, regs[32] @284..796 }.
 */
export const CONTEXT_ARM64_OLD_LAYOUT: readonly Slice[] = [
  { start: 0, end: 8, kind: 'structure' },
  { start: 8, end: 284, kind: 'registers' },
  { start: 284, end: 796, kind: 'vector-registers' },
];
