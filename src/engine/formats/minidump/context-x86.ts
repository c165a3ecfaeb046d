import { FXSAVE_LAYOUT, shiftSlices, type Slice } from '../layout.ts';

/** CONTEXT_i386 / CONTEXT_X86 in ContextFlags. */
export const CONTEXT_X86 = 0x00010000;
export const CONTEXT_X86_SIZE = 716;

/**
 * The x86 CONTEXT (WinNT.h, Breakpad MDRawContextX86): ContextFlags @0; Dr0–3, Dr6, Dr7 @4;
 * FLOATING_SAVE_AREA @28 (ControlWord…DataSelector @28..56, RegisterArea = ST0–7 @56..136,
 * Cr0NpxState @136); segment and general registers, Eip, EFlags, Esp @140..204;
 * ExtendedRegisters (an FXSAVE image holding XMM0–7) @204..716.
 */
export const CONTEXT_X86_LAYOUT: readonly Slice[] = [
  { start: 0, end: 4, kind: 'structure' },
  { start: 4, end: 56, kind: 'registers' },
  { start: 56, end: 136, kind: 'vector-registers' },
  { start: 136, end: 204, kind: 'registers' },
  ...shiftSlices(FXSAVE_LAYOUT, 204),
];
