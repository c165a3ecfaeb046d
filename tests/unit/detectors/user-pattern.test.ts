/** The user's own regexes over ASCII and UTF-16LE text runs, chunked like the engine does. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createUserPatternScanner } from '../../../src/engine/detectors/user-pattern.ts';
import { compileUserPattern, userPatternProblem } from '../../../src/engine/user-input.ts';
import { utf16le } from '../../fixtures/keys.ts';
import { scanBufferWith, unionRanges } from '../../fixtures/scan-window.ts';
import { layout } from '../sweep/helpers.ts';

/** `tok_` and 20 random alphanumerics, made at test time. */
const token = () => `tok_${randomBytes(30).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 20)}`;

describe('user patterns', () => {
  const scanner = createUserPatternScanner(['tok_[A-Za-z0-9]{20}']);
  const [a, b, c] = [token(), token(), token()];
  const file = layout(
    `config: ${a};`, // ASCII
    utf16le(`key=${b}`), // UTF-16LE at an odd offset (layout)
    Buffer.concat([Buffer.of(0xff), utf16le(c)]), // UTF-16LE at an even offset
    `near miss ${c.slice(0, -1)}`, // 19 chars after tok_
  );
  const expected: [number, number][] = [
    [file.at[0]! + 8, file.at[0]! + 8 + a.length],
    [file.at[1]! + 8, file.at[1]! + 8 + 2 * b.length],
    [file.at[2]! + 1, file.at[2]! + 1 + 2 * c.length],
  ];

  it('zeroes every match whole, in ASCII and UTF-16LE at both parities; a near miss is left', () => {
    const findings = scanBufferWith(scanner, file.bytes, file.bytes.length + 1);
    expect(unionRanges(findings)).toEqual(expected);
    expect(findings.map((f) => f.encoding).sort()).toEqual(['text', 'text-utf16le', 'text-utf16le']);
    for (const f of findings) expect(f).toMatchObject({ kind: 'user-pattern', detector: 'user-pattern', confidence: 'high' });
  });

  it('finds the same matches whatever the chunk size, edges inside the matches included', () => {
    for (const size of [file.at[0]! + 12, file.at[1]! + 9, 7, 1021]) {
      expect(unionRanges(scanBufferWith(scanner, file.bytes, size)), `chunk size ${size}`).toEqual(expected);
    }
  });

  it('/re/flags: the flags apply; runs under 4 chars are not searched', () => {
    const upper = a.toUpperCase();
    const f = layout(upper, 'xab', 'xabx');
    const found = (pattern: string) => unionRanges(scanBufferWith(createUserPatternScanner([pattern]), f.bytes, 64));
    expect(found('tok_[a-z0-9]{20}')).toEqual([]);
    expect(found('/tok_[a-z0-9]{20}/i')).toEqual([[f.at[0]!, f.at[0]! + upper.length]]);
    expect(found('ab')).toEqual([[f.at[2]! + 1, f.at[2]! + 3]]);
  });

  it('a pattern that can match the empty string inside text (\\b) does not loop or zero nothing', () => {
    const f = layout('word boundary');
    expect(scanBufferWith(createUserPatternScanner(['\\b(?=w)']), f.bytes, 64)).toEqual([]);
  });

  it('refuses a bad, empty, empty-matching or sticky pattern with a one-line message', () => {
    expect(userPatternProblem('(', 1)).toMatch(/^pattern #2 is not a valid regular expression \(.+\)$/);
    expect(userPatternProblem('')).toBe('pattern #1 is empty');
    expect(userPatternProblem('//i')).toBe('pattern #1 is empty');
    expect(userPatternProblem('a*')).toBe('pattern #1 matches the empty string');
    expect(userPatternProblem('/x/y')).toMatch(/only g, i, m, s, u and v/);
    expect(userPatternProblem('tok_\\w+')).toBeNull();
    expect(() => createUserPatternScanner(['ok+', '['])).toThrow(/^pattern #2 /);
    expect(compileUserPattern('/a/gi').flags).toBe('gi');
    expect(compileUserPattern('a/b').source).toBe('a\\/b');
  });
});
