import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnchorFinder, AnchorHit, AnchorSpec } from '../../src/engine/anchors.ts';
import {
  createReferenceAnchorFinder,
  createWasmAnchorFinder,
  type AnchorKernelExports,
} from '../../src/wasm/anchor-finder.ts';
import { rng } from '../fixtures/random.ts';

const ANCHORS = [
  '-----BEGIN ',
  '-----END ',
  'PRIVATE KEY-----',
  'PuTTY-User-Key-File-',
  'b3BlbnNzaC1rZXktdjE',
  'IBAAKC',
  'MHcCAQEEI',
  'MC4CAQAwBQYDK2Vw',
  'BgkqhkiG9w0BBQ0w',
  'IBAzCC',
  'AKIA',
  'ghp_',
  'eyJ',
  '-----',
  'ABCD',
  'ABC',
];

let wasmModule: WebAssembly.Module;

beforeAll(async () => {
  wasmModule = await WebAssembly.compile(await readFile(new URL('../../src/wasm/core.wasm', import.meta.url)));
});


const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const wide = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) out[i * 2] = s.charCodeAt(i);
  return out;
};
const encode = (s: string, isWide: boolean): Uint8Array => (isWide ? wide(s) : ascii(s));

function noise(random: () => number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (random() * 256) | 0;
  return out;
}

/** Bytes drawn from the anchors' own characters plus zeros: many prefilter candidates, few hits. */
function lookalike(random: () => number, length: number, anchors: readonly string[]): Uint8Array {
  const alphabet = [...new Set(anchors.join(''))].map((c) => c.charCodeAt(0)).concat([0, 0, 0]);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = alphabet[(random() * alphabet.length) | 0];
  return out;
}

type Pair = { wasm: AnchorFinder; ref: AnchorFinder };

function pair(anchors: readonly AnchorSpec[]): Pair {
  return { wasm: createWasmAnchorFinder(wasmModule, anchors), ref: createReferenceAnchorFinder(anchors) };
}

function expectSame(f: Pair, bytes: Uint8Array, from: number, to: number): AnchorHit[] {
  const expected = f.ref.find(bytes, from, to);
  const actual = f.wasm.find(bytes, from, to);
  if (actual.length !== expected.length || actual.some((h, i) => !sameHit(h, expected[i]))) {
    // toEqual on the whole list gives a readable diff; the pre-check keeps the passing path fast.
    const context = { from, to, length: bytes.length };
    expect({ ...context, hits: actual }).toEqual({ ...context, hits: expected });
  }
  return actual;
}

const sameHit = (a: AnchorHit, b: AnchorHit): boolean => a.pos === b.pos && a.anchor === b.anchor && a.wide === b.wide;
const has = (hits: AnchorHit[], pos: number, anchor: number, isWide: boolean): boolean =>
  hits.some((h) => sameHit(h, { pos, anchor, wide: isWide }));

describe('both finders, hand-checked cases', () => {
  const cases: [string, (anchors: readonly string[]) => AnchorFinder][] = [
    ['reference', createReferenceAnchorFinder],
    ['wasm', (anchors) => createWasmAnchorFinder(wasmModule, anchors)],
  ];
  for (const [name, make] of cases) {
    it(`${name}: ASCII and UTF-16LE at odd offsets, order pos > anchor > ASCII before wide`, () => {
      const finder = make(['ABC', 'AB', 'ABCD']);
      const bytes = new Uint8Array([0x41, 0x42, 0x43, 0x44, 0, 0x41, 0, 0x42, 0, 0x43, 0, 0x7a]);
      expect(finder.find(bytes, 0, bytes.length)).toEqual([
        { pos: 0, anchor: 0, wide: false },
        { pos: 0, anchor: 1, wide: false },
        { pos: 0, anchor: 2, wide: false },
        { pos: 5, anchor: 0, wide: true },
        { pos: 5, anchor: 1, wide: true },
      ]);
    });

    it(`${name}: one position with both forms of one anchor`, () => {
      // "A\0" is the wide form of "A" and starts with the ASCII form.
      expect(make(['Q', 'A']).find(new Uint8Array([0x41, 0]), 0, 2)).toEqual([
        { pos: 0, anchor: 1, wide: false },
        { pos: 0, anchor: 1, wide: true },
      ]);
      // Anchor index outranks form: a UTF-16LE hit of anchor 0 precedes an ASCII hit of anchor 1.
      expect(make(['AB', 'A\u0000B']).find(wide('AB'), 0, 4)).toEqual([
        { pos: 0, anchor: 0, wide: true },
        { pos: 0, anchor: 1, wide: false },
      ]);
    });

    it(`${name}: overlapping occurrences`, () => {
      expect(make(['aaaa']).find(ascii('aaaaaa'), 0, 6).map((h) => h.pos)).toEqual([0, 1, 2]);
      const hits = make(['aa', 'aaa']).find(wide('aaaa'), 0, 8);
      expect(hits).toEqual([
        { pos: 0, anchor: 0, wide: true },
        { pos: 0, anchor: 1, wide: true },
        { pos: 2, anchor: 0, wide: true },
        { pos: 2, anchor: 1, wide: true },
        { pos: 4, anchor: 0, wide: true },
      ]);
    });

    it(`${name}: range and buffer end`, () => {
      const finder = make(['AKIA']);
      const bytes = ascii('AKIAxAKIAxAKI');
      expect(finder.find(bytes, 0, 13).map((h) => h.pos)).toEqual([0, 5]);
      expect(finder.find(bytes, 1, 6).map((h) => h.pos)).toEqual([5]);
      expect(finder.find(bytes, 1, 5)).toEqual([]);
      expect(finder.find(bytes, -10, Infinity).map((h) => h.pos)).toEqual([0, 5]);
      expect(finder.find(bytes, 6, 2)).toEqual([]);
      expect(finder.find(bytes, 0.5, 5.5).map((h) => h.pos)).toEqual([5]);
      expect(() => finder.find(bytes, NaN, 5)).toThrow(RangeError);
      // Wide form missing only its final zero byte: cut off, not reported.
      expect(finder.find(wide('AKIA').subarray(0, 7), 0, 7)).toEqual([]);
      expect(finder.find(wide('AKIA'), 0, 8)).toEqual([{ pos: 0, anchor: 0, wide: true }]);
    });

    it(`${name}: rejects empty and non-ASCII anchors`, () => {
      expect(() => make(['ok', ''])).toThrow(/Anchor #1 is empty/);
      expect(() => make(['caf\u00e9'])).toThrow(/non-ASCII/);
      expect(() => make(['\u{1F511}'])).toThrow(/non-ASCII/);
    });
  }
});

describe('wasm kernel vs reference', () => {
  it('finds every realistic anchor in both forms at even and odd offsets, in noise and in zeros', () => {
    const f = pair(ANCHORS);
    const random = rng(1);
    for (const background of ['noise', 'zeros'] as const) {
      for (let a = 0; a < ANCHORS.length; a++) {
        for (const isWide of [false, true]) {
          for (const offset of [0, 1, 2, 3, 14, 15, 16, 17, 30, 31, 32, 33, 100, 101]) {
            const bytes = background === 'noise' ? noise(random, 300) : new Uint8Array(300);
            bytes.set(encode(ANCHORS[a], isWide), offset);
            const hits = expectSame(f, bytes, 0, bytes.length);
            expect(has(hits, offset, a, isWide)).toBe(true);
          }
        }
      }
    }
  });

  it('handles every placement across from, to and the buffer end, cut-off anchors included', () => {
    const f = pair(ANCHORS);
    const random = rng(2);
    const size = 90;
    const ranges: [number, number][] = [
      [0, size],
      [29, 53],
      [30, 31],
      [size - 5, size],
    ];
    for (let a = 0; a < ANCHORS.length; a++) {
      for (const isWide of [false, true]) {
        const needle = encode(ANCHORS[a], isWide);
        for (const zeros of [false, true]) {
          for (let q = -needle.length + 1; q < size; q++) {
            const bytes = zeros ? new Uint8Array(size) : noise(random, size);
            // A negative q leaves only the anchor's tail, at the buffer start.
            if (q < 0) bytes.set(needle.subarray(-q), 0);
            else bytes.set(needle.subarray(0, size - q), q);
            for (const [from, to] of ranges) {
              const hits = expectSame(f, bytes, from, to);
              const whole = q >= 0 && q + needle.length <= size;
              expect(has(hits, q, a, isWide)).toBe(whole && q >= from && q < to);
            }
          }
        }
      }
    }
  });

  it('agrees on seeded random buffers with planted anchors and random ranges', () => {
    const random = rng(3);
    const lists = [ANCHORS, ['a', 'ab', 'abc', 'b'], ['x'.repeat(70), 'xx', 'y', 'xyz'], ANCHORS.slice(0, 9)];
    for (let round = 0; round < 400; round++) {
      const anchors = lists[round % lists.length];
      const f = pair(anchors);
      const length = (random() * (round % 5 === 0 ? 5000 : 400)) | 0;
      const style = random();
      const bytes =
        style < 0.4 ? noise(random, length) : style < 0.8 ? lookalike(random, length, anchors) : new Uint8Array(length);
      const plants = (random() * 12) | 0;
      for (let i = 0; i < plants && length > 0; i++) {
        const needle = encode(anchors[(random() * anchors.length) | 0], random() < 0.5);
        // Deliberately allowed to overlap earlier plants and to run past the end (then truncated).
        const at = (random() * length) | 0;
        bytes.set(needle.subarray(0, length - at), at);
      }
      const from = ((random() * (length + 20)) | 0) - 10;
      const to = random() < 0.2 ? length : from + ((random() * (length + 20)) | 0) - 5;
      expectSame(f, bytes, from, to);
    }
  });

  it('agrees on every range of tiny buffers (0..40 bytes)', () => {
    const f = pair(ANCHORS);
    const short = pair(['eyJ', 'e', 'yJ', 'J']);
    const random = rng(4);
    for (let length = 0; length <= 40; length++) {
      for (let variant = 0; variant < 3; variant++) {
        const bytes = variant === 0 ? lookalike(random, length, ANCHORS) : noise(random, length);
        if (variant === 2 && length >= 6) bytes.set(wide('eyJ'), length - 6);
        for (let from = -1; from <= length + 1; from++) {
          for (let to = from; to <= length + 1; to++) {
            expectSame(f, bytes, from, to);
            expectSame(short, bytes, from, to);
          }
        }
      }
    }
  });

  it('finds an anchor ending exactly at the end of buffers whose length is not a multiple of 16', () => {
    const f = pair(ANCHORS);
    const random = rng(5);
    for (const length of [15, 16, 17, 31, 33, 47, 63, 65, 127, 129, 1023, 1025]) {
      for (const isWide of [false, true]) {
        const needle = encode('PRIVATE KEY-----', isWide);
        if (needle.length > length) continue;
        const bytes = noise(random, length);
        bytes.set(needle, length - needle.length);
        const hits = expectSame(f, bytes, 0, length);
        expect(has(hits, length - needle.length, 2, isWide)).toBe(true);
      }
    }
  });

  it('returns all hits when they far exceed the kernel output capacity', () => {
    const f = pair(['AKIA', 'KIA']);
    const bytes = ascii('AKIA'.repeat(50_000));
    const hits = expectSame(f, bytes, 0, bytes.length);
    expect(hits.length).toBe(100_000);

    // Three hits per position: a resume that split a position would lose or repeat hits.
    const runs = pair(['a', 'aa', 'aaa']);
    const as = new Uint8Array(20_000).fill(0x61);
    expect(expectSame(runs, as, 0, as.length).length).toBe(3 * 20_000 - 3);
    // "a\0a\0…" from byte 1: ASCII "a" at 9 999 even positions; wide "a", "aa", "aaa" at 9 999, 9 998, 9 997.
    const wideAs = wide('a'.repeat(10_000));
    expect(expectSame(runs, wideAs, 1, wideAs.length).length).toBe(9_999 + 9_999 + 9_998 + 9_997);
  });

  it('raw kernel: never writes more than cap hits and resumes exactly where it stopped', () => {
    const k = new WebAssembly.Instance(wasmModule, {}).exports as unknown as AnchorKernelExports;
    const anchors = ['a', 'aa', 'aaa'].map(ascii);
    const spec = k.alloc(12 + 6) >>> 0;
    new Uint32Array(k.memory.buffer, spec, 3).set(anchors.map((a) => a.length));
    new Uint8Array(k.memory.buffer, spec + 12, 6).set(ascii('aaaaaa'));
    k.setAnchors(spec, 3);
    // 7 slots: two positions with 3 hits fit, the third must wait for the next call.
    const cap = 7;
    const out = k.alloc((cap + 2) * 8) >>> 0;
    const length = 100;
    const input = k.alloc(length + (k.SCAN_SLACK.value as number)) >>> 0;
    new Uint8Array(k.memory.buffer, input, length).fill(0x61);
    const canary = new Uint8Array(k.memory.buffer, out + cap * 8, 16);
    const seen: number[] = [];
    let from = 0;
    while (from < length) {
      canary.fill(0xab);
      const count = k.scan(input, length, from, length, out, cap) >>> 0;
      expect(count).toBeLessThanOrEqual(cap);
      expect([...canary].every((b) => b === 0xab)).toBe(true);
      const raw = new Uint32Array(k.memory.buffer, out, count * 2);
      for (let i = 0; i < raw.length; i += 2) seen.push(raw[i]);
      const next = k.stoppedAt() >>> 0;
      expect(next).toBeGreaterThan(from);
      if (next < length) expect(next).toBe(raw[raw.length - 2] + 1);
      from = next;
    }
    const expected = Array.from({ length }, (_, pos) => Array(Math.min(3, length - pos)).fill(pos)).flat();
    expect(seen).toEqual(expected);
  });

  it('keeps one finder correct across calls that grow and shrink its input buffer', () => {
    // Few anchors: the reference's cost grows with their number, and this test is about buffers.
    const f = pair(['-----BEGIN ', 'ghp_', 'eyJ']);
    const random = rng(6);
    for (const length of [100, 3 << 20, 80, 20 << 20, 70, 5 << 20]) {
      const bytes = noise(random, length);
      const at = length - 40;
      bytes.set(wide('-----BEGIN '), at - 30);
      bytes.set(ascii('ghp_'), at);
      bytes.set(ascii('eyJ'), length - 3);
      const hits = expectSame(f, bytes, 0, length);
      expect(has(hits, at - 30, 0, true) && has(hits, at, 1, false) && has(hits, length - 3, 2, false)).toBe(true);
    }
  });

  it('handles duplicate anchors, many anchors and an empty list', () => {
    const random = rng(7);
    const many = Array.from({ length: 150 }, (_, i) => {
      let s = '';
      const len = 1 + ((random() * (i % 3 === 0 ? 6 : 30)) | 0);
      for (let k = 0; k < len; k++) s += String.fromCharCode(33 + ((random() * 94) | 0));
      return s;
    });
    const lists = [['ABC', 'ABC', 'AB'], many, []];
    for (const anchors of lists) {
      const f = pair(anchors);
      for (let round = 0; round < 20; round++) {
        const bytes = lookalike(random, 2000, anchors.length ? anchors : ['x']);
        for (let i = 0; i < 10 && anchors.length; i++) {
          const needle = encode(anchors[(random() * anchors.length) | 0], random() < 0.5);
          bytes.set(needle, (random() * (bytes.length - needle.length)) | 0);
        }
        expectSame(f, bytes, 0, bytes.length);
      }
    }
  });
});

describe('byte-string (raw) anchors', () => {
  const raw = (bytes: number[]): AnchorSpec => ({ bytes: String.fromCharCode(...bytes), textForms: false });
  const RAW: AnchorSpec[] = [
    raw([0x02, 0x01, 0x00, 0x02]),
    raw([0x52, 0x53, 0x41, 0x32]),
    raw([0xfe, 0xed, 0xfe, 0xed]),
    raw([0x30, 0x82]),
    raw([0x00, 0x00, 0xff]),
    '-----BEGIN ',
    'RSA2',
  ];

  it('finds byte strings with high and zero bytes as they are, and never as UTF-16LE', () => {
    const f = pair(RAW);
    const bytes = new Uint8Array(200);
    bytes.set([0x02, 0x01, 0x00, 0x02], 11);
    bytes.set([0xfe, 0xed, 0xfe, 0xed], 51);
    bytes.set(wide('RSA2'), 91); // wide form of a raw anchor: no hit; of the text anchor 'RSA2': a hit
    bytes.set([0x00, 0x00, 0xff], 150);
    const hits = expectSame(f, bytes, 0, bytes.length);
    expect(has(hits, 11, 0, false)).toBe(true);
    expect(has(hits, 51, 2, false)).toBe(true);
    expect(has(hits, 150, 4, false)).toBe(true);
    expect(has(hits, 91, 6, true)).toBe(true);
    expect(hits.some((h) => h.anchor === 1)).toBe(false);
    expect(hits.every((h) => !h.wide || h.anchor >= 5)).toBe(true);
  });

  it('agrees with the reference on noise planted with raw and text anchors', () => {
    const random = rng(11);
    const f = pair(RAW);
    for (let round = 0; round < 200; round++) {
      const bytes = noise(random, 300 + ((random() * 3000) | 0));
      for (let i = 0; i < 10; i++) {
        const spec = RAW[(random() * RAW.length) | 0]!;
        const text = typeof spec === 'string' ? spec : spec.bytes;
        const needle = typeof spec === 'string' && random() < 0.5 ? wide(text) : ascii(text);
        const at = (random() * bytes.length) | 0;
        bytes.set(needle.subarray(0, bytes.length - at), at);
      }
      expectSame(f, bytes, (random() * 20) | 0, bytes.length - ((random() * 20) | 0));
    }
  });

  it('rejects a raw anchor with a char above 0xFF', () => {
    expect(() => createReferenceAnchorFinder([{ bytes: '\u0100', textForms: false }])).toThrow(/above 0xFF/);
    expect(() => createWasmAnchorFinder(wasmModule, [{ bytes: '\u0100', textForms: false }])).toThrow(/above 0xFF/);
  });
});
