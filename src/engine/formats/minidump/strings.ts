import type { Scope } from './scope.ts';

/** Longer "strings" are corrupt lengths: Windows paths stop at 32767 UTF-16 units. */
const MAX_STRING_BYTES = 1024 * 1024;

const utf16 = new TextDecoder('utf-16le');
const utf8 = new TextDecoder('utf-8');

/**
 * A length-prefixed string at `rva`: a ULONG32 byte count, then the characters. The prefix is
 * structure, the characters text. Writers differ on the NUL after them (Breakpad writes one,
 * some writers pack empty strings back to back without it), so it is not claimed: it stays raw.
 * Returns the decoded text, or undefined (with a warning) when the string is not inside the file.
 */
async function lengthPrefixed(scope: Scope, rva: number, label: string, decoder: TextDecoder): Promise<string | undefined> {
  const { reader, out } = scope;
  // RVA 0 is the header: writers use it for "no string".
  if (rva === 0) return undefined;
  const prefix = await reader.view(rva, 4);
  if (!prefix) {
    out.warn(`${label} at RVA ${rva} is outside the file; skipped`, `${label}: string outside the file`);
    return undefined;
  }
  out.claim({ offset: rva, length: 4, kind: 'structure', label });
  const length = prefix.u32(0);
  const body = length <= MAX_STRING_BYTES ? await reader.view(rva + 4, length) : undefined;
  if (!body) {
    out.warn(`${label} at RVA ${rva}: length ${length} does not fit in the file; characters left raw`, `${label}: bad string length`);
    return undefined;
  }
  out.claim({ offset: rva + 4, length, kind: 'text-stream', label });
  return decoder.decode(body.bytes);
}

/** MINIDUMP_STRING { ULONG32 Length; WCHAR Buffer[]; } (Length in bytes, NUL not counted). */
export function minidumpString(scope: Scope, rva: number, label: string): Promise<string | undefined> {
  return lengthPrefixed(scope, rva, label, utf16);
}

/** Crashpad MinidumpUTF8String { uint32_t length; uint8_t buffer[]; } (NUL not counted). */
export function utf8String(scope: Scope, rva: number, label: string): Promise<string | undefined> {
  return lengthPrefixed(scope, rva, label, utf8);
}

/** Crashpad MinidumpByteArray { uint32_t length; uint8_t data[]; }: annotation values, mostly text. */
export async function byteArray(scope: Scope, rva: number, label: string): Promise<void> {
  await lengthPrefixed(scope, rva, label, utf8);
}
