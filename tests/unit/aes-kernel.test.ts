/**
 * The AES schedule kernel (src/wasm/aes-schedule.as.ts) against the plain-TS reference search, and
 * the reference's key expansion against node:crypto's AES.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  expandKey,
  findAesSchedulesReference,
  keyFromSchedule,
  roundsFor,
  scheduleBytes,
} from '../../src/engine/crypto/aes-key-schedule.ts';
import { createWasmAesScheduleFinder, type AesScheduleFinder } from '../../src/wasm/aes-schedule-finder.ts';
import { FILLERS, VARIANTS, filler, plant } from '../fixtures/aes-schedules.ts';
import { rng } from '../fixtures/random.ts';

let finder: AesScheduleFinder;

beforeAll(async () => {
  const module = await WebAssembly.compile(await readFile(new URL('../../src/wasm/core.wasm', import.meta.url)));
  finder = createWasmAesScheduleFinder(module);
});

/** One AES block encryption from a FIPS schedule, written from FIPS-197 §5.1 (test-only, independent of the module). */
function encryptBlock(schedule: Uint8Array, block: Uint8Array): Uint8Array {
  const sbox = sboxFromSchedule();
  const xt = (b: number) => ((b << 1) ^ (b & 0x80 ? 0x11b : 0)) & 0xff;
  const nr = schedule.length / 16 - 1;
  let s = block.map((b, i) => b ^ schedule[i]!);
  for (let r = 1; r <= nr; r++) {
    const sub = s.map((b) => sbox[b]!);
    // ShiftRows: row i (bytes i, i+4, i+8, i+12) rotates left by i columns.
    const shifted = sub.map((_, k) => sub[(k + 4 * (k % 4)) % 16]!);
    s = shifted;
    if (r < nr) {
      s = new Uint8Array(16);
      for (let c = 0; c < 16; c += 4) {
        const [a0, a1, a2, a3] = [shifted[c]!, shifted[c + 1]!, shifted[c + 2]!, shifted[c + 3]!];
        s[c] = xt(a0) ^ xt(a1) ^ a1 ^ a2 ^ a3;
        s[c + 1] = a0 ^ xt(a1) ^ xt(a2) ^ a2 ^ a3;
        s[c + 2] = a0 ^ a1 ^ xt(a2) ^ xt(a3) ^ a3;
        s[c + 3] = xt(a0) ^ a0 ^ a1 ^ a2 ^ xt(a3);
      }
    }
    s = s.map((b, i) => b ^ schedule[16 * r + i]!);
  }
  return s;
}

/**
 * The S-box as the schedule itself reveals it: for AES-128, w4 = w0 ^ SubWord(RotWord(w3)) ^ Rcon, so
 * expanding keys whose w0 is zero and whose w3 = x,x,x,x reads S(x) off w4's bytes 1..3.
 */
function sboxFromSchedule(): Uint8Array {
  const box = new Uint8Array(256);
  for (let x = 0; x < 256; x++) {
    const key = new Uint8Array(16);
    key.fill(x, 12);
    box[x] = expandKey(key)[17]!;
  }
  return box;
}

describe('reference key expansion', () => {
  for (const bytes of [16, 24, 32]) {
    it(`AES-${bytes * 8}: a block encrypted with our schedule matches node:crypto`, () => {
      for (let trial = 0; trial < 5; trial++) {
        const key = randomBytes(bytes);
        const block = randomBytes(16);
        const cipher = createCipheriv(`aes-${bytes * 8}-ecb`, key, null).setAutoPadding(false);
        const expected = Buffer.concat([cipher.update(block), cipher.final()]);
        const schedule = expandKey(key);
        expect(schedule.length).toBe(16 * (roundsFor(bytes) + 1));
        expect(Buffer.from(encryptBlock(schedule, block))).toEqual(expected);
      }
    });
  }

  it('reads the key back from every layout', () => {
    for (const { variant, name } of VARIANTS) {
      const key = randomBytes(variant.keyBytes);
      expect(Buffer.from(keyFromSchedule(scheduleBytes(key, variant), 0, variant)), name).toEqual(key);
    }
  });

  it('decrypt layouts end with the key (AES-128: the whole key) and differ from the forward one', () => {
    const key = randomBytes(16);
    const [forward, decrypt] = [VARIANTS[0]!.variant, VARIANTS[2]!.variant];
    expect(Buffer.from(scheduleBytes(key, decrypt).subarray(160))).toEqual(key);
    expect(Buffer.from(scheduleBytes(key, forward).subarray(0, 16))).toEqual(key);
    expect(Buffer.from(scheduleBytes(key, decrypt).subarray(0, 16))).toEqual(Buffer.from(expandKey(key).subarray(160)));
  });
});

describe('AES schedule kernel', () => {
  for (const kind of FILLERS) {
    it(`finds all 18 variants at every offset mod 16 in ${kind} filler, exactly`, () => {
      const random = rng(0xae5 + kind.length);
      for (const { index, name } of VARIANTS) {
        for (let shift = 0; shift < 16; shift++) {
          const bytes = filler(kind, 700, random);
          const p = plant(bytes, 200 + shift, index);
          const hits = finder.find(bytes, 0, bytes.length);
          expect(hits, `${name} at ${p.offset}`).toEqual([{ pos: p.offset, variants: 1 << index }]);
        }
      }
    });
  }

  it('agrees with the reference on seeded random buffers with planted schedules', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const random = rng(seed);
      const kind = FILLERS[seed % FILLERS.length]!;
      const bytes = filler(kind, 1200, random);
      for (let n = 0; n < 3; n++) {
        plant(bytes, (random() * (bytes.length - 240)) | 0, (random() * VARIANTS.length) | 0);
      }
      const from = (random() * 64) | 0;
      const to = bytes.length - ((random() * 200) | 0);
      expect(finder.find(bytes, from, to), `seed ${seed} (${kind})`).toEqual(findAesSchedulesReference(bytes, from, to));
    }
  });

  it('finds nothing after any single bit flip of a schedule', () => {
    const random = rng(77);
    for (const { index, name } of VARIANTS) {
      const bytes = filler('random', 400, random);
      const p = plant(bytes, 100, index);
      for (let trial = 0; trial < 24; trial++) {
        const bit = (random() * p.length * 8) | 0;
        bytes[p.offset + (bit >> 3)]! ^= 1 << (bit & 7);
        expect(finder.find(bytes, 0, bytes.length), `${name}, bit ${bit}`).toEqual([]);
        bytes[p.offset + (bit >> 3)]! ^= 1 << (bit & 7);
      }
      expect(finder.find(bytes, 0, bytes.length)).toHaveLength(1);
    }
  });

  it('finds nothing when the schedule is cut short by the end of the buffer', () => {
    for (const { index, name } of VARIANTS) {
      const bytes = filler('random', 600, rng(index));
      const p = plant(bytes, 300, index);
      const cut = bytes.subarray(0, p.offset + p.length - 1);
      expect(finder.find(cut, 0, cut.length), name).toEqual([]);
      expect(finder.find(bytes.subarray(0, p.offset + p.length), 0, p.offset + p.length), name).toHaveLength(1);
    }
  });

  it('reports a schedule starting in [from, to) even when it runs past `to`, and none starting outside', () => {
    const bytes = filler('pointers', 1200, rng(5));
    const p = plant(bytes, 500, 13);
    expect(finder.find(bytes, p.offset, p.offset + 1)).toEqual([{ pos: p.offset, variants: 1 << 13 }]);
    expect(finder.find(bytes, p.offset + 1, bytes.length)).toEqual([]);
    expect(finder.find(bytes, 0, p.offset)).toEqual([]);
  });

  it('finds back-to-back and overlapping-window schedules in one buffer', () => {
    const bytes = filler('zeros', 2000, rng(9));
    const a = plant(bytes, 3, 0);
    const b = plant(bytes, a.offset + a.length, 5);
    const c = plant(bytes, b.offset + b.length + 1, 16);
    expect(finder.find(bytes, 0, bytes.length)).toEqual([a, b, c].map((p) => ({ pos: p.offset, variants: 1 << p.index })));
  });
});
