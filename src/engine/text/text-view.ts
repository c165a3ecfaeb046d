/**
 * Text views over raw bytes. Secrets stored as text sit in memory as ASCII or as UTF-16LE (Windows
 * heaps, .NET and Java strings), often inside JSON or C string literals. A detector decodes the text
 * run around its anchor once, parses it as a JS string, and maps char indices back to byte indices.
 */

/** A decoded stretch of text; char i of `text` starts at buffer index `byteAt(i)`. */
export interface TextView {
  readonly text: string;
  /** Bytes per source char: 1 for ASCII, 2 for UTF-16LE. */
  readonly step: 1 | 2;
  /** Index in `text` of the char at the byte the view was read around. */
  readonly origin: number;
  /** True when the view was cut by its char limit or the buffer edge, so the text may go on. */
  readonly openBefore: boolean;
  readonly openAfter: boolean;
  /** Buffer index of the first byte of char i; `byteAt(text.length)` is one past the last byte. */
  byteAt(i: number): number;
}

/** A view of the raw text: char i is at `start + i * step`. */
export interface TextRun extends TextView {
  readonly start: number;
}

/** Printable ASCII and the whitespace controls \t \n \v \f \r. */
export function isTextByte(b: number): boolean {
  return (b >= 0x20 && b <= 0x7e) || (b >= 0x09 && b <= 0x0d);
}

/** Builds a string from char codes in slices, so large runs stay within argument-count limits. */
function fromCodes(codes: Uint8Array | Uint16Array): string {
  let s = '';
  for (let i = 0; i < codes.length; i += 8192) {
    s += String.fromCharCode.apply(null, codes.subarray(i, i + 8192) as unknown as number[]);
  }
  return s;
}

/**
 * Decodes the text run around `bytes[index]`: at most `maxBack` chars before it and `maxForward`
 * chars from it on, stopping at the first non-text unit either way. In the UTF-16LE view (`wide`)
 * a text unit is a text byte followed by 0x00. The run is empty if `index` itself is not text.
 */
export function readTextRun(
  bytes: Uint8Array,
  index: number,
  wide: boolean,
  maxBack: number,
  maxForward: number,
): TextRun {
  const step = wide ? 2 : 1;
  const isText = (at: number) =>
    at >= 0 && at + step <= bytes.length && isTextByte(bytes[at]!) && (!wide || bytes[at + 1] === 0);
  if (!isText(index)) {
    return { text: '', step, origin: 0, start: index, openBefore: false, openAfter: false, byteAt: () => index };
  }
  let back = 0;
  while (back < maxBack && isText(index - (back + 1) * step)) back++;
  let forward = 0;
  while (forward < maxForward && isText(index + forward * step)) forward++;
  const start = index - back * step;
  const end = index + forward * step;

  const codes = wide ? new Uint8Array(back + forward) : bytes.subarray(start, end);
  if (wide) for (let i = 0; i < codes.length; i++) codes[i] = bytes[start + 2 * i]!;
  return {
    text: fromCodes(codes),
    step,
    origin: back,
    start,
    openBefore: back === maxBack || start - step < 0,
    openAfter: forward === maxForward || end + step > bytes.length,
    byteAt: (i) => start + i * step,
  };
}

/** isTextByte as a table: the run search below looks at every byte of a chunk three times. */
const TEXT_BYTE = Uint8Array.from({ length: 256 }, (_, b) => (isTextByte(b) ? 1 : 0));

/** [start, end) byte ranges of the ASCII runs with a char in [from, to), at least minChars long. */
function asciiRunRanges(bytes: Uint8Array, from: number, to: number, minChars: number, out: number[]): void {
  let i = from;
  while (i < to) {
    if (TEXT_BYTE[bytes[i]!] === 0) {
      i++;
      continue;
    }
    let start = i;
    while (start > 0 && TEXT_BYTE[bytes[start - 1]!] === 1) start--;
    let end = i + 1;
    while (end < bytes.length && TEXT_BYTE[bytes[end]!] === 1) end++;
    if (end - start >= minChars) out.push(start, end);
    i = end;
  }
}

/** The same for UTF-16LE runs whose units start at `from`'s parity. */
function wideRunRanges(bytes: Uint8Array, from: number, to: number, minChars: number, out: number[]): void {
  const last = bytes.length - 2;
  let i = from;
  while (i < to) {
    if (bytes[i + 1] !== 0 || TEXT_BYTE[bytes[i]!] === 0) {
      i += 2;
      continue;
    }
    let start = i;
    while (start >= 2 && bytes[start - 1] === 0 && TEXT_BYTE[bytes[start - 2]!] === 1) start -= 2;
    let end = i + 2;
    while (end <= last && bytes[end + 1] === 0 && TEXT_BYTE[bytes[end]!] === 1) end += 2;
    if ((end - start) / 2 >= minChars) out.push(start, end);
    i = end;
  }
}

/**
 * Every maximal text run of at least `minChars` chars that has a unit starting in [from, to), in
 * the ASCII view and in the UTF-16LE view at both byte parities. A run extends past [from, to)
 * to the edges of `bytes`, so a chunk window sees whole the runs its owned range touches.
 * Runs are measured before they are decoded: random bytes hold millions of 1–3 char runs.
 */
export function textRuns(bytes: Uint8Array, from: number, to: number, minChars: number): TextRun[] {
  const ascii: number[] = [];
  const wide: number[] = [];
  asciiRunRanges(bytes, from, to, minChars, ascii);
  wideRunRanges(bytes, from, to, minChars, wide);
  wideRunRanges(bytes, from + 1, to, minChars, wide);
  const runs: TextRun[] = [];
  for (let k = 0; k < ascii.length; k += 2) runs.push(readTextRun(bytes, ascii[k]!, false, 0, ascii[k + 1]! - ascii[k]!));
  for (let k = 0; k < wide.length; k += 2) runs.push(readTextRun(bytes, wide[k]!, true, 0, (wide[k + 1]! - wide[k]!) / 2));
  return runs;
}

/** What a backslash escape stands for; `u` (\uXXXX) is handled separately. */
const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '/': '/', '"': '"', "'": "'" };

function hex4(text: string, at: number): number {
  const s = text.slice(at, at + 4);
  return /^[0-9A-Fa-f]{4}$/.test(s) ? parseInt(s, 16) : -1;
}

/**
 * The view with JSON/C string escapes decoded (`\n`, `\r`, `\t`, `\/`, `\"`, `\'`, `\uXXXX`), so a
 * PEM inside a JSON string reads like a PEM file. Deliberately lenient: a run of backslashes before
 * an escape letter counts as one escape, so a doubly-escaped string (JSON inside a JSON string, as
 * in Terraform state or Kubernetes secrets) reads the same; any other backslash run becomes one `\`.
 * Each decoded char maps back to the first byte of its escape, so ranges still cover whole escapes.
 */
export function unescapeView(view: TextView): TextView {
  const { text } = view;
  if (!text.includes('\\')) return view;
  const codes = new Uint16Array(text.length);
  const source = new Int32Array(text.length + 1);
  let n = 0;
  let origin = -1;
  for (let i = 0; i < text.length; ) {
    let next = i + 1;
    let code = text.charCodeAt(i);
    if (code === 0x5c) {
      let j = i;
      while (text.charCodeAt(j) === 0x5c) j++;
      const letter = text[j];
      const simple = letter === undefined ? undefined : SIMPLE_ESCAPES[letter];
      const unit = letter === 'u' ? hex4(text, j + 1) : -1;
      if (simple !== undefined) {
        code = simple.charCodeAt(0);
        next = j + 1;
      } else if (unit >= 0) {
        code = unit;
        next = j + 5;
      } else {
        next = j;
      }
    }
    if (origin < 0 && next > view.origin) origin = n;
    codes[n] = code;
    source[n++] = i;
    i = next;
  }
  source[n] = text.length;
  return {
    text: fromCodes(codes.subarray(0, n)),
    step: view.step,
    origin: origin < 0 ? n : origin,
    openBefore: view.openBefore,
    openAfter: view.openAfter,
    byteAt: (i) => view.byteAt(source[i]!),
  };
}

/** True when char i of an unescaped view stands for an escape sequence (more than one source char). */
export function isEscape(view: TextView, i: number): boolean {
  return view.byteAt(i + 1) - view.byteAt(i) > view.step;
}

/** Length of the line break at i: 2 for CRLF, 1 for a lone CR or LF, 0 if none. */
export function lineBreakAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x0d) return text.charCodeAt(i + 1) === 0x0a ? 2 : 1;
  return c === 0x0a ? 1 : 0;
}

/** Index of the first CR or LF at or after i, or `text.length`. */
export function lineEnd(text: string, i: number): number {
  while (i < text.length && lineBreakAt(text, i) === 0) i++;
  return i;
}

/** Index where the line that ends at `end` (exclusive) starts: just after the previous CR or LF, or 0. */
export function lineStart(text: string, end: number): number {
  while (end > 0 && lineBreakAt(text, end - 1) === 0) end--;
  return end;
}

/** Length of the line break that ends just before i (CRLF counts as one), 0 if none. */
export function lineBreakBefore(text: string, i: number): number {
  if (text.charCodeAt(i - 1) === 0x0a) return text.charCodeAt(i - 2) === 0x0d ? 2 : 1;
  return text.charCodeAt(i - 1) === 0x0d ? 1 : 0;
}

/** Chars read first: enough for nearly every key block (a PEM RSA-8192 key is about 6 KiB). */
const FIRST_READ = 16 * 1024;

/**
 * Parses a short view first and reads the full `reach` only when the parse ran out of text at an
 * edge the view cut: blocks are a few KiB while the reach is 128 KiB, so most hits never decode
 * more than they need. `read(limit)` reads a view whose far edge is `limit` chars away.
 */
export function parseWidening<T>(
  read: (limit: number) => TextView,
  reach: number,
  parse: (view: TextView) => { value: T; ranOut: boolean },
): T {
  if (reach > FIRST_READ) {
    const first = parse(read(FIRST_READ));
    if (!first.ranOut) return first.value;
  }
  return parse(read(reach)).value;
}
