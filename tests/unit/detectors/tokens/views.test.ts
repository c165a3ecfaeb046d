import { describe, expect, it } from 'vitest';
import { isEscape, readTextRunIn, readWideRuns, unescapeView, urlDecodeView } from '../../../../src/engine/text/text-view.ts';

const bytes = (...parts: (string | number[] | Buffer)[]) =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))));
const be = (text: string) => Buffer.from(text, 'utf16le').swap16();
const le = (text: string) => Buffer.from(text, 'utf16le');

describe('readTextRunIn utf16be', () => {
  it('reads big-endian units from their zero byte, and covers both bytes of each', () => {
    const buf = bytes([0xff, 0x23], be('key=abc'), [0x23, 0x01]);
    const run = readTextRunIn(buf, 2 + 8, 'utf16be', 100, 100);
    expect(run).toMatchObject({ text: 'key=abc', start: 2, origin: 4, step: 2 });
    expect(run.byteAt(run.text.length)).toBe(16);
  });
});

describe('readWideRuns', () => {
  it('little-endian text followed by its terminator: the little-endian reading only', () => {
    const buf = bytes([0x41, 0x93], le('token=abc'), [0, 0, 0x93]);
    const runs = readWideRuns(buf, 2 + 12, 100, 100);
    expect(runs.map((r) => r.form)).toEqual(['utf16le']);
    expect(runs[0]!.run).toMatchObject({ text: 'token=abc', start: 2 });
  });

  it('big-endian text followed by a non-zero byte: the big-endian reading only', () => {
    const buf = bytes([0x41, 0x93], be('token=abc'), [0x23, 0, 0]);
    // The UTF-16LE anchor `abc` matches one byte into the big-endian units.
    const runs = readWideRuns(buf, 2 + 12 + 1, 100, 100);
    expect(runs.map((r) => r.form)).toEqual(['utf16be']);
    expect(runs[0]!.run).toMatchObject({ text: 'token=abc', start: 2 });
    expect(runs[0]!.run.byteAt(9)).toBe(20);
  });

  it('zeros on both sides: both readings, little-endian first', () => {
    const buf = bytes([0x93, 0, 0], le('token=abc'), [0, 0, 0x93]);
    expect(readWideRuns(buf, 3 + 12, 100, 100).map((r) => r.form)).toEqual(['utf16le', 'utf16be']);
  });

  it('no zero before the hit: little-endian', () => {
    const buf = bytes([0x93], le('abc'), [0, 0]);
    expect(readWideRuns(buf, 1, 100, 100).map((r) => r.form)).toEqual(['utf16le']);
  });
});

describe('urlDecodeView', () => {
  it('decodes percent-escapes and maps each char to the first byte of its escape', () => {
    const view = urlDecodeView(readTextRunIn(bytes('sig=ab%2Bc%2fd%3D&x'), 0, 'ascii', 0, 100));
    expect(view.text).toBe('sig=ab+c/d=&x');
    expect(view.byteAt(6)).toBe(6);
    expect(view.byteAt(7)).toBe(9);
    expect(isEscape(view, 6)).toBe(true);
    expect(isEscape(view, 7)).toBe(false);
  });

  it('leaves a lone % and a view without escapes alone', () => {
    const run = readTextRunIn(bytes('100%zz'), 0, 'ascii', 0, 100);
    expect(urlDecodeView(run).text).toBe('100%zz');
    const plain = readTextRunIn(bytes('plain'), 0, 'ascii', 0, 100);
    expect(urlDecodeView(plain)).toBe(plain);
  });

  it('keeps the origin on the char whose escape holds it', () => {
    const view = urlDecodeView(readTextRunIn(bytes('ab%2Bcd'), 2, 'ascii', 2, 100));
    expect(view.text[view.origin]).toBe('+');
  });
});

describe('unescapeView decodes \\u002B and \\/ in tokens', () => {
  it('maps back to whole escapes', () => {
    const view = unescapeView(readTextRunIn(bytes('k\\u002Bv\\/w'), 0, 'ascii', 0, 100));
    expect(view.text).toBe('k+v/w');
    expect(view.byteAt(2)).toBe(7);
    expect(view.byteAt(5)).toBe(11);
  });
});
