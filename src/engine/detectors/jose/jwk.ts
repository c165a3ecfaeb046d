/**
 * Detector `jwk` (rules T40/S20): JSON Web Keys with private members, in ASCII or UTF-16LE, plain or
 * as an escaped string inside other JSON. Anchored on `"kty`, which also matches the escaped
 * `\"kty\"`. The enclosing object (at most JWK_MAX_CHARS) is read member by member, and only the
 * values of the private members (RSA d, p, q, dp, dq, qi; EC/OKP d; oct k) are zeroed, one finding
 * each, so the JSON and the public members stay readable. A JWKS (`{"keys": […]}`) is one hit per key.
 */
import type { AnchorHit } from '../../anchors.ts';
import { readTextRun, unescapeView, type TextView } from '../../text/text-view.ts';
import type { Finding } from '../../types.ts';
import type { ScanWindow } from '../../window.ts';
import type { Detector } from '../detector.ts';
import { readJsonObject, type JsonMember, type JsonObject } from './json-object.ts';
import { assessJwk, PRIVATE_MEMBERS } from './jwk-key.ts';

/** A JWK's size bound: an RSA-4096 private JWK is about 3.2 KiB; x5c chains may add more. */
const JWK_MAX_CHARS = 8 * 1024;
/** Values shorter than 8 bytes of base64url hold no key (and `"d":"…"` is common in other JSON). */
const MIN_PRIVATE_CHARS = 11;
/** Enclosing-brace candidates tried before giving up: nested objects before `"kty"` are rare. */
const MAX_BRACE_TRIES = 16;

/** The object that has the `"kty"` at `origin` as a member of its own. */
function enclosingObject(text: string, origin: number): JsonObject | null {
  let tries = 0;
  for (let at = text.lastIndexOf('{', origin); at >= 0 && tries < MAX_BRACE_TRIES; at = text.lastIndexOf('{', at - 1), tries++) {
    const object = readJsonObject(text, at);
    if (object.members.get('kty')?.nameAt === origin) return object;
  }
  return null;
}

function readView(win: ScanWindow, hit: AnchorHit): { view: TextView; escaped: boolean } {
  const raw = readTextRun(win.bytes, hit.pos, hit.wide, JWK_MAX_CHARS, JWK_MAX_CHARS);
  // Unescape only an escaped JWK: a plain one may hold escaped quotes in other members' strings.
  const escaped = raw.text[raw.origin - 1] === '\\';
  return { view: escaped ? unescapeView(raw) : raw, escaped };
}

export const jwk: Detector = {
  id: 'jwk',
  anchors: ['"kty'],
  detect(win: ScanWindow, hit: AnchorHit): Finding[] {
    const { view, escaped } = readView(win, hit);
    const object = enclosingObject(view.text, view.origin);
    const kty = object?.members.get('kty')?.value ?? '';
    const names = PRIVATE_MEMBERS[kty];
    if (!object || !names) return [];
    const values = names
      .map((name) => object.members.get(name))
      .filter((m): m is JsonMember => m !== undefined && m.valueStart >= 0 && m.value.length >= MIN_PRIVATE_CHARS);
    if (values.length === 0) return [];

    const assessed = assessJwk(kty, object.members, object.complete);
    const encoding = `jwk${escaped ? '-escaped' : ''}${hit.wide ? '-utf16le' : ''}`;
    return values.map((m) => {
      const start = view.byteAt(m.valueStart);
      const finding: Finding = {
        offset: win.base + start,
        length: view.byteAt(m.valueEnd) - start,
        kind: assessed.kind,
        detector: 'jwk',
        confidence: assessed.confidence,
        encoding,
      };
      if (assessed.fingerprint) finding.fingerprint = assessed.fingerprint;
      if (assessed.secret) finding.secret = assessed.secret;
      return finding;
    });
  },
};
