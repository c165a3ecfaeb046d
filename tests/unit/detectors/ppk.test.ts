import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ppk } from '../../../src/engine/detectors/ppk.ts';
import type { Finding } from '../../../src/engine/types.ts';
import * as keys from '../../fixtures/keys.ts';
import { embed, expectRedacted as expectRedactedBy } from '../../fixtures/scan-window.ts';

const expectRedacted = (bytes: Uint8Array, expected: [number, number][]): Finding[] =>
  expectRedactedBy(ppk, bytes, expected);

/** The block runs from the header to the last hex digit of the MAC (the final line break stays). */
const blockEnd = (text: string) => text.replace(/\s+$/, '').length;

describe('ppk: complete key files', () => {
  const cases: [string, string, { wide?: boolean; odd?: boolean }, string][] = [
    ['version 2 (RSA)', keys.ppkText({ version: 2 }), {}, 'ppk'],
    ['version 3 (Ed25519)', keys.ppkText({ version: 3 }), {}, 'ppk'],
    ['version 3, encrypted (Argon2 lines)', keys.ppkText({ version: 3, encrypted: true }), {}, 'ppk'],
    ['CRLF line ends, odd offset', keys.ppkText({ version: 2, eol: '\r\n' }), { odd: true }, 'ppk'],
    ['UTF-16LE, even offset', keys.ppkText({ version: 2 }), { wide: true }, 'ppk-utf16le'],
    ['UTF-16LE, odd offset', keys.ppkText({ version: 3, encrypted: true }), { wide: true, odd: true }, 'ppk-utf16le'],
    ['JSON-escaped', keys.jsonEscape(keys.ppkText({ version: 3 })), {}, 'ppk-escaped'],
  ];

  it.each(cases)('%s: high, header through the MAC', (_, text, options, encoding) => {
    const e = embed(text, options);
    const end = text.endsWith('\\n') ? text.length - 2 : blockEnd(text);
    expect(expectRedacted(e.bytes, [e.range(0, end)])).toEqual([
      expect.objectContaining({ kind: 'putty-private-key', detector: 'ppk', confidence: 'high', encoding }),
    ]);
  });

  it('in random noise without delimiters', () => {
    const text = keys.ppkText({ version: 2 });
    const e = embed(text, { before: randomBytes(500), after: Buffer.concat([Buffer.from([0]), randomBytes(500)]) });
    expect(expectRedacted(e.bytes, [e.range(0, blockEnd(text))])).toHaveLength(1);
  });
});

describe('ppk: not findings', () => {
  it.each([
    ['the header name in prose', 'Files start with PuTTY-User-Key-File-2: and a key type.\n'],
    ['a header line with no line after it', 'PuTTY-User-Key-File-3: ssh-ed25519'],
  ])('%s', (_, text) => {
    for (const wide of [false, true]) expect(expectRedacted(embed(text, { wide }).bytes, [])).toEqual([]);
  });
});

describe('ppk: truncated or damaged files (medium, to the end of the text run)', () => {
  const text = keys.ppkText({ version: 2 });
  const cut = text.indexOf('Private-Lines') + 100;

  it('cut mid-body by a non-text byte', () => {
    for (const options of [{}, { wide: true, odd: true }]) {
      const e = embed(text.slice(0, cut), options);
      const findings = expectRedacted(e.bytes, [e.range(0, cut)]);
      expect(findings).toMatchObject([{ kind: 'putty-private-key', confidence: 'medium' }]);
    }
  });

  it('cut at the end of the file', () => {
    const e = embed(text.slice(0, cut), { after: new Uint8Array(0) });
    expect(expectRedacted(e.bytes, [e.range(0, cut)])).toMatchObject([{ confidence: 'medium' }]);
  });

  it('a line count that does not match the lines', () => {
    const damaged = text.replace(/Public-Lines: (\d+)/, (_, n: string) => `Public-Lines: ${Number(n) + 1}`);
    const e = embed(damaged);
    expect(expectRedacted(e.bytes, [e.range(0, damaged.length)])).toMatchObject([{ confidence: 'medium' }]);
  });

  it('a MAC of the wrong length', () => {
    const damaged = text.replace(/(Private-MAC: [0-9a-f]+)/, '$1ab');
    const e = embed(damaged);
    expect(expectRedacted(e.bytes, [e.range(0, damaged.length)])).toMatchObject([{ confidence: 'medium' }]);
  });

  it('is bounded to 16 K chars when the text run goes on', () => {
    const damaged = text.slice(0, cut) + '#' + 'lorem ipsum '.repeat(3000);
    const e = embed(damaged, { wide: true });
    expect(expectRedacted(e.bytes, [e.range(0, 16 * 1024)])).toMatchObject([{ confidence: 'medium' }]);
  });
});

describe('ppk: several files and chunk boundaries', () => {
  it('reports each file exactly, whatever the chunk size', () => {
    const texts = [keys.ppkText({ version: 2 }), keys.ppkText({ version: 3, encrypted: true, eol: '\r\n' })];
    const a = embed(texts[0]!, { wide: true, odd: true });
    const b = embed(texts[1]!, { odd: true });
    const [bs, be] = b.range(0, blockEnd(texts[1]!));
    const expected = [a.range(0, blockEnd(texts[0]!)), [bs + a.bytes.length, be + a.bytes.length] as [number, number]];
    const bytes = Buffer.concat([a.bytes, b.bytes]);
    expect(expectRedactedBy(ppk, bytes, expected, [1, 2, 3, 7, 17, 4099, 1 << 24])).toHaveLength(2);
  });
});
