/**
 * A user's text secret swept in every form a program stores text in (detectors.md §4.1, row
 * "Token / password"): each form planted between random bytes is found exactly, across chunk
 * edges; a twin one character off is not.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sweepNeedles } from '../../../src/engine/sweep/encodings.ts';
import type { SecretMaterial } from '../../../src/engine/sweep/secret.ts';
import { createSweepDetector, USER_SECRET_KIND } from '../../../src/engine/sweep/sweep-detector.ts';
import { FULL_SWEEP_MIN_CHARS } from '../../../src/engine/sweep/text-needles.ts';
import { shortSecretsWarning, userSecretsProblem } from '../../../src/engine/user-input.ts';
import type { Finding } from '../../../src/engine/types.ts';
import { utf16le } from '../../fixtures/keys.ts';
import { scanBuffer, unionRanges } from '../../fixtures/scan-window.ts';
import { layout } from './helpers.ts';

const userSecret = (text: string): SecretMaterial => ({ kind: 'text-secret', text, origin: 'user' });
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();

/**
 * A base64 secret that surely holds `+`, `/` and `=` (fb ff bf encode as `+/+/`; 29 bytes end in
 * one `=`), so its URL and JSON forms differ from the text.
 */
function base64Secret(): string {
  return Buffer.concat([Buffer.of(0xfb, 0xff, 0xbf), randomBytes(26)]).toString('base64');
}

/**
 * One char changed, in the middle: every needle (base64 ones drop the partial chars at the ends)
 * covers it, and `A` and `z` differ in their top bits too.
 */
function twinOf(secret: string): string {
  const mid = secret.length >> 1;
  return secret.slice(0, mid) + (secret[mid] === 'A' ? 'z' : 'A') + secret.slice(mid + 1);
}

/** Where the alignment needle of `secret` sits inside base64 of `prefix ‖ secret ‖ …`, in chars. */
function base64Span(prefix: number, length: number): [number, number] {
  const a = prefix % 3;
  const first = ((prefix - a) / 3) * 4 + Math.ceil((8 * a) / 6);
  const last = ((prefix - a) / 3) * 4 + Math.floor((8 * (a + length)) / 6);
  return [first, last];
}

const byOffset = (findings: Finding[]) => [...findings].sort((a, b) => a.offset - b.offset);

describe('text secret: every encoding found exactly', () => {
  const secret = base64Secret();
  const utf8 = Buffer.from(secret);
  const streams = [0, 1, 2].map((a) => Buffer.concat([randomBytes(30 + a), utf8, randomBytes(31)]));
  const urlStream = Buffer.concat([randomBytes(40), utf8, randomBytes(20)]);
  // [part, where the secret's bytes are inside the part, encoding]
  const planted: [Buffer, [number, number], string][] = [
    [Buffer.from(`password=${secret};`), [9, 9 + secret.length], 'text'],
    [utf16le(`pw=${secret}`), [6, 6 + 2 * secret.length], 'text-utf16le'], // odd offset (layout)
    [Buffer.concat([Buffer.of(0xff), utf16le(secret)]), [1, 1 + 2 * secret.length], 'text-utf16le'], // even offset
    [Buffer.concat([utf16be(secret), Buffer.of(0xff)]), [0, 2 * secret.length], 'text-utf16be'],
    [Buffer.from(`token=${encodeURIComponent(secret)}&x=1`), [6, 6 + encodeURIComponent(secret).length], 'url-encoded'],
    [Buffer.from(encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())), [0, encodeURIComponent(secret).length], 'url-encoded'],
    [Buffer.from(`{"t":"${secret.replace(/\//g, '\\/')}"}`), [6, 6 + secret.replace(/\//g, '\\/').length], 'json-escaped'],
    [utf16le(`{"t":"${secret.replace(/\+/g, '\\u002B')}"}`), [12, 12 + 2 * secret.replace(/\+/g, '\\u002B').length], 'json-escaped-utf16le'],
    ...streams.map((s, a): [Buffer, [number, number], string] => [Buffer.from(s.toString('base64')), base64Span(30 + a, utf8.length), 'base64']),
    [utf16le(urlStream.toString('base64url')), base64Span(40, utf8.length).map((c) => 2 * c) as [number, number], 'base64url-utf16le'],
    [Buffer.from(`"${utf8.toString('hex')}"`), [1, 1 + 2 * utf8.length], 'hex'],
    [utf16le(utf8.toString('hex').toUpperCase()), [0, 4 * utf8.length], 'hex-upper-utf16le'],
  ];
  const file = layout(...planted.map(([part]) => part));
  const expected = planted.map(([, [s, e], encoding], i): [number, number, string] => [file.at[i]! + s, e - s, encoding]);
  const detector = createSweepDetector([userSecret(secret)]);

  it('finds each form with its encoding, kind user-secret, confidence high, no fingerprint', () => {
    const findings = byOffset(scanBuffer(detector, file.bytes, file.bytes.length + 1));
    // base64url needles free of - and _ are searched (and named) as base64.
    const names = findings.map((f) => f.encoding.replace(/^base64-utf16le$/, 'base64url-utf16le'));
    expect(findings.map((f, i) => [f.offset, f.length, names[i]])).toEqual(expected);
    for (const f of findings) {
      expect(f).toMatchObject({ kind: USER_SECRET_KIND, detector: 'sweep', confidence: 'high' });
      expect(f.fingerprint).toBeUndefined();
    }
  });

  it('finds the same bytes when chunk edges cut through the secrets', () => {
    const whole = unionRanges(scanBuffer(detector, file.bytes, file.bytes.length + 1));
    for (const size of [file.at[0]! + 11, 97, 1021]) {
      expect(unionRanges(scanBuffer(detector, file.bytes, size)), `chunk size ${size}`).toEqual(whole);
    }
  });

  it('a twin one character off is found in none of these forms', () => {
    const twin = createSweepDetector([userSecret(twinOf(secret))]);
    expect(scanBuffer(twin, file.bytes, file.bytes.length + 1)).toEqual([]);
  });

  it('a UTF-16BE copy followed by a zero byte is also UTF-16LE one byte on: reported once, every non-zero byte covered', () => {
    const be = utf16be(secret);
    const tie = layout(Buffer.concat([be, Buffer.of(0, 0x41)]));
    const findings = scanBuffer(detector, tie.bytes, tie.bytes.length + 1);
    const at = tie.at[0]!;
    expect(findings.map((f) => [f.offset, f.length, f.encoding])).toEqual([[at + 1, be.length, 'text-utf16le']]);
    // The one byte of the BE copy left outside is its first high byte: zero already.
    expect(tie.bytes[at]).toBe(0);
  });
});

describe('text secret: forms and length rules', () => {
  it('a base64url token from node:crypto is found as text, UTF-16LE at both parities, base64 and hex', () => {
    const token = randomBytes(24).toString('base64url');
    const file = layout(token, utf16le(token), Buffer.concat([Buffer.of(1), utf16le(token)]), Buffer.from(token).toString('hex'));
    const findings = byOffset(scanBuffer(createSweepDetector([userSecret(token)]), file.bytes, 61));
    expect(findings.map((f) => [f.offset, f.encoding])).toEqual([
      [file.at[0], 'text'],
      [file.at[1], 'text-utf16le'],
      [file.at[2]! + 1, 'text-utf16le'],
      [file.at[3], 'hex'],
    ]);
  });

  it('non-ASCII text: its UTF-8, UTF-16LE and UTF-16BE bytes', () => {
    const text = `pässwörd-${randomBytes(6).toString('hex')}`;
    const file = layout(Buffer.from(text, 'utf8'), utf16le(text), Buffer.concat([utf16be(text), Buffer.of(0xff)]));
    const findings = byOffset(scanBuffer(createSweepDetector([userSecret(text)]), file.bytes, 53));
    expect(findings.map((f) => [f.offset, f.length, f.encoding])).toEqual([
      [file.at[0], Buffer.byteLength(text), 'text'],
      [file.at[1], 2 * text.length, 'text-utf16le'],
      [file.at[2], 2 * text.length, 'text-utf16be'],
    ]);
  });

  it(`shorter than ${FULL_SWEEP_MIN_CHARS} chars: literal forms only, and a warning; under 4 chars refused`, () => {
    const short = randomBytes(6).toString('base64url').slice(0, 6);
    expect(new Set(sweepNeedles(userSecret(short)).map((n) => n.encoding))).toEqual(new Set(['text', 'text-utf16be']));
    // `~~~` is base64 `fn5+`: some base64url needle differs from every base64 one.
    expect(new Set(sweepNeedles(userSecret(`${base64Secret()}~~~~~~`)).map((n) => n.encoding))).toEqual(
      new Set(['text', 'text-utf16be', 'url-encoded', 'json-escaped', 'base64', 'base64url', 'hex', 'hex-upper']),
    );
    const warning = shortSecretsWarning([short, base64Secret()]);
    expect(warning).toMatch(/^1 user secret\(s\) shorter than 8 characters/);
    expect(warning).not.toContain(short);
    expect(shortSecretsWarning([base64Secret()])).toBeNull();
    expect(userSecretsProblem([base64Secret(), 'abcd'])).toBeNull();
    const problem = userSecretsProblem([base64Secret(), 'abc']);
    expect(problem).toMatch(/^secret #2 is shorter than 4 characters/);
    expect(problem).not.toContain('abc');
    expect(userSecretsProblem([''])).toMatch(/secret #1/);
  });

  it('a token a detector confirmed keeps kind text-secret', () => {
    const token = randomBytes(24).toString('base64url');
    const file = layout(token);
    const [finding] = scanBuffer(createSweepDetector([{ kind: 'text-secret', text: token }]), file.bytes, 1 << 16);
    expect(finding).toMatchObject({ kind: 'text-secret', offset: file.at[0], encoding: 'text' });
  });
});
