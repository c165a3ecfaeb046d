import type { FileReader, StructView } from '../byte-reader.ts';
import type { RegionBuilder } from '../region-builder.ts';

/** What every minidump stream parser works with: the file and the map being built. */
export interface Scope {
  reader: FileReader;
  out: RegionBuilder;
}

/** MINIDUMP_LOCATION_DESCRIPTOR: { ULONG32 DataSize; RVA Rva; } */
export interface Location {
  dataSize: number;
  rva: number;
}

export function readLocation(view: StructView, pos: number): Location {
  return { dataSize: view.u32(pos), rva: view.u32(pos + 4) };
}

/**
 * The bytes a location descriptor names, clipped to the file: a range running past the end is
 * truncated with a warning (the part inside is still what it claims to be); one starting past the
 * end is dropped with a warning. `family` names the kind of record (the warning category), `item`
 * which one.
 */
export function clipLocation(scope: Scope, loc: Location, family: string, item?: string | number): Location | undefined {
  const size = scope.reader.size;
  const what = item === undefined ? family : `${family} ${item}`;
  if (loc.dataSize === 0) return undefined;
  if (loc.rva >= size) {
    scope.out.warn(`${what}: RVA ${loc.rva} is past the end of the file (${size} bytes); skipped`, `${family}: RVA past the end of the file`);
    return undefined;
  }
  if (loc.rva + loc.dataSize > size) {
    scope.out.warn(
      `${what}: ${loc.dataSize} bytes at RVA ${loc.rva} run past the end of the file; truncated to ${size - loc.rva}`,
      `${family}: data runs past the end of the file`,
    );
    return { rva: loc.rva, dataSize: size - loc.rva };
  }
  return loc;
}
