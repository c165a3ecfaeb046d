/**
 * A positional reader for one JSON object in text that may be cut short: it reports each member's
 * name and, for string values, where the value's chars are, so a detector can zero the values of
 * some members and leave the JSON syntax around them readable. Nested values are skipped whole.
 * A cut or damaged object yields the members read before the damage, and a string value that the
 * damage interrupted is reported open, up to where it stops.
 */

export interface JsonMember {
  /** Index of the opening quote of the member's name. */
  nameAt: number;
  /** The value's chars are text[valueStart, valueEnd) (between the quotes); −1 if not a string. */
  valueStart: number;
  valueEnd: number;
  /** The string value, as far as it goes. */
  value: string;
  /** False when the value string was cut before its closing quote. */
  closed: boolean;
}

export interface JsonObject {
  members: Map<string, JsonMember>;
  /** Index just past the closing brace, or where reading stopped. */
  end: number;
  /** True when the object was read through its closing brace. */
  complete: boolean;
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** A string's end: index of its closing quote, or where a control char or the text stops it (open). */
function stringEnd(text: string, open: number): { end: number; closed: boolean } {
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return { end: i, closed: true };
    if (c === 0x5c) i++;
    else if (c < 0x20) return { end: i, closed: false };
  }
  return { end: text.length, closed: false };
}

/** Index just past the nested array/object or scalar at `at`, or −1 if it does not end in the text. */
function skipValue(text: string, at: number): number {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const s = stringEnd(text, i);
      if (!s.closed) return -1;
      i = s.end;
      if (depth === 0) return i + 1;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) return i;
      if (--depth === 0) return i + 1;
    } else if (depth === 0 && (c === ',' || isSpace(c))) return i;
  }
  return -1;
}

/** Reads the object whose `{` is at `at`. */
export function readJsonObject(text: string, at: number): JsonObject {
  const members = new Map<string, JsonMember>();
  const stop = (end: number): JsonObject => ({ members, end, complete: false });
  let i = at + 1;
  const skipSpace = () => {
    while (isSpace(text[i])) i++;
  };
  skipSpace();
  if (text[i] === '}') return { members, end: i + 1, complete: true };
  for (;;) {
    skipSpace();
    if (text[i] !== '"') return stop(i);
    const nameAt = i;
    const name = stringEnd(text, i);
    if (!name.closed) return stop(name.end);
    i = name.end + 1;
    skipSpace();
    if (text[i] !== ':') return stop(i);
    i++;
    skipSpace();
    const key = text.slice(nameAt + 1, name.end);
    if (text[i] === '"') {
      const value = stringEnd(text, i);
      members.set(key, { nameAt, valueStart: i + 1, valueEnd: value.end, value: text.slice(i + 1, value.end), closed: value.closed });
      if (!value.closed) return stop(value.end);
      i = value.end + 1;
    } else {
      const end = skipValue(text, i);
      if (end <= i) return stop(i);
      members.set(key, { nameAt, valueStart: -1, valueEnd: -1, value: '', closed: true });
      i = end;
    }
    skipSpace();
    if (text[i] === '}') return { members, end: i + 1, complete: true };
    if (text[i] !== ',') return stop(i);
    i++;
  }
}
