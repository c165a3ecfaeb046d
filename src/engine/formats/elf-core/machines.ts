import { FXSAVE_LAYOUT, type Slice } from '../layout.ts';

/**
 * Where struct elf_prstatus keeps pr_pid and pr_reg, and which pr_reg word is the stack pointer.
 * The header before pr_reg (siginfo, cursig, sigpend/sighold longs, pid…sid, four timevals) is
 * 112 bytes with 64-bit longs and 72 with 32-bit ones; m68k aligns longs to 2, so 70 there.
 */
interface PrstatusLayout {
  pidAt: number;
  regsAt: number;
  regSize: 4 | 8;
  /** Index of the stack pointer in pr_reg, where the register set is known. */
  spIndex?: number;
}

export interface Machine {
  arch: string;
  prstatus: PrstatusLayout;
  /** CORE NT_PRFPREG (elf_fpregset_t) layout; without one the whole note is vector registers. */
  fpregs?: readonly Slice[];
}

const LP64: PrstatusLayout = { pidAt: 32, regsAt: 112, regSize: 8 };
const ILP32: PrstatusLayout = { pidAt: 24, regsAt: 72, regSize: 4 };

/** FP register contents first, then control/status words (fpscr, fcsr, fpsr/fpcr, fpcntl…). */
const fpThenControl = (valuesEnd: number, total: number): Slice[] => [
  { start: 0, end: valuesEnd, kind: 'vector-registers' },
  { start: valuesEnd, end: total, kind: 'registers' },
];

const EM_386 = 3;
const EM_68K = 4;
const EM_PPC = 20;
const EM_PPC64 = 21;
const EM_ARM = 40;
const EM_X86_64 = 62;
const EM_AARCH64 = 183;
const EM_RISCV = 243;

/** Machines whose names are known but whose register notes are not parsed. */
const OTHER_NAMES: ReadonlyMap<number, [string, string]> = new Map([
  [2, ['sparc', 'sparc64']],
  [8, ['mips', 'mips64']],
  [22, ['s390', 's390x']],
  [43, ['sparc64', 'sparc64']],
  [50, ['ia64', 'ia64']],
]);

/**
 * Per-architecture facts for core notes. SP indices follow each kernel's user_regs_struct /
 * pt_regs order: x86_64 rsp is word 19, i386 esp 15, aarch64 sp 31, riscv sp (x2) 2, powerpc
 * gpr1 1, m68k usp 15, arm r13. Architecture names match the minidump parser's.
 */
export function machine(em: number, is64: boolean): Machine {
  switch (em) {
    case EM_X86_64:
      // x32: an ELF32 core of 64-bit registers behind the 32-bit (compat) prstatus header.
      return is64
        ? { arch: 'amd64', prstatus: { ...LP64, spIndex: 19 }, fpregs: FXSAVE_LAYOUT }
        : { arch: 'x32', prstatus: { pidAt: 24, regsAt: 72, regSize: 8, spIndex: 19 }, fpregs: FXSAVE_LAYOUT };
    case EM_386:
      // user_i387_struct (FSAVE): cwd, swd, twd, fip, fcs, foo, fos, then st_space[20].
      return { arch: 'x86', prstatus: { ...ILP32, spIndex: 15 }, fpregs: [{ start: 0, end: 28, kind: 'registers' }, { start: 28, end: 108, kind: 'vector-registers' }] };
    case EM_AARCH64:
      // user_fpsimd_state: vregs[32] (16 bytes each), fpsr, fpcr, padding.
      return { arch: 'arm64', prstatus: { ...LP64, spIndex: 31 }, fpregs: fpThenControl(512, 528) };
    case EM_RISCV:
      // __riscv_d_ext_state: f[32] (8 bytes each), fcsr.
      return { arch: is64 ? 'riscv64' : 'riscv32', prstatus: { ...(is64 ? LP64 : ILP32), spIndex: 2 }, fpregs: fpThenControl(256, 264) };
    case EM_PPC:
    case EM_PPC64:
      // elf_fpregset_t: fpr[32] doubles, then fpscr.
      return { arch: em === EM_PPC ? 'ppc' : 'ppc64', prstatus: { ...(is64 ? LP64 : ILP32), spIndex: 1 }, fpregs: fpThenControl(256, 264) };
    case EM_68K:
      // user_m68kfp_struct: fpregs[24] (8 registers of 12 bytes), fpcntl[3].
      return { arch: 'm68k', prstatus: { pidAt: 22, regsAt: 70, regSize: 4, spIndex: 15 }, fpregs: fpThenControl(96, 108) };
    case EM_ARM:
      return { arch: 'arm', prstatus: { ...ILP32, spIndex: 13 } };
    default: {
      const names = OTHER_NAMES.get(em);
      return { arch: names ? names[is64 ? 1 : 0] : `elf-machine-${em}`, prstatus: is64 ? LP64 : ILP32 };
    }
  }
}
