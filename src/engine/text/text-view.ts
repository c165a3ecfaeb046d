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

/** isTextByte as a table: run searches look at every byte of a chunk, and runs at every hit. */
const TEXT_BYTE = Uint8Array.from({ length: 256 }, (_, b) => (isTextByte(b) ? 1 : 0));

/** Decodes text bytes, all ASCII, which `latin1` (windows-1252) maps to themselves; far faster than fromCodes. */
const TEXT_DECODER = new TextDecoder('latin1');

/** Builds a string from char codes in slices, so large runs stay within argument-count limits. */
function fromCodes(codes: Uint8Array | Uint16Array): string {
  let s = '';
  for (let i = 0; i < codes.length; i += 8192) {
    s += String.fromCharCode.apply(null, codes.subarray(i, i + 8192) as unknown as number[]);
  }
  return s;
}

/**
 * How text is stored: one byte per char, or UTF-16 code units with the ASCII byte first (`utf16le`,
 * x86 Windows, .NET, JVM on x86) or second (`utf16be`, big-endian machines and Java heap dumps).
 */
export type TextForm = 'ascii' | 'utf16le' | 'utf16be';

/** Where the char byte sits in a unit of each form, and where the zero byte must be (-1: none). */
const FORM_LAYOUT: Record<TextForm, { char: number; zero: number }> = {
  ascii: { char: 0, zero: -1 },
  utf16le: { char: 0, zero: 1 },
  utf16be: { char: 1, zero: 0 },
};

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
  return readTextRunIn(bytes, index, wide ? 'utf16le' : 'ascii', maxBack, maxForward);
}

/**
 * `readTextRun` for any form; `index` is the first byte of a unit (for `utf16be` its zero byte), and
 * `byteAt(i)` the first byte of unit i, so [byteAt(i), byteAt(j)) covers units i..j-1 whole.
 */
export function readTextRunIn(
  bytes: Uint8Array,
  index: number,
  form: TextForm,
  maxBack: number,
  maxForward: number,
): TextRun {
  const { char, zero } = FORM_LAYOUT[form];
  const step = zero < 0 ? 1 : 2;
  const isText = (at: number) => TEXT_BYTE[bytes[at + char]!] === 1 && (zero < 0 || bytes[at + zero] === 0);
  if (index < 0 || index + step > bytes.length || !isText(index)) {
    return { text: '', step, origin: 0, start: index, openBefore: false, openAfter: false, byteAt: () => index };
  }
  // Whole units within the buffer each way, so the loops check only the text.
  const backLimit = Math.min(maxBack, Math.floor(index / step));
  const forwardLimit = Math.min(maxForward, Math.floor((bytes.length - index) / step));
  let back = 0;
  while (back < backLimit && isText(index - (back + 1) * step)) back++;
  let forward = 0;
  while (forward < forwardLimit && isText(index + forward * step)) forward++;
  const start = index - back * step;
  const end = index + forward * step;

  const codes = step === 2 ? new Uint8Array(back + forward) : bytes.subarray(start, end);
  if (step === 2) for (let i = 0; i < codes.length; i++) codes[i] = bytes[start + 2 * i + char]!;
  return {
    text: TEXT_DECODER.decode(codes),
    step,
    origin: back,
    start,
    openBefore: back === maxBack || start - step < 0,
    openAfter: forward === maxForward || end + step > bytes.length,
    byteAt: (i) => start + i * step,
  };
}


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

/**
 * The runs a UTF-16LE anchor hit at `pos` may belong to. Big-endian text `00 'g' 00 'h' …` also
 * matches a UTF-16LE anchor, one byte in, so both readings are possible wherever a zero byte precedes
 * the char. Inside a string they agree; only the ends tell them apart: a little-endian run needs a
 * zero after its last char, a big-endian one a zero before its first. When exactly one end has its
 * zero, that reading is returned; when both or neither do, both are (little-endian first), and the
 * caller keeps whichever explains its match.
 */
export function readWideRuns(
  bytes: Uint8Array,
  pos: number,
  maxBack: number,
  maxForward: number,
): { form: 'utf16le' | 'utf16be'; run: TextRun }[] {
  const le = { form: 'utf16le' as const, run: readTextRunIn(bytes, pos, 'utf16le', maxBack, maxForward) };
  if (pos < 1 || bytes[pos - 1] !== 0) return [le];
  const be = { form: 'utf16be' as const, run: readTextRunIn(bytes, pos - 1, 'utf16be', maxBack, maxForward) };
  return [le, be].filter((r) => wideReadingFits(bytes, r.form, le.run, be.run));
}

/** Whether one reading of a run that both byte orders can read explains it (see readWideRuns). */
function wideReadingFits(bytes: Uint8Array, form: 'utf16le' | 'utf16be', le: TextRun, be: TextRun): boolean {
  // A run cut by a limit or the buffer edge hides the end that would decide.
  if (le.openBefore || le.openAfter || be.openBefore || be.openAfter) return true;
  // The alternating char/zero stretch both readings come from: its first and last char bytes.
  const firstChar = Math.min(le.start, be.start + 1);
  const lastChar = Math.max(le.byteAt(le.text.length) - 2, be.byteAt(be.text.length) - 1);
  const zeroBefore = bytes[firstChar - 1] === 0;
  const zeroAfter = bytes[lastChar + 1] === 0;
  return zeroBefore === zeroAfter || zeroBefore === (form === 'utf16be');
}

/** What a backslash escape stands for; `u` (\uXXXX) is handled separately. */
const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '/': '/', '"': '"', "'": "'" };

function hex4(text: string, at: number): number {
  const s = text.slice(at, at + 4);
  return /^[0-9A-Fa-f]{4}$/.test(s) ? parseInt(s, 16) : -1;
}

/** One decoded char: its code and the index in the source text just past its encoding. */
type Decoder = (text: string, i: number) => { code: number; next: number };

/**
 * `view` with each char decoded by `decode`. Each decoded char maps back to the first byte of its
 * encoding, so [byteAt(i), byteAt(j)) covers whole escapes; the origin is the char whose encoding
 * holds the view's origin.
 */
function decodedView(view: TextView, decode: Decoder): TextView {
  const { text } = view;
  const codes = new Uint16Array(text.length);
  const source = new Int32Array(text.length + 1);
  let n = 0;
  let origin = -1;
  for (let i = 0; i < text.length; ) {
    const { code, next } = decode(text, i);
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

/**
 * A JSON/C escape at i. Deliberately lenient: a run of backslashes before an escape letter counts as
 * one escape, so a doubly-escaped string (JSON inside a JSON string, as in Terraform state or
 * Kubernetes secrets) reads the same; any other backslash run becomes one `\`.
 */
const decodeEscape: Decoder = (text, i) => {
  const code = text.charCodeAt(i);
  if (code !== 0x5c) return { code, next: i + 1 };
  let j = i;
  while (text.charCodeAt(j) === 0x5c) j++;
  const letter = text[j];
  const simple = letter === undefined ? undefined : SIMPLE_ESCAPES[letter];
  if (simple !== undefined) return { code: simple.charCodeAt(0), next: j + 1 };
  const unit = letter === 'u' ? hex4(text, j + 1) : -1;
  if (unit >= 0) return { code: unit, next: j + 5 };
  return { code, next: j };
};

/**
 * The view with JSON/C string escapes decoded (`\n`, `\r`, `\t`, `\/`, `\"`, `\'`, `\uXXXX`), so a
 * PEM inside a JSON string reads like a PEM file, and a token with `\/` or `\u002B` reads whole.
 */
export function unescapeView(view: TextView): TextView {
  return view.text.includes('\\') ? decodedView(view, decodeEscape) : view;
}

/** A URL percent-escape at i (`%2B`); `+` stays `+` (base64 secrets keep it, a query's space is rare). */
const decodePercent: Decoder = (text, i) => {
  const code = text.charCodeAt(i);
  if (code === 0x25 && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
    return { code: parseInt(text.slice(i + 1, i + 3), 16), next: i + 3 };
  }
  return { code, next: i + 1 };
};

/** The view with URL percent-escapes decoded (`%2B` → `+`, `%2F` → `/`, `%3D` → `=`). */
export function urlDecodeView(view: TextView): TextView {
  return view.text.includes('%') ? decodedView(view, decodePercent) : view;
}

/**
 * At most how many more chars text[from, to) takes than its unescaped or its URL-decoded form
 * (whichever is more): a reader wanting n decoded chars reads n plus this many raw ones. Counts
 * each backslash as one extra char (`\\\\n` decodes to one char, leniently) and `\\u` as four more,
 * each `%` as two.
 */
export function escapeOverhead(text: string, from: number, to: number): number {
  let json = 0;
  let url = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25) url += 2;
    else if (c === 0x5c) json += text.charCodeAt(i + 1) === 0x75 ? 5 : 1;
  }
  return Math.max(json, url);
}

/** True when char i of a decoded view stands for an escape sequence (more than one source char). */
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
