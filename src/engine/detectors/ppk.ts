/**
 * Detector `ppk` (rules T3/S8): PuTTY private key files, versions 2 and 3, in ASCII or UTF-16LE.
 * The file is line-structured and self-describing (Public-Lines N, Private-Lines M), so a block that
 * follows the structure through its Private-MAC line is complete; anything else is a truncated or
 * damaged key, redacted to the end of its text run.
 */
import type { AnchorHit } from '../anchors.ts';
import { isEscape, lineBreakAt, lineEnd, readTextRun, unescapeView } from '../text/text-view.ts';
import type { Finding } from '../types.ts';
import { MAX_MATCH_BYTES, type ScanWindow } from '../window.ts';
import { BASE64_LINE } from './der-key-info.ts';
import type { Detector } from './detector.ts';

/**
 * Longest text a PPK block may span. The largest PuTTY key (RSA-16384) is about 10 KiB of text, so
 * this bounds how far a truncated block is redacted into whatever text follows it.
 */
const PPK_MAX_CHARS = 16 * 1024;

const HEADER = /^PuTTY-User-Key-File-[23]: [A-Za-z0-9@.+_-]+[ \t]*$/;
const MAC_PREFIX = 'Private-MAC: ';
/** HMAC-SHA-1 (version 2) or HMAC-SHA-256 (version 3), lowercase hex. */
const MAC_LINE = /^Private-MAC: ([0-9a-f]{40}|[0-9a-f]{64})[ \t]*$/;
/** Version 3 puts its key-derivation parameters between the public and private sections. */
const KDF_LINE = /^(Key-Derivation|Argon2-[A-Za-z]+): /;

/**
 * Follows the PPK structure from the header line; returns the index just past the MAC's hex digits,
 * or null if the text stops or strays from the structure first.
 */
function completeEnd(text: string, bodyAt: number): number | null {
  let at = bodyAt;
  let lineAt = at;
  const next = (): string | null => {
    if (at > text.length) return null;
    lineAt = at;
    const e = lineEnd(text, at);
    const brk = lineBreakAt(text, e);
    at = brk > 0 ? e + brk : text.length + 1;
    return text.slice(lineAt, e);
  };
  const expect = (pattern: RegExp): RegExpExecArray | null => {
    const line = next();
    return line === null ? null : pattern.exec(line);
  };
  const base64Lines = (count: number): boolean => {
    for (let i = 0; i < count; i++) if (!expect(BASE64_LINE)) return false;
    return true;
  };

  if (!expect(/^Encryption: [a-z0-9-]+[ \t]*$/) || !expect(/^Comment: /)) return null;
  const publicLines = expect(/^Public-Lines: (\d{1,4})[ \t]*$/);
  if (!publicLines || !base64Lines(Number(publicLines[1]))) return null;
  let line = next();
  while (line !== null && KDF_LINE.test(line)) line = next();
  const privateLines = line === null ? null : /^Private-Lines: (\d{1,4})[ \t]*$/.exec(line);
  if (!privateLines || !base64Lines(Number(privateLines[1]))) return null;
  const mac = expect(MAC_LINE);
  return mac ? lineAt + MAC_PREFIX.length + mac[1]!.length : null;
}

export const ppk: Detector = {
  id: 'ppk',
  anchors: ['PuTTY-User-Key-File-2: ', 'PuTTY-User-Key-File-3: '],
  detect(win: ScanWindow, hit: AnchorHit): Finding[] {
    const limit = Math.min(PPK_MAX_CHARS, Math.floor(MAX_MATCH_BYTES / (hit.wide ? 2 : 1)));
    const view = unescapeView(readTextRun(win.bytes, hit.pos, hit.wide, 0, limit));
    const { text } = view;
    const headerEnd = lineEnd(text, 0);
    const brk = lineBreakAt(text, headerEnd);
    // A header line alone holds nothing secret, and without one this is not a key file.
    if (brk === 0 || !HEADER.test(text.slice(0, headerEnd))) return [];

    const end = completeEnd(text, headerEnd + brk);
    const start = view.byteAt(0);
    return [
      {
        offset: win.base + start,
        length: view.byteAt(end ?? text.length) - start,
        kind: 'putty-private-key',
        detector: 'ppk',
        confidence: end === null ? 'medium' : 'high',
        encoding: `ppk${isEscape(view, headerEnd) ? '-escaped' : ''}${view.step === 2 ? '-utf16le' : ''}`,
      },
    ];
  },
};
