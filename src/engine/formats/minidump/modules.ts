import type { StructView } from '../byte-reader.ts';
import { countedList, headeredList } from './lists.ts';
import { clipLocation, readLocation, type Location, type Scope } from './scope.ts';
import { minidumpString } from './strings.ts';

export interface ModuleRecord {
  base: bigint;
  size: number;
  name?: string;
}

/**
 * MINIDUMP_MODULE (108 bytes, packed): BaseOfImage @0, SizeOfImage @8, CheckSum @12,
 * TimeDateStamp @16, ModuleNameRva @20, VS_FIXEDFILEINFO @24..76, CvRecord @76, MiscRecord @84,
 * Reserved0/1 @92..108.
 */
const MODULE_SIZE = 108;
/** MINIDUMP_UNLOADED_MODULE: BaseOfImage @0, SizeOfImage @8, CheckSum, TimeDateStamp, ModuleNameRva @20. */
const UNLOADED_MODULE_SIZE = 24;

const CV_SIGNATURE_RSDS = 0x53445352; // 'RSDS': PDB 7.0, GUID @4, Age @20, path @24
const CV_SIGNATURE_NB10 = 0x3031424e; // 'NB10': PDB 2.0, Offset, Signature, Age, path @16
const CV_SIGNATURE_ELF = 0x4270454c; // 'BpEL': Breakpad's ELF build id record, all identifiers

/** ModuleListStream: records are structure, module paths and PDB paths text. */
export async function parseModuleList(scope: Scope, view: StructView): Promise<ModuleRecord[]> {
  const list = countedList(scope, view, 'ModuleList', MODULE_SIZE);
  const modules: ModuleRecord[] = [];
  if (!list) return modules;
  for (let i = 0; i < list.count; i++) {
    const at = list.entriesAt + i * list.entrySize;
    const record: ModuleRecord = { base: view.u64(at), size: view.u32(at + 8) };
    const name = await minidumpString(scope, view.u32(at + 20), 'ModuleName');
    if (name !== undefined) record.name = name;
    modules.push(record);
    await parseCodeView(scope, readLocation(view, at + 76), i);
  }
  return modules;
}

/** The CodeView record names the debug file: its identifiers are structure, its path text. */
async function parseCodeView(scope: Scope, loc: Location, index: number): Promise<void> {
  const clipped = clipLocation(scope, loc, 'CodeView record of module', index);
  if (!clipped) return;
  const view = await scope.reader.view(clipped.rva, clipped.dataSize);
  if (!view || view.length < 4) return;
  const signature = view.u32(0);
  const pathAt = signature === CV_SIGNATURE_RSDS ? 24 : signature === CV_SIGNATURE_NB10 ? 16 : signature === CV_SIGNATURE_ELF ? view.length : -1;
  if (pathAt < 0 || pathAt > view.length) return; // unknown or short record: raw
  scope.out.claim({ offset: view.offset, length: pathAt, kind: 'structure', label: 'CodeView' });
  scope.out.claim({ offset: view.offset + pathAt, length: view.length - pathAt, kind: 'text-stream', label: 'CodeView' });
}

/** UnloadedModuleListStream: a headered list of records naming modules that were unloaded. */
export async function parseUnloadedModuleList(scope: Scope, view: StructView): Promise<void> {
  const list = headeredList(scope, view, 'UnloadedModuleList', { minHeader: 12, minEntry: UNLOADED_MODULE_SIZE, count64: false });
  if (!list) return;
  for (let i = 0; i < list.count; i++) {
    await minidumpString(scope, view.u32(list.entriesAt + i * list.entrySize + 20), 'UnloadedModuleName');
  }
}
