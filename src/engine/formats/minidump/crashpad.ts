import type { StructView } from '../byte-reader.ts';
import { countedList } from './lists.ts';
import { clipLocation, readLocation, type Location, type Scope } from './scope.ts';
import { byteArray, utf8String } from './strings.ts';

/**
 * Crashpad's annotations (crashpad minidump/minidump_extensions.h, all packed to 4):
 *   MinidumpCrashpadInfo { version; UUID report_id, client_id; LOCATION simple_annotations, module_list; … }
 *   MinidumpSimpleStringDictionary { count; { RVA key, value }[] } → MinidumpUTF8String
 *   MinidumpModuleCrashpadInfoList { count; { index; LOCATION location }[] }
 *   MinidumpModuleCrashpadInfo { version; LOCATION list_annotations, simple_annotations, annotation_objects }
 *   MinidumpRVAList { count; RVA[] } → MinidumpUTF8String
 *   MinidumpAnnotationList { count; { RVA name; u16 type, reserved; RVA value }[] } → name: UTF8String, value: MinidumpByteArray
 * Every list and header is structure; every key, value and name is text.
 */
const CRASHPAD_INFO_SIZE = 52;

export async function parseCrashpadInfo(scope: Scope, view: StructView): Promise<void> {
  if (view.length < CRASHPAD_INFO_SIZE) {
    scope.out.warn(`CrashpadInfo is ${view.length} bytes, shorter than MinidumpCrashpadInfo (${CRASHPAD_INFO_SIZE}); left raw`);
    return;
  }
  scope.out.claim({ offset: view.offset, length: CRASHPAD_INFO_SIZE, kind: 'structure', label: 'CrashpadInfo' });
  await simpleDictionary(scope, readLocation(view, 36));
  const modules = await located(scope, readLocation(view, 44), 'CrashpadModuleList');
  const links = modules && countedList(scope, modules, 'CrashpadModuleList', 12);
  if (!modules || !links) return;
  for (let i = 0; i < links.count; i++) {
    await moduleInfo(scope, readLocation(modules, links.entriesAt + i * links.entrySize + 4));
  }
}

async function located(scope: Scope, loc: Location, family: string): Promise<StructView | undefined> {
  const clipped = clipLocation(scope, loc, family);
  return clipped && scope.reader.view(clipped.rva, clipped.dataSize);
}

async function simpleDictionary(scope: Scope, loc: Location): Promise<void> {
  const view = await located(scope, loc, 'CrashpadSimpleAnnotations');
  const list = view && countedList(scope, view, 'CrashpadSimpleAnnotations', 8);
  if (!view || !list) return;
  for (let i = 0; i < list.count; i++) {
    const at = list.entriesAt + i * list.entrySize;
    await utf8String(scope, view.u32(at), 'CrashpadAnnotationKey');
    await utf8String(scope, view.u32(at + 4), 'CrashpadAnnotationValue');
  }
}

async function moduleInfo(scope: Scope, loc: Location): Promise<void> {
  const view = await located(scope, loc, 'CrashpadModuleInfo');
  if (!view || view.length < 28) return;
  scope.out.claim({ offset: view.offset, length: 28, kind: 'structure', label: 'CrashpadModuleInfo' });
  const listAnnotations = await located(scope, readLocation(view, 4), 'CrashpadListAnnotations');
  const rvas = listAnnotations && countedList(scope, listAnnotations, 'CrashpadListAnnotations', 4);
  if (listAnnotations && rvas) {
    for (let i = 0; i < rvas.count; i++) await utf8String(scope, listAnnotations.u32(rvas.entriesAt + 4 * i), 'CrashpadAnnotation');
  }
  await simpleDictionary(scope, readLocation(view, 12));
  const objects = await located(scope, readLocation(view, 20), 'CrashpadAnnotationObjects');
  const list = objects && countedList(scope, objects, 'CrashpadAnnotationObjects', 12);
  if (!objects || !list) return;
  for (let i = 0; i < list.count; i++) {
    const at = list.entriesAt + i * list.entrySize;
    await utf8String(scope, objects.u32(at), 'CrashpadAnnotationName');
    await byteArray(scope, objects.u32(at + 8), 'CrashpadAnnotationValue');
  }
}
