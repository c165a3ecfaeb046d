import { describe, expect, it } from 'vitest';
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
} from '../../../src/engine/text/text-view.ts';

const wide = (text: string) => [...Buffer.from(text, 'utf16le')];
const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))));

describe('readTextRun', () => {
  it('decodes the ASCII run around an index, stopping at non-text bytes', () => {
    const buf = bytes([0, 1], 'ab\tcd\r\nef', [0x80], 'gh');
    const run = readTextRun(buf, 4, false, 100, 100);
    expect(run).toMatchObject({ text: 'ab\tcd\r\nef', start: 2, step: 1, origin: 2 });
    expect(run).toMatchObject({ openBefore: false, openAfter: false });
    expect(run.byteAt(0)).toBe(2);
    expect(run.byteAt(run.text.length)).toBe(11);
  });

  it('honours the char limits and reports the run as open there', () => {
    const run = readTextRun(bytes('0123456789'), 5, false, 2, 3);
    expect(run).toMatchObject({ text: '34567', start: 3, origin: 2, openBefore: true, openAfter: true });
  });

  it('reports a run cut by the buffer edge as open', () => {
    const run = readTextRun(bytes('abc'), 1, false, 10, 10);
    expect(run).toMatchObject({ text: 'abc', openBefore: true, openAfter: true });
  });

  it('decodes UTF-16LE at even and odd offsets', () => {
    for (const pad of [[0xff, 0xfe], [0xff]]) {
      const buf = bytes(pad, wide('key=MII'), [0x41, 0x41]);
      const at = pad.length + 8; // 'M'
      const run = readTextRun(buf, at, true, 100, 100);
      expect(run.text).toBe('key=MII');
      expect(run.start).toBe(pad.length);
      expect(run.origin).toBe(4);
      expect(run.byteAt(7)).toBe(pad.length + 14);
      // 0x41 0x41 is not a UTF-16LE text unit (high byte not 0).
      expect(run.openAfter).toBe(false);
    }
  });

  it('stops UTF-16LE runs at units whose high byte is not 0', () => {
    const buf = bytes(wide('ab'), [0x41, 0x04], wide('cd'));
    expect(readTextRun(buf, 0, true, 10, 10).text).toBe('ab');
  });

  it('is empty when the index is not text', () => {
    expect(readTextRun(bytes([0]), 0, false, 5, 5).text).toBe('');
  });
});

describe('unescapeView', () => {
  const view = (text: string, at = 0) => unescapeView(readTextRun(bytes(text), at, false, 1000, 1000));

  it('decodes JSON/C escapes and maps every char back to the first byte of its escape', () => {
    const v = view('a\\nb\\r\\nc\\/d\\u002Be');
    expect(v.text).toBe('a\nb\r\nc/d+e');
    expect([...v.text].map((_, i) => v.byteAt(i))).toEqual([0, 1, 3, 4, 6, 8, 9, 11, 12, 18]);
    expect(v.byteAt(v.text.length)).toBe(19);
    expect(isEscape(v, 1)).toBe(true);
    expect(isEscape(v, 0)).toBe(false);
  });

  it('reads doubly escaped text like singly escaped text', () => {
    expect(view('a\\\\nb\\\\\\\\rc').text).toBe('a\nb\rc');
  });

  it('keeps other backslashes as one backslash', () => {
    expect(view('C:\\\\Users\\x').text).toBe('C:\\Users\\x');
  });

  it('maps the origin to the decoded char', () => {
    const v = view('\\n\\nXYZ', 5);
    expect(v.origin).toBe(3);
    expect(v.text[v.origin]).toBe('Y');
  });

  it('returns the same view when there is nothing to unescape', () => {
    const run = readTextRun(bytes('plain'), 0, false, 0, 10);
    expect(unescapeView(run)).toBe(run);
  });
});

describe('line helpers', () => {
  const text = 'ab\r\ncd\ne\rf';
  it('finds line ends, starts and break lengths', () => {
    expect(lineEnd(text, 0)).toBe(2);
    expect(lineBreakAt(text, 2)).toBe(2);
    expect(lineBreakAt(text, 6)).toBe(1);
    expect(lineBreakAt(text, 8)).toBe(1);
    expect(lineBreakAt(text, 0)).toBe(0);
    expect(lineStart(text, 6)).toBe(4);
    expect(lineStart(text, 2)).toBe(0);
    expect(lineBreakBefore(text, 4)).toBe(2);
    expect(lineBreakBefore(text, 7)).toBe(1);
    expect(lineBreakBefore(text, 9)).toBe(1);
    expect(lineBreakBefore(text, 1)).toBe(0);
  });
});

describe('parseWidening', () => {
  const read = (limit: number): TextView => readTextRun(bytes('x'.repeat(40_000)), 0, false, 0, limit);

  it('stops after the short read when the parse did not run out of text', () => {
    const limits: number[] = [];
    parseWidening((l) => (limits.push(l), read(l)), 40_000, () => ({ value: 1, ranOut: false }));
    expect(limits).toEqual([16 * 1024]);
  });

  it('reads the full reach when the short read ran out', () => {
    const lengths: number[] = [];
    const value = parseWidening(read, 40_000, (v) => {
      lengths.push(v.text.length);
      return { value: v.text.length, ranOut: v.openAfter };
    });
    expect(lengths).toEqual([16 * 1024, 40_000]);
    expect(value).toBe(40_000);
  });
});
