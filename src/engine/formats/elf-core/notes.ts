import type { StructView } from '../byte-reader.ts';
import type { RegionKind } from '../dump-map.ts';
import { claimSlices, FXSAVE_LAYOUT, type Slice } from '../layout.ts';
import type { RegionBuilder } from '../region-builder.ts';
import type { Machine } from './machines.ts';
import { parseNtFile, type FileMapping } from './nt-file.ts';

/** Note types (linux/elf.h); CORE-owned ones first, then LINUX-owned ones. */
const NT_PRSTATUS = 1;
const NT_PRFPREG = 2;
const NT_PRPSINFO = 3;
const NT_AUXV = 6;
const NT_SIGINFO = 0x53494749;
const NT_FILE = 0x46494c45;
const NT_PPC_VMX = 0x100;
const NT_PPC_VSX = 0x102;
const NT_X86_XSTATE = 0x202;
const NT_ARM_VFP = 0x400;
const NT_ARM_SVE = 0x405;
const NT_PRXFPREG = 0x46e62b7f;

const NOTE_NAMES: ReadonlyMap<string, ReadonlyMap<number, string>> = new Map([
  [
    'CORE',
    new Map([
      [NT_PRSTATUS, 'NT_PRSTATUS'],
      [NT_PRFPREG, 'NT_PRFPREG'],
      [NT_PRPSINFO, 'NT_PRPSINFO'],
      [4, 'NT_TASKSTRUCT'],
      [NT_AUXV, 'NT_AUXV'],
      [NT_SIGINFO, 'NT_SIGINFO'],
      [NT_FILE, 'NT_FILE'],
    ]),
  ],
  [
    'LINUX',
    new Map([
      [NT_PPC_VMX, 'NT_PPC_VMX'],
      [NT_PPC_VSX, 'NT_PPC_VSX'],
      [0x200, 'NT_386_TLS'],
      [0x201, 'NT_386_IOPERM'],
      [NT_X86_XSTATE, 'NT_X86_XSTATE'],
      [NT_ARM_VFP, 'NT_ARM_VFP'],
      [0x401, 'NT_ARM_TLS'],
      [0x402, 'NT_ARM_HW_BREAK'],
      [0x403, 'NT_ARM_HW_WATCH'],
      [NT_ARM_SVE, 'NT_ARM_SVE'],
      [NT_PRXFPREG, 'NT_PRXFPREG'],
    ]),
  ],
]);

/** pr_fname[16] and pr_psargs[80] end every architecture's elf_prpsinfo. */
const PRPSINFO_TEXT = 96;
const PRPSINFO_FNAME = 16;
/** The XSAVE legacy area is 512 bytes, then the 64-byte XSAVE header, then the components. */
const XSTATE_LAYOUT: readonly Slice[] = [...FXSAVE_LAYOUT, { start: 512, end: 576, kind: 'structure' }, { start: 576, end: Infinity, kind: 'vector-registers' }];
/** user_sve_header (size, max_size, vl, max_vl, flags, reserved) precedes the SVE registers. */
const SVE_LAYOUT: readonly Slice[] = [
  { start: 0, end: 16, kind: 'structure' },
  { start: 16, end: Infinity, kind: 'vector-registers' },
];
const whole = (kind: RegionKind): readonly Slice[] => [{ start: 0, end: Infinity, kind }];
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/** Facts the notes give the rest of the parser. */
export interface NoteFacts {
  threads: { id: number; sp?: bigint }[];
  files: FileMapping[];
  hasFileNote: boolean;
  process?: string;
  linux: boolean;
}

interface Note {
  owner: string;
  type: number;
  desc: StructView;
}

/**
 * Walks one PT_NOTE segment: every note header and owner name (and the padding after each part)
 * is structure, the descriptor is claimed by type. Register notes belong to the thread of the
 * NT_PRSTATUS before them, as both the kernel and gdb write them. Notes the parser does not know
 * stay raw.
 */
export function parseNotes(segment: StructView, align: 4 | 8, m: Machine, wordSize: 4 | 8, facts: NoteFacts, out: RegionBuilder): void {
  const pad = (n: number) => Math.ceil(n / align) * align;
  let pos = 0;
  while (segment.has(pos, 12)) {
    const namesz = segment.u32(pos);
    const descsz = segment.u32(pos + 4);
    const type = segment.u32(pos + 8);
    const descAt = pos + 12 + pad(namesz);
    const next = descAt + pad(descsz);
    if (!segment.has(descAt, descsz)) {
      out.warn(`note at file offset ${segment.offset + pos} (name size ${namesz}, data size ${descsz}) runs past its PT_NOTE segment; the rest of the segment is left raw`);
      return;
    }
    const owner = latin1.decode(segment.sub(pos + 12, namesz)).replace(/\0+$/, '');
    const label = NOTE_NAMES.get(owner)?.get(type) ?? `${owner || 'note'} type 0x${type.toString(16)}`;
    out.claim({ offset: segment.offset + pos, length: descAt - pos, kind: 'structure', label });
    const padding = Math.min(next, segment.length) - (descAt + descsz);
    out.claim({ offset: segment.offset + descAt + descsz, length: padding, kind: 'structure', label });
    if (owner === 'CORE' || owner === 'LINUX') facts.linux = true;
    claimDescriptor({ owner, type, desc: segment.slice(descAt, descsz) }, label, m, wordSize, facts, out);
    pos = next;
  }
}

function claimDescriptor(note: Note, label: string, m: Machine, wordSize: 4 | 8, facts: NoteFacts, out: RegionBuilder): void {
  const { desc } = note;
  const thread = facts.threads[facts.threads.length - 1]?.id;
  const layout = (slices: readonly Slice[], withThread = true) =>
    claimSlices(out, desc.offset, desc.length, slices, withThread && thread !== undefined ? { thread, label } : { label });

  if (note.owner === 'CORE') {
    switch (note.type) {
      case NT_PRSTATUS:
        return prstatus(desc, label, m, facts, out);
      case NT_PRPSINFO:
        return prpsinfo(desc, label, facts, out);
      case NT_PRFPREG:
        return layout(m.fpregs ?? whole('vector-registers'));
      case NT_AUXV:
      case NT_SIGINFO:
        // Addresses, ids and the signal that killed the process: needed by debuggers, not secret.
        return layout(whole('structure'), false);
      case NT_FILE:
        facts.hasFileNote = true;
        facts.files.push(...parseNtFile(desc, wordSize, out));
        return layout(whole('structure'), false);
    }
  } else if (note.owner === 'LINUX') {
    switch (note.type) {
      case NT_PRXFPREG:
        return layout(FXSAVE_LAYOUT);
      case NT_X86_XSTATE:
        return layout(XSTATE_LAYOUT);
      case NT_PPC_VMX:
      case NT_PPC_VSX:
      case NT_ARM_VFP:
        return layout(whole('vector-registers'));
      case NT_ARM_SVE:
        return layout(SVE_LAYOUT);
    }
  }
  out.claim({ offset: desc.offset, length: desc.length, kind: 'raw', label });
}

/** The whole prstatus is registers (pid, signal state and pr_reg); it starts a thread. */
function prstatus(desc: StructView, label: string, m: Machine, facts: NoteFacts, out: RegionBuilder): void {
  const { pidAt, regsAt, regSize, spIndex } = m.prstatus;
  if (!desc.has(pidAt, 4)) {
    out.warn(`${label} at file offset ${desc.offset} is ${desc.length} bytes, too short for pr_pid; left raw`);
    return;
  }
  const id = desc.u32(pidAt);
  const spAt = spIndex === undefined ? -1 : regsAt + spIndex * regSize;
  facts.threads.push(spAt >= 0 && desc.has(spAt, regSize) ? { id, sp: desc.word(spAt, regSize) } : { id });
  out.claim({ offset: desc.offset, length: desc.length, kind: 'registers', thread: id, label });
}

/** pr_fname (the process name) and pr_psargs (its command line) are text, the rest structure. */
function prpsinfo(desc: StructView, label: string, facts: NoteFacts, out: RegionBuilder): void {
  if (desc.length < PRPSINFO_TEXT) {
    out.warn(`${label} at file offset ${desc.offset} is ${desc.length} bytes, too short for pr_fname and pr_psargs; left raw`);
    return;
  }
  const textAt = desc.length - PRPSINFO_TEXT;
  out.claim({ offset: desc.offset, length: textAt, kind: 'structure', label });
  out.claim({ offset: desc.offset + textAt, length: PRPSINFO_TEXT, kind: 'text-stream', label });
  const fname = desc.sub(textAt, PRPSINFO_FNAME);
  const end = fname.indexOf(0);
  facts.process = utf8.decode(fname.subarray(0, end < 0 ? fname.length : end));
}
