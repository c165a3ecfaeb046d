/**
 * AES key expansion (FIPS-197 §5.2) and the layouts libraries keep an expanded schedule in
 * (detectors.md S15, §1.1, §6.3), in plain TS: textbook and slow, for the detector to read a found
 * schedule's key back, and for the tests to build schedules and hold the WASM kernel
 * (src/wasm/aes-schedule.as.ts) to a reference search.
 */

export type AesLayout = 'forward' | 'decrypt' | 'decrypt-unreversed';
export type AesWordOrder = 'fips' | 'wordswap';

/**
 * One way a schedule is stored.
 * - `forward`: round keys 0..Nr in order (FIPS-197, AES-NI encryption keys).
 * - `decrypt`: the equivalent inverse cipher's schedule: round keys Nr..0, InvMixColumns applied to
 *   rounds 1..Nr-1 (OpenSSL AES_set_decrypt_key, AES-NI aesimc).
 * - `decrypt-unreversed`: the same transformed round keys left in forward order.
 * - `wordswap`: every 32-bit word byte-swapped (OpenSSL's generic C AES_KEY: words loaded big-endian,
 *   stored native on a little-endian host).
 */
export interface AesScheduleVariant {
  keyBytes: 16 | 24 | 32;
  layout: AesLayout;
  order: AesWordOrder;
}

const SIZES = [16, 24, 32] as const;
const LAYOUTS: readonly AesLayout[] = ['forward', 'decrypt', 'decrypt-unreversed'];
const ORDERS: readonly AesWordOrder[] = ['fips', 'wordswap'];

/** Every variant, indexed like the kernel's variant bits: ((size * 3) + layout) * 2 + order. */
export const AES_SCHEDULE_VARIANTS: readonly AesScheduleVariant[] = SIZES.flatMap((keyBytes) =>
  LAYOUTS.flatMap((layout) => ORDERS.map((order) => ({ keyBytes, layout, order }))),
);

/** e.g. `aes256-fips`, `aes128-decrypt-wordswap`, `aes192-decrypt-unreversed-fips`. */
export function variantEncoding(v: AesScheduleVariant): string {
  const layout = v.layout === 'forward' ? '' : `-${v.layout}`;
  return `aes${v.keyBytes * 8}${layout}-${v.order}`;
}

export const roundsFor = (keyBytes: number): number => keyBytes / 4 + 6;

/** Schedule length in bytes: 176, 208 or 240. */
export const scheduleLength = (keyBytes: number): number => 16 * (roundsFor(keyBytes) + 1);

function gmul(a: number, b: number): number {
  let product = 0;
  for (; b > 0; b >>= 1) {
    if (b & 1) product ^= a;
    a = (a << 1) ^ (a & 0x80 ? 0x11b : 0);
  }
  return product;
}

/** The S-box from its definition: multiplicative inverse in GF(2^8) (0 for 0), then the affine map. */
const SBOX: Uint8Array = (() => {
  const box = new Uint8Array(256);
  for (let x = 0; x < 256; x++) {
    let inverse = 0;
    for (let y = 1; y < 256 && x !== 0; y++) {
      if (gmul(x, y) === 1) {
        inverse = y;
        break;
      }
    }
    let s = inverse;
    for (let k = 1; k <= 4; k++) s ^= ((inverse << k) | (inverse >> (8 - k))) & 0xff;
    box[x] = s ^ 0x63;
  }
  return box;
})();

/** FIPS-197 KeyExpansion: 4·(Nr+1) words as 16·(Nr+1) bytes in FIPS byte order. */
export function expandKey(key: Uint8Array): Uint8Array {
  const nk = key.length / 4;
  if (!SIZES.includes(key.length as 16)) throw new RangeError(`AES key must be 16, 24 or 32 bytes, not ${key.length}`);
  const w = new Uint8Array(scheduleLength(key.length));
  w.set(key);
  let rcon = 1;
  const t = new Uint8Array(4);
  for (let i = nk; i < w.length / 4; i++) {
    t.set(w.subarray(4 * (i - 1), 4 * i));
    if (i % nk === 0) {
      const first = t[0]!;
      t[0] = SBOX[t[1]!]! ^ rcon;
      t[1] = SBOX[t[2]!]!;
      t[2] = SBOX[t[3]!]!;
      t[3] = SBOX[first]!;
      rcon = gmul(rcon, 2);
    } else if (nk > 6 && i % nk === 4) {
      for (let j = 0; j < 4; j++) t[j] = SBOX[t[j]!]!;
    }
    for (let j = 0; j < 4; j++) w[4 * i + j] = w[4 * (i - nk) + j]! ^ t[j]!;
  }
  return w;
}

/** Multiplication by each constant of a (Inv)MixColumns row, as a table (the search calls it a lot). */
const mulTable = (c: number) => Uint8Array.from({ length: 256 }, (_, x) => gmul(x, c));
const MIX = [2, 3, 1, 1].map(mulTable);
const INV_MIX = [14, 11, 13, 9].map(mulTable);

/** (Inv)MixColumns of each 4-byte column of `block`; `row` is the matrix's first row (rotated for the others). */
function mixColumns(block: Uint8Array, row: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(block.length);
  for (let c = 0; c < block.length; c += 4) {
    for (let i = 0; i < 4; i++) {
      let v = 0;
      for (let k = 0; k < 4; k++) v ^= row[k]![block[c + ((i + k) % 4)]!]!;
      out[c + i] = v;
    }
  }
  return out;
}

function swapWords(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 4) for (let k = 0; k < 4; k++) out[i + k] = bytes[i + 3 - k]!;
  return out;
}

/** Round key r of a FIPS schedule. */
const roundKey = (schedule: Uint8Array, r: number) => schedule.subarray(16 * r, 16 * r + 16);

/** The schedule of `key` as it is stored in layout `v` (v.keyBytes must be key.length). */
export function scheduleBytes(key: Uint8Array, v: AesScheduleVariant): Uint8Array {
  if (key.length !== v.keyBytes) throw new RangeError(`${variantEncoding(v)} needs a ${v.keyBytes}-byte key`);
  const fips = expandKey(key);
  const nr = roundsFor(key.length);
  const out = new Uint8Array(fips.length);
  for (let r = 0; r <= nr; r++) {
    const middle = r > 0 && r < nr;
    const block = v.layout !== 'forward' && middle ? mixColumns(roundKey(fips, r), INV_MIX) : roundKey(fips, r);
    out.set(block, 16 * (v.layout === 'decrypt' ? nr - r : r));
  }
  return v.order === 'wordswap' ? swapWords(out) : out;
}

/**
 * The key a schedule stored at bytes[at..] in layout `v` would have been expanded from, read from
 * where that layout keeps round keys 0 and 1 (undoing the swap, the reversal and InvMixColumns).
 * It says nothing about whether the rest matches: compare scheduleBytes(key, v) for that.
 */
export function keyFromSchedule(bytes: Uint8Array, at: number, v: AesScheduleVariant): Uint8Array {
  const nr = roundsFor(v.keyBytes);
  const stored = (r: number) => {
    const start = at + 16 * (v.layout === 'decrypt' ? nr - r : r);
    const block = bytes.subarray(start, start + 16);
    return v.order === 'wordswap' ? swapWords(block) : Uint8Array.from(block);
  };
  const key = new Uint8Array(v.keyBytes);
  key.set(stored(0));
  if (v.keyBytes > 16) {
    const second = v.layout === 'forward' ? stored(1) : mixColumns(stored(1), MIX);
    key.set(second.subarray(0, v.keyBytes - 16), 16);
  }
  return key;
}

/** Where schedules start and which variants (bit i = AES_SCHEDULE_VARIANTS[i]) each position holds. */
export interface AesScheduleHit {
  pos: number;
  variants: number;
}

/**
 * The reference search: at every position in [from, to), for every variant, read the key back,
 * expand it and compare the whole stored schedule, which must end by bytes.length. Slow (a few
 * KB/s), obviously right: the kernel is held to it.
 */
export function findAesSchedulesReference(bytes: Uint8Array, from = 0, to = bytes.length): AesScheduleHit[] {
  const hits: AesScheduleHit[] = [];
  for (let pos = Math.max(0, from); pos < Math.min(to, bytes.length); pos++) {
    let variants = 0;
    AES_SCHEDULE_VARIANTS.forEach((v, i) => {
      const length = scheduleLength(v.keyBytes);
      if (pos + length > bytes.length) return;
      const expected = scheduleBytes(keyFromSchedule(bytes, pos, v), v);
      let k = 0;
      while (k < length && expected[k] === bytes[pos + k]) k++;
      if (k === length) variants |= 1 << i;
    });
    if (variants) hits.push({ pos, variants });
  }
  return hits;
}
