/**
 * Every token rule in every text view: ASCII, UTF-16LE at even and odd offsets, UTF-16BE, JSON-escaped
 * and URL-encoded where the secret has chars those escape, and across a chunk boundary. Exact ranges.
 */
import { describe, expect, it } from 'vitest';
import { token, tokenRules } from '../../../../src/engine/detectors/tokens/index.ts';
import type { Finding } from '../../../../src/engine/types.ts';
import { rng } from '../../../fixtures/random.ts';
import { assemble, expectRedacted, noise, scanBuffer, unionRanges } from '../../../fixtures/scan-window.ts';
import { credentialFixtures, secretOf, tokenFixtures, type TokenSample } from '../../../fixtures/tokens.ts';

type Form = 'ascii' | 'utf16le' | 'utf16be';

/**
 * Big-endian text as a Java heap dump holds it: a char array followed by the next record's tag, so
 * the byte after the last char is not zero (with zeros on both sides the byte order is ambiguous, and
 * little-endian, by far the commoner, is assumed).
 */
const HPROF_NEXT_RECORD = Uint8Array.of(0x23, 0, 0, 0, 1);

/** The sample's text encoded in `form` between noise; the file range of text chars [from, to). */
function place(text: string, form: Form, odd = false, after?: Uint8Array) {
  const encoded =
    form === 'ascii' ? Buffer.from(text, 'latin1') : form === 'utf16le' ? Buffer.from(text, 'utf16le') : Buffer.from(text, 'utf16le').swap16();
  const step = form === 'ascii' ? 1 : 2;
  const tail = after ?? (form === 'utf16be' ? Buffer.concat([HPROF_NEXT_RECORD, noise(200)]) : noise(200));
  const { bytes, at } = assemble(noise(300 + (odd ? 1 : 0)), encoded, tail);
  return { bytes, range: (from: number, to: number): [number, number] => [at[1]! + from * step, at[1]! + to * step] };
}

/** The sample with each char of `escapes` in its text replaced, and the secret's range moved along. */
function escaped(sample: TokenSample, escapes: Record<string, string>): TokenSample {
  let text = '';
  const map: number[] = [];
  for (const c of sample.text) {
    map.push(text.length);
    text += escapes[c] ?? c;
  }
  map.push(text.length);
  const moved = ([s, e]: [number, number]): [number, number] => [map[s]!, map[e]!];
  return { ...sample, text, secret: moved(sample.secret), also: sample.also?.map(moved) };
}

const JSON_ESCAPES = { '/': '\\/', '+': '\\u002B' };
const URL_ESCAPES = { '/': '%2F', '+': '%2B', '=': '%3D' };

const zeroed = (findings: readonly Finding[]) => findings.filter((f) => f.confidence !== 'low');
/** Kinds of the context rules (a password slot, an assignment, an environment variable). */
const CONTEXT_KINDS = new Set(tokenRules.filter((r) => r.yields).map((r) => r.kind));

describe.each([...tokenFixtures, ...credentialFixtures].map((f) => [f.name, f] as const))('%s', (_, fixture) => {
  const rand = rng(fixture.name.length * 7919);
  const sample = fixture.valid(rand);

  const base = fixture.encoding ?? 'ascii';
  const views: [string, TokenSample, Form, boolean, string][] = [
    ['ASCII', sample, 'ascii', false, base],
    ['UTF-16LE even', sample, 'utf16le', false, `${base}-utf16le`],
    ['UTF-16LE odd', sample, 'utf16le', true, `${base}-utf16le`],
    ['UTF-16BE', sample, 'utf16be', false, `${base}-utf16be`],
    ['UTF-16BE odd', sample, 'utf16be', true, `${base}-utf16be`],
  ];
  if (/[+/]/.test(secretOf(sample))) {
    views.push(['JSON-escaped', escaped(sample, JSON_ESCAPES), 'ascii', false, 'ascii-json-escaped']);
    views.push(['JSON-escaped UTF-16LE', escaped(sample, JSON_ESCAPES), 'utf16le', true, 'ascii-json-escaped-utf16le']);
  }
  if (/[+/=]/.test(secretOf(sample))) {
    views.push(['URL-encoded', escaped(sample, URL_ESCAPES), 'ascii', false, 'ascii-url-encoded']);
  }

  /** Every range the sample's text zeroes, as file ranges. */
  const expectedRanges = (s: TokenSample, range: (from: number, to: number) => [number, number]) =>
    [s.secret, ...(s.also ?? [])].map((r) => range(...r)).sort((a, b) => a[0] - b[0]);

  it.each(views)('%s: the secret exactly', (_, s, form, odd, encoding) => {
    const placed = place(s.text, form, odd);
    const findings = expectRedacted(token, placed.bytes, expectedRanges(s, placed.range), [7, 1 << 24]);
    const [from, to] = placed.range(...s.secret);
    const f = findings.find((x) => x.offset === from && x.length === to - from)!;
    expect(f).toEqual(expect.objectContaining({ kind: fixture.kind, detector: 'token', confidence: fixture.confidence, encoding }));
    expect(findings).toHaveLength(1 + (s.also?.length ?? 0));
    if (f.fingerprint) expect(f.fingerprint).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(f.secret).toEqual(expect.objectContaining({ kind: 'text-secret', text: sample.value ?? secretOf(sample) }));
  });

  it('across a 4096-byte chunk boundary, in every position of the secret', () => {
    for (const form of ['ascii', 'utf16le', 'utf16be'] as const) {
      const encoded = place(sample.text, form);
      const [s, e] = encoded.range(...sample.secret);
      for (const split of [s + 1, Math.floor((s + e) / 2), e - 1]) {
        // Shift the text so that `split` lands on 4096.
        const pad = new Uint8Array(4096 - split);
        const bytes = new Uint8Array(Buffer.concat([pad, encoded.bytes]));
        const shifted = expectedRanges(sample, encoded.range).map(([a, b]): [number, number] => [a + pad.length, b + pad.length]);
        expect(unionRanges(zeroed(scanBuffer(token, bytes, 4096))), `${form} split at ${split - s}`).toEqual(shifted);
      }
    }
  });

  // A format's near miss in a credential slot (`"token": "ghx_…"`, `https://u:<not a PAT>@host`) is
  // still a value there, which the context rules report on purpose; they are held to their own.
  const counted = (f: Finding) => CONTEXT_KINDS.has(fixture.kind) || !CONTEXT_KINDS.has(f.kind);

  it('near misses yield no zeroed finding', () => {
    const misses = fixture.nearMisses(sample, rand);
    expect(misses.length).toBeGreaterThan(0);
    for (const text of misses) {
      for (const form of ['ascii', 'utf16le', 'utf16be'] as const) {
        expect(zeroed(scanBuffer(token, place(text, form).bytes, 1 << 24)).filter(counted), `${form}: ${text}`).toEqual([]);
      }
    }
  });

  it('truncated by the end of its text', () => {
    const [s, e] = sample.secret;
    const cut = s + Math.floor((e - s) * (fixture.truncated?.keep ?? 0.6));
    for (const form of ['ascii', 'utf16le'] as const) {
      const placed = place(sample.text.slice(0, cut), form, true, Uint8Array.of(0, 0, 0x91, 0x92, 0, 0));
      const findings = zeroed(scanBuffer(token, placed.bytes, 1 << 24)).filter((f) => f.kind === fixture.kind);
      if (fixture.truncated) {
        expect(unionRanges(findings), form).toEqual([placed.range(s, cut)]);
        expect(findings[0]).toMatchObject({ kind: fixture.kind, confidence: fixture.truncated.confidence });
      } else {
        expect(findings, form).toEqual([]);
      }
    }
  });
});
