/**
 * Detector `pem` (rule T1): PEM/OpenSSH/PGP private-key armour, in ASCII or UTF-16LE, with the body
 * broken by real line breaks or by JSON/C escapes (a GCP service-account JSON holds its key as
 * `"-----BEGIN PRIVATE KEY-----\nMIIE…\n-----END PRIVATE KEY-----\n"`).
 *
 * `-----BEGIN ` hits report whole blocks, or the BEGIN line plus the body that survives when the END
 * is gone. `-----END ` hits report only blocks whose BEGIN line is gone (header overwritten): the
 * body above the END line, walked backwards. Both directions use the same line grammar, so an END
 * hit that reaches a private BEGIN line leaves the block to that BEGIN hit.
 */
import type { AnchorHit } from '../anchors.ts';
import {
  isEscape,
  lineBreakAt,
  lineBreakBefore,
  lineEnd,
  lineStart,
  parseWidening,
  readTextRun,
  unescapeView,
  type TextView,
} from '../text/text-view.ts';
import type { Confidence, Finding } from '../types.ts';
import { MAX_MATCH_BYTES, type ScanWindow } from '../window.ts';
import {
  BASE64_LINE,
  classifyKeyDer,
  decodeBase64,
  derSequenceLength,
  isBase64Char,
  type KeyKind,
} from './der-key-info.ts';
import type { Detector } from './detector.ts';

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';

const MAX_LABEL = 40 + 'PRIVATE KEY BLOCK'.length;
const PRIVATE_LABEL = /^[A-Z0-9 _-]{0,40}PRIVATE KEY( BLOCK)?$/;
/** Chars of the longest armour line we accept. */
const ARMOUR_LINE_CHARS = BEGIN.length + MAX_LABEL + DASHES.length;

/** Labels that name the key type; any other private label is classified from its DER body. */
const LABEL_KINDS: Record<string, KeyKind> = {
  'RSA PRIVATE KEY': 'rsa-private-key',
  'EC PRIVATE KEY': 'ec-private-key',
  'DSA PRIVATE KEY': 'dsa-private-key',
  'ENCRYPTED PRIVATE KEY': 'encrypted-private-key',
  'OPENSSH PRIVATE KEY': 'openssh-private-key',
  'PGP PRIVATE KEY BLOCK': 'pgp-private-key',
};

/**
 * Fewer body chars than this (12 bytes) hold no key material worth a finding: they are format
 * strings and templates in loaded modules (`-----BEGIN RSA PRIVATE KEY-----\n%s\n…`).
 */
const MIN_BODY_CHARS = 16;
/** A block cut before its END is medium confidence from this many body chars on, low below. */
const MEDIUM_BODY_CHARS = 64;

const OPENSSH_MAGIC = 'openssh-key-v1\0';

type LineKind = 'base64' | 'checksum' | 'header' | 'blank';

const LINE_KINDS: readonly [RegExp, LineKind][] = [
  [BASE64_LINE, 'base64'],
  // PGP armour's CRC-24, `=` + 4 base64 chars, just before the END line.
  [/^=[A-Za-z0-9+/]{4}[ \t]*$/, 'checksum'],
  // RFC 1421 encryption headers and PGP armour headers.
  [/^(Proc-Type|DEK-Info|Version|Comment|Hash|Charset|MessageID): /, 'header'],
  [/^[ \t]*$/, 'blank'],
];

function lineKind(line: string): LineKind | null {
  for (const [pattern, kind] of LINE_KINDS) if (pattern.test(line)) return kind;
  return null;
}

/**
 * A body stops at the first line that is no body line. When that line touches base64 (or the armour
 * line), the base64 at its near end may still be key: a buffer overwritten mid-line. (Scanned by
 * hand: an unanchored regex would backtrack quadratically on a long line.)
 */
function base64Prefix(line: string): string {
  let i = 0;
  while (i < line.length && isBase64Char(line.charCodeAt(i))) i++;
  while (line[i] === '=') i++;
  return line.slice(0, i);
}

function base64Suffix(line: string): string {
  let i = line.length;
  while (i > 0 && line[i - 1] === '=') i--;
  while (i > 0 && isBase64Char(line.charCodeAt(i - 1))) i--;
  return line.slice(i);
}

/** An armour line, `-----BEGIN ` or `-----END ` + label + `-----`. */
interface Armour {
  label: string;
  /** Index just past the closing dashes. */
  end: number;
}

function armourAt(text: string, at: number, marker: string): Armour | null {
  if (!text.startsWith(marker, at)) return null;
  const from = at + marker.length;
  const close = text.slice(from, from + MAX_LABEL + DASHES.length).indexOf(DASHES);
  if (close < 0) return null;
  const label = text.slice(from, from + close);
  return /^[A-Z0-9 _-]*$/.test(label) ? { label, end: from + close + DASHES.length } : null;
}

/** True for a line that ends with a private-key BEGIN line (it may follow other text, as in JSON). */
function endsWithPrivateBegin(line: string): boolean {
  const trimmed = line.trimEnd();
  const at = trimmed.lastIndexOf(BEGIN);
  const armour = at < 0 ? null : armourAt(trimmed, at, BEGIN);
  return armour !== null && armour.end === trimmed.length && PRIVATE_LABEL.test(armour.label);
}

/** The body lines of a block: what to decode and where the redaction ends or starts. */
interface Body {
  /** The base64 lines in text order (the PGP checksum line apart). */
  base64: string[];
  checksum: string | null;
  /** Forward: index just past the last body char. Backward: index of the first body char. */
  edge: number;
  /** True when the walk's last line touched the view's edge, so a wider view may read on. */
  hitEdge: boolean;
}

function addLine(body: Body, kind: LineKind, line: string): void {
  if (kind === 'checksum') body.checksum = line.trim();
  else if (kind === 'base64' && line !== '') body.base64.push(line.trim());
}

/** Walks body lines forward from `at` to the END line (returned with its label) or the first non-body line. */
function bodyForward(text: string, at: number): { body: Body; endLabel: string | null } {
  const body: Body = { base64: [], checksum: null, edge: at, hitEdge: false };
  let previous: LineKind = 'base64'; // the BEGIN line counts as adjacent body
  for (let i = at; ; ) {
    const e = lineEnd(text, i);
    const line = text.slice(i, e);
    body.hitEdge = e === text.length;
    const armour = armourAt(line, 0, END);
    if (armour) return { body: { ...body, edge: i + armour.end }, endLabel: armour.label };
    const kind = lineKind(line);
    if (kind === null) {
      const partial = previous === 'base64' ? base64Prefix(line) : '';
      addLine(body, 'base64', partial);
      if (partial.length > 0) body.edge = i + partial.length;
      return { body, endLabel: null };
    }
    addLine(body, kind, line);
    if (kind !== 'blank') body.edge = i + line.trimEnd().length;
    previous = kind;
    const brk = lineBreakAt(text, e);
    if (brk === 0) return { body, endLabel: null };
    i = e + brk;
  }
}

/**
 * Walks body lines backward from the line ending at `end`. Null when it reaches a private BEGIN
 * line: that block belongs to the BEGIN anchor.
 */
function bodyBackward(text: string, end: number): Body | null {
  const body: Body = { base64: [], checksum: null, edge: end, hitEdge: false };
  const done = () => (body.base64.reverse(), body);
  let previous: LineKind = 'base64'; // the END line counts as adjacent body
  for (let e = end; ; ) {
    const s = lineStart(text, e);
    const line = text.slice(s, e);
    body.hitEdge = s === 0;
    if (endsWithPrivateBegin(line)) return null;
    const kind = lineKind(line);
    if (kind === null) {
      const partial = previous === 'base64' ? base64Suffix(line) : '';
      addLine(body, 'base64', partial);
      if (partial.length > 0) body.edge = e - partial.length;
      return done();
    }
    addLine(body, kind, line);
    if (kind !== 'blank') body.edge = s;
    previous = kind;
    if (s === 0) return done();
    e = s - lineBreakBefore(text, s);
  }
}

function countBase64(body: Body): number {
  let n = 0;
  for (const line of body.base64) for (let i = 0; i < line.length; i++) if (isBase64Char(line.charCodeAt(i))) n++;
  return n;
}

/** CRC-24 of OpenPGP ASCII armour (RFC 4880 §6.1). */
function crc24(data: Uint8Array): number {
  let crc = 0xb704ce;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

/** Whether a complete block's body is what its label promises. */
function bodyValidates(label: string, body: Body, der: Uint8Array | null): boolean {
  if (!der || der.length === 0) return false;
  if (label === 'OPENSSH PRIVATE KEY') {
    return String.fromCharCode(...der.subarray(0, OPENSSH_MAGIC.length)) === OPENSSH_MAGIC;
  }
  if (label === 'PGP PRIVATE KEY BLOCK') {
    // The checksum is optional (RFC 9580 drops it); when present it must match.
    if (body.checksum === null) return true;
    const sum = decodeBase64(body.checksum.slice(1));
    return sum !== null && ((sum[0]! << 16) | (sum[1]! << 8) | sum[2]!) === crc24(der);
  }
  return derSequenceLength(der) === der.length;
}

/**
 * Kind and confidence. High needs the whole armour (BEGIN and a matching END) around a body that
 * validates; a partial block is medium with enough body to be a key, low below that.
 */
function assess(label: string, body: Body, complete: boolean): { kind: KeyKind; confidence: Confidence } {
  const der = decodeBase64(body.base64.join(''));
  const kind = LABEL_KINDS[label] ?? (der && classifyKeyDer(der)) ?? 'private-key';
  let confidence: Confidence;
  if (complete) confidence = bodyValidates(label, body, der) ? 'high' : 'medium';
  else confidence = countBase64(body) >= MEDIUM_BODY_CHARS ? 'medium' : 'low';
  return { kind, confidence };
}

function finding(
  win: ScanWindow,
  view: TextView,
  from: number,
  to: number,
  assessed: { kind: KeyKind; confidence: Confidence },
  escaped: boolean,
): Finding {
  const start = view.byteAt(from);
  return {
    offset: win.base + start,
    length: view.byteAt(to) - start,
    kind: assessed.kind,
    detector: 'pem',
    confidence: assessed.confidence,
    encoding: `pem${escaped ? '-escaped' : ''}${view.step === 2 ? '-utf16le' : ''}`,
  };
}

/** A BEGIN hit: the block from its BEGIN line through its END line, or through what is left of its body. */
function detectBegin(win: ScanWindow, hit: AnchorHit, begin: Armour): Finding[] {
  const reach = Math.floor(MAX_MATCH_BYTES / (hit.wide ? 2 : 1));
  const read = (limit: number) => unescapeView(readTextRun(win.bytes, hit.pos, hit.wide, 0, limit));
  return parseWidening(read, reach, (view) => {
    const { text } = view;
    let breakAt = begin.end;
    while (text[breakAt] === ' ' || text[breakAt] === '\t') breakAt++;
    const brk = lineBreakAt(text, breakAt);
    if (brk === 0) return { value: [], ranOut: view.openAfter && breakAt === text.length };

    const { body, endLabel } = bodyForward(text, breakAt + brk);
    const ranOut = endLabel === null && body.hitEdge && view.openAfter;
    if (countBase64(body) < MIN_BODY_CHARS) return { value: [], ranOut };
    const assessed = assess(begin.label, body, endLabel === begin.label);
    return { value: [finding(win, view, 0, body.edge, assessed, isEscape(view, breakAt))], ranOut };
  });
}

/** An END hit: the body above an END line whose BEGIN line is gone, plus the END line. */
function detectEnd(win: ScanWindow, hit: AnchorHit, end: Armour): Finding[] {
  const reach = Math.floor(MAX_MATCH_BYTES / (hit.wide ? 2 : 1)) - end.end;
  const read = (limit: number) => unescapeView(readTextRun(win.bytes, hit.pos, hit.wide, limit, end.end));
  return parseWidening(read, reach, (view) => {
    const { text, origin } = view;
    const brk = lineBreakBefore(text, origin);
    if (brk === 0) return { value: [], ranOut: false };

    const body = bodyBackward(text, origin - brk);
    const ranOut = body !== null && body.hitEdge && view.openBefore;
    if (body === null || countBase64(body) < MIN_BODY_CHARS) return { value: [], ranOut };
    const assessed = assess(end.label, body, false);
    const escaped = isEscape(view, origin - 1);
    return { value: [finding(win, view, body.edge, origin + end.end, assessed, escaped)], ranOut };
  });
}

export const pem: Detector = {
  id: 'pem',
  anchors: [BEGIN, END],
  detect(win: ScanWindow, hit: AnchorHit, anchor: number): Finding[] {
    // Most armour in memory is certificates and public keys: reject those before reading any body.
    const marker = anchor === 0 ? BEGIN : END;
    const line = readTextRun(win.bytes, hit.pos, hit.wide, 0, ARMOUR_LINE_CHARS).text;
    const armour = armourAt(line, 0, marker);
    if (!armour || !PRIVATE_LABEL.test(armour.label)) return [];
    return anchor === 0 ? detectBegin(win, hit, armour) : detectEnd(win, hit, armour);
  },
};
