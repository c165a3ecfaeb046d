/**
 * The needles of a text secret (a token a rule confirmed, or a password the user supplied):
 * detectors.md §4.1, row "Token / password / connection-string secret". The text is searched as
 * it is and in every form a program makes of text before it stores or sends it:
 * - `text`: the text itself (ASCII: the kernel also finds its UTF-16LE form at both byte parities;
 *   other text: its UTF-8, UTF-16LE and UTF-16BE bytes as raw needles);
 * - `text-utf16be`: UTF-16BE (Java char[] on big-endian hosts, network protocols), a raw needle;
 * - `url-encoded`: percent-encoding as encodeURIComponent, RFC 3986 and form encoders do it, in
 *   upper- and lower-case hex;
 * - `json-escaped`: the text inside a JSON string as common serializers escape it (`\/`, `\u002b`…);
 * - `base64`, `base64url` at the 3 alignments, `hex`, `hex-upper` of the UTF-8 bytes.
 * Encoded forms are ASCII text, so the kernel also finds their UTF-16LE forms.
 * Text shorter than FULL_SWEEP_MIN_CHARS is searched only as itself (text, UTF-16LE, UTF-16BE):
 * the encodings of a few bytes are too short to zero what they hit.
 */
import { base64Needles, hex, latin1 } from './byte-forms.ts';
import type { SweepNeedle } from './encodings.ts';

/** Below this many characters a text secret is swept only in its literal forms (SecretMasker's MinimumSecretLength). */
export const FULL_SWEEP_MIN_CHARS = 8;

const isAscii = (text: string) => /^[\x00-\x7f]*$/.test(text);

function utf16(text: string, bigEndian: boolean): string {
  let s = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const hi = String.fromCharCode(unit >> 8);
    const lo = String.fromCharCode(unit & 0xff);
    s += bigEndian ? hi + lo : lo + hi;
  }
  return s;
}

/** `chars` in `encoding`: one text needle if ASCII, else its UTF-8 and UTF-16LE bytes as raw needles. */
function formNeedles(chars: string, encoding: 'text' | 'url-encoded' | 'json-escaped'): SweepNeedle[] {
  if (isAscii(chars)) return [{ bytes: chars, textForms: true, encoding }];
  return [
    { bytes: latin1(new TextEncoder().encode(chars)), textForms: false, encoding },
    { bytes: utf16(chars, false), textForms: false, encoding: `${encoding}-utf16le` },
  ];
}

/**
 * The UTF-16BE needle. Shifted by one byte, UTF-16BE text of chars ≤ U+00FF reads as UTF-16LE
 * text, so where the LE form also holds one byte later both readings cover the same non-zero
 * bytes; the detector then reports the LE reading (`leTwin`), by far the commoner in memory.
 */
function bigEndianNeedle(text: string): SweepNeedle {
  return { bytes: utf16(text, true), textForms: false, encoding: 'text-utf16be', leTwin: utf16(text, false) };
}

const hex2 = (byte: number, upper: boolean) => {
  const h = byte.toString(16).padStart(2, '0');
  return upper ? h.toUpperCase() : h;
};

/** Bytes each URL encoder leaves as they are; everything else becomes %XX. */
const URL_ENCODERS: { keep: RegExp; plusForSpace: boolean }[] = [
  { keep: /[A-Za-z0-9\-_.!~*'()]/, plusForSpace: false }, // encodeURIComponent
  { keep: /[A-Za-z0-9\-._~]/, plusForSpace: false }, // RFC 3986 unreserved (Python quote, Go PathEscape)
  { keep: /[A-Za-z0-9.\-*_]/, plusForSpace: true }, // HTML forms (Java URLEncoder, Go QueryEscape)
];

function urlForms(utf8: Uint8Array): string[] {
  const out: string[] = [];
  for (const { keep, plusForSpace } of URL_ENCODERS) {
    for (const upper of [true, false]) {
      let s = '';
      for (const b of utf8) {
        const c = String.fromCharCode(b);
        if (b < 0x80 && keep.test(c)) s += c;
        else if (plusForSpace && b === 0x20) s += '+';
        else s += `%${hex2(b, upper)}`;
      }
      out.push(s);
    }
  }
  return out;
}

/** How one serializer escapes a string's chars beyond what JSON requires. */
interface JsonStyle {
  /** Writes `/` as `\/` (PHP, older Java libraries). */
  slash: boolean;
  /** Which UTF-16 units it writes as \uXXXX. */
  unicode: (unit: number) => boolean;
  upper: boolean;
}

const SHORT_ESCAPES: Record<number, string> = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r', 0x22: '\\"', 0x5c: '\\\\' };
const never = () => false;
const nonAscii = (u: number) => u >= 0x80;
/** Go's encoding/json: HTML-safe escapes of < > & and the JS line separators. */
const goHtmlSafe = (u: number) => u === 0x3c || u === 0x3e || u === 0x26 || u === 0x2028 || u === 0x2029;
/** .NET System.Text.Json's default encoder (and Newtonsoft's EscapeHtml): HTML-sensitive chars and all non-ASCII. */
const dotnetDefault = (u: number) => u >= 0x80 || '"&\'+<>`'.includes(String.fromCharCode(u));

const JSON_STYLES: JsonStyle[] = [
  { slash: false, unicode: never, upper: false }, // JSON.stringify, serde, Jackson
  { slash: true, unicode: never, upper: false },
  { slash: false, unicode: nonAscii, upper: false }, // Python ensure_ascii
  { slash: true, unicode: nonAscii, upper: false }, // PHP json_encode
  { slash: false, unicode: goHtmlSafe, upper: false },
  { slash: false, unicode: dotnetDefault, upper: true },
  { slash: false, unicode: dotnetDefault, upper: false },
];

function jsonEscape(text: string, style: JsonStyle): string {
  let s = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const hex4 = unit.toString(16).padStart(4, '0');
    if (style.unicode(unit) || (unit < 0x20 && !SHORT_ESCAPES[unit])) s += `\\u${style.upper ? hex4.toUpperCase() : hex4}`;
    else if (SHORT_ESCAPES[unit]) s += SHORT_ESCAPES[unit];
    else if (unit === 0x2f && style.slash) s += '\\/';
    else s += text[i];
  }
  return s;
}

/** Every needle of a text secret, the literal forms first (duplicates are removed by the caller). */
export function textNeedles(text: string): SweepNeedle[] {
  const needles = [...formNeedles(text, 'text'), bigEndianNeedle(text)];
  if ([...text].length < FULL_SWEEP_MIN_CHARS) return needles;
  const utf8 = new TextEncoder().encode(text);
  for (const s of urlForms(utf8)) needles.push(...formNeedles(s, 'url-encoded'));
  for (const style of JSON_STYLES) needles.push(...formNeedles(jsonEscape(text, style), 'json-escaped'));
  for (const b of base64Needles(utf8, false)) needles.push({ bytes: b, textForms: true, encoding: 'base64' });
  for (const b of base64Needles(utf8, true)) needles.push({ bytes: b, textForms: true, encoding: 'base64url' });
  const h = hex(utf8);
  needles.push({ bytes: h, textForms: true, encoding: 'hex' }, { bytes: h.toUpperCase(), textForms: true, encoding: 'hex-upper' });
  return needles;
}
