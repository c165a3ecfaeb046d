import { FXSAVE_LAYOUT, shiftSlices, type Slice } from '../layout.ts';

/** CONTEXT_AMD64 in ContextFlags (which sits at offset 48 in this layout). */
export const CONTEXT_AMD64 = 0x00100000;
export const CONTEXT_AMD64_SIZE = 1232;
export const CONTEXT_AMD64_FLAGS_AT = 48;

/**
 * The AMD64 CONTEXT (WinNT.h, Breakpad MDRawContextAMD64): P1Home–P6Home @0; ContextFlags @48;
 * MxCsr @52; segment selectors, EFlags, Dr0–7, Rax–R15, Rip @56..256; FltSave (XMM_SAVE_AREA32,
 * the FXSAVE image with XMM0–15) @256..768; VectorRegister[26] @768..1184; VectorControl,
 * DebugControl and the last-branch/exception records @1184..1232.
 */
export const CONTEXT_AMD64_LAYOUT: readonly Slice[] = [
  { start: 0, end: 48, kind: 'registers' },
  { start: 48, end: 52, kind: 'structure' },
  { start: 52, end: 256, kind: 'registers' },
  ...shiftSlices(FXSAVE_LAYOUT, 256),
  { start: 768, end: 1184, kind: 'vector-registers' },
  { start: 1184, end: 1232, kind: 'registers' },
];
