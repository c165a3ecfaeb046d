/**
 * Well-known high-entropy tables that every crypto library's data holds (detectors.md §5.3.5):
 * an entropy island that overlaps one is a constant, not a key. The tables are computed from their
 * definitions, not pasted: the AES S-box from GF(2^8) inverses, SHA-2 constants from roots of
 * primes, the CRC-32 table from its polynomial, MODP/FFDHE primes from digits of π and e.
 */
import { bigToBE } from '../crypto/bigint.ts';
import { EC_CURVES } from '../crypto/curves.ts';

/** Length of the substrings compared: a random island shares one with a table with odds ~2^-50. */
const GRAM = 8;
/** Leading T-table entries kept: enough to recognise a table, a fraction of its size. */
const T_TABLE_ENTRIES = 32;

/** Multiplication in GF(2^8) modulo the AES polynomial x^8 + x^4 + x^3 + x + 1. */
function gfMul(a: number, b: number): number {
  let product = 0;
  for (; b; b >>= 1) {
    if (b & 1) product ^= a;
    a = (a << 1) ^ (a & 0x80 ? 0x11b : 0);
  }
  return product;
}

/** FIPS-197 §5.1.1: multiplicative inverse, then the affine transform. */
export function aesSbox(): Uint8Array {
  const box = new Uint8Array(256);
  for (let x = 0; x < 256; x++) {
    let inverse = 0;
    for (let y = 1; y < 256 && x !== 0; y++) if (gfMul(x, y) === 1) inverse = y;
    let s = inverse;
    for (let k = 1; k <= 4; k++) s ^= ((inverse << k) | (inverse >> (8 - k))) & 0xff;
    box[x] = s ^ 0x63;
  }
  return box;
}

function inverse(box: Uint8Array): Uint8Array {
  const inv = new Uint8Array(256);
  box.forEach((s, x) => (inv[s] = x));
  return inv;
}

/** The four rotations of a T-table whose entry for x is the column `column(x)`, leading entries only. */
function tTables(column: (x: number) => number[]): Uint8Array[] {
  const tables: Uint8Array[] = [];
  for (let rotation = 0; rotation < 4; rotation++) {
    const bytes: number[] = [];
    for (let x = 0; x < T_TABLE_ENTRIES; x++) {
      const c = column(x);
      for (let k = 0; k < 4; k++) bytes.push(c[(k + 4 - rotation) % 4]!);
    }
    tables.push(Uint8Array.from(bytes));
  }
  return tables;
}

function firstPrimes(count: number): bigint[] {
  const primes: bigint[] = [];
  for (let n = 2n; primes.length < count; n++) if (primes.every((p) => n % p !== 0n)) primes.push(n);
  return primes;
}

/** floor(v^(1/k)) by Newton's method. */
function integerRoot(v: bigint, k: bigint): bigint {
  let x = 1n << BigInt(Math.ceil(v.toString(2).length / Number(k)) + 1);
  for (;;) {
    const next = ((k - 1n) * x + v / x ** (k - 1n)) / k;
    if (next >= x) return x;
    x = next;
  }
}

/** FIPS 180-4 §4.2/§5.3: the fractional bits of the k-th roots of the first primes, as words. */
function rootWords(count: number, k: bigint, bits: bigint): bigint[] {
  return firstPrimes(count).map((p) => integerRoot(p << (k * bits), k) & ((1n << bits) - 1n));
}

/** ⌊2^bits · x⌋ for x = 16·atan(1/5) − 4·atan(1/239) (π, Machin) or Σ 1/k! (e). */
function piBits(bits: bigint): bigint {
  const guard = 64n;
  const one = 1n << (bits + guard);
  const atanInv = (n: bigint): bigint => {
    let sum = 0n;
    let term = one / n;
    for (let k = 1n; term !== 0n; k += 2n, term /= n * n) sum += (((k - 1n) / 2n) % 2n === 0n ? term : -term) / k;
    return sum;
  };
  return (16n * atanInv(5n) - 4n * atanInv(239n)) >> guard;
}

function eBits(bits: bigint): bigint {
  const guard = 64n;
  let sum = 0n;
  for (let term = 1n << (bits + guard), k = 1n; term !== 0n; term /= k, k++) sum += term;
  return sum >> guard;
}

/** RFC 3526 §3 (2048-bit MODP group 14) and RFC 7919 §A.1 (ffdhe2048). */
export const modp2048 = (): bigint => 2n ** 2048n - 2n ** 1984n - 1n + 2n ** 64n * (piBits(1918n) + 124476n);
export const ffdhe2048 = (): bigint => 2n ** 2048n - 2n ** 1984n - 1n + 2n ** 64n * (eBits(1918n) + 560316n);

function crc32Table(): number[] {
  return Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
}

/** Words as bytes, big-endian and little-endian (tables sit in memory in either order). */
function wordForms(words: readonly bigint[], bytes: number): Uint8Array[] {
  const be = Uint8Array.from(words.flatMap((w) => [...bigToBE(w, bytes)]));
  const le = Uint8Array.from(words.flatMap((w) => [...bigToBE(w, bytes)].reverse()));
  return [be, le];
}

/** A number's big-endian bytes and their reverse (a little-endian bignum's limbs). */
const numberForms = (v: bigint): Uint8Array[] => {
  const be = bigToBE(v);
  return [be, be.slice().reverse()];
};

export function knownTables(): Uint8Array[] {
  const sbox = aesSbox();
  const invSbox = inverse(sbox);
  const tables: Uint8Array[] = [
    sbox,
    invSbox,
    ...tTables((x) => [gfMul(sbox[x]!, 2), sbox[x]!, sbox[x]!, gfMul(sbox[x]!, 3)]),
    ...tTables((x) => [gfMul(sbox[x]!, 3), sbox[x]!, sbox[x]!, gfMul(sbox[x]!, 2)]),
    ...tTables((x) => [14, 9, 13, 11].map((m) => gfMul(invSbox[x]!, m))),
    ...tTables((x) => [11, 13, 9, 14].map((m) => gfMul(invSbox[x]!, m))),
    ...wordForms(rootWords(64, 3n, 32n), 4),
    ...wordForms(rootWords(8, 2n, 32n), 4),
    ...wordForms(rootWords(80, 3n, 64n), 8),
    ...wordForms(rootWords(8, 2n, 64n), 8),
    ...wordForms(crc32Table().map(BigInt), 4),
    ...numberForms(modp2048()),
    ...numberForms(ffdhe2048()),
  ];
  for (const curve of EC_CURVES) {
    for (const v of [curve.prime, curve.order, curve.gx, curve.gy]) tables.push(...numberForms(v));
  }
  return tables;
}

const latin1 = (bytes: Uint8Array, from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));

/** Tells whether a byte range shares any GRAM-byte substring with a known table. */
export function createKnownConstantFilter(tables: readonly Uint8Array[] = knownTables()): {
  overlaps(bytes: Uint8Array, from: number, to: number): boolean;
} {
  const grams = new Set<string>();
  for (const t of tables) for (let i = 0; i + GRAM <= t.length; i++) grams.add(latin1(t, i, i + GRAM));
  return {
    overlaps(bytes, from, to) {
      for (let i = from; i + GRAM <= to; i++) if (grams.has(latin1(bytes, i, i + GRAM))) return true;
      return false;
    },
  };
}
