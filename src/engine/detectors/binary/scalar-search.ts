/**
 * The search for a private key near its public key, when nothing but maths marks the private value
 * (detectors.md §4.3 "Extensions", S19): OpenSSL keeps an EC scalar only as BIGNUM limbs and an
 * Ed25519 seed as 32 bare bytes, while the public key sits in a certificate nearby. Every plausible
 * value in the neighbourhood is turned into a public key; one that equals the known public key is
 * proven.
 *
 * Candidates lie within SEARCH_RADIUS of the public structure, inside the reach of the anchor, never
 * overlapping the structure itself or a public DER structure (public-der.ts: certificates, public
 * keys, signatures: most of the random-looking bytes near a CA bundle). Each scheme names its layouts
 * (byte order and the file-offset alignment it is searched at); a candidate must pass the
 * distinct-byte gate for its size (detectors.md §5.2), which keeps zeros, text and code out, and hold
 * no two consecutive zero bytes, which keeps pointers and lengths out. Order: values immediately
 * followed by a copy of the public key first (the seed ‖ public layout), then by distance from the
 * structure, nearest first.
 *
 * Cost: one derivation (an EC scalar multiplication, an Ed25519 key derivation: 0.1–0.5 ms each on
 * an idle core) per distinct candidate value. Derived values are remembered per window by value, so a
 * value stored twice, or seen from two public keys (the certificates of a CA bundle lie side by side),
 * costs one derivation. Three limits bound the rest:
 * - MAX_CANDIDATES_PER_KEY: a public key tries at most its nearest candidates that passed the gate;
 *   a private value further than that is not found.
 * - GUARANTEED_DERIVATIONS_PER_KEY: derivations every public key may make, whatever the window spent.
 *   Within them the result depends on the file alone, not on how it was cut into chunks.
 * - MAX_DERIVATIONS_PER_WINDOW: past its guaranteed share, a public key derives only while the
 *   window's total stays below this. Near a CA bundle of EC roots (whose private keys are never
 *   there) this bounds the time a window spends; a private value that only this budget would have
 *   reached may be found or not depending on the other public keys in the window.
 */
import { toHex } from '../../crypto/bigint.ts';
import { minDistinct } from '../../crypto/entropy.ts';
import type { ScanWindow } from '../../window.ts';
import { publicDerRanges } from './public-der.ts';
import type { Reach } from './reach.ts';

/** Bytes searched on each side of the public structure. */
export const SEARCH_RADIUS = 64 * 1024;
export const MAX_CANDIDATES_PER_KEY = 512;
export const GUARANTEED_DERIVATIONS_PER_KEY = 128;
export const MAX_DERIVATIONS_PER_WINDOW = 1000;
/** How far before the neighbourhood a public structure reaching into it may start. */
const PUBLIC_DER_LOOKBACK = 16 * 1024;

export interface SearchLimits {
  candidatesPerKey: number;
  guaranteedPerKey: number;
  derivationsPerWindow: number;
}

const DEFAULT_LIMITS: SearchLimits = {
  candidatesPerKey: MAX_CANDIDATES_PER_KEY,
  guaranteedPerKey: GUARANTEED_DERIVATIONS_PER_KEY,
  derivationsPerWindow: MAX_DERIVATIONS_PER_WINDOW,
};

/** How a private value may be stored: byte order, and the file-offset alignment it is searched at. */
export interface Layout {
  encoding: 'bignum-le' | 'bignum-be' | 'raw';
  littleEndian: boolean;
  alignment: 4 | 8;
}

/**
 * A kind of key pair: how a private value of `size` bytes turns into its public key (`Derived`, in
 * whatever form compares cheapest with a `Target`, the public key read at the anchor).
 */
export interface KeyScheme<Derived = unknown, Target = unknown> {
  /** Names the derived values remembered per window (a curve name, `ed25519`). */
  id: string;
  size: number;
  layouts: readonly Layout[];
  /** True if private values are also kept immediately followed by the public key (seed ‖ public). */
  seedBeforePublic: boolean;
  /**
   * The public key of the value in bytes[at, at + size) read in the given byte order, or null when
   * the value is not a valid private key (a scalar of zero or not below the order). Called only for
   * candidates that passed the cheap checks, at most once per value and scheme in a window.
   */
  derive(bytes: Uint8Array, at: number, littleEndian: boolean): Derived | null;
  /** Cheap rejection before `derive`: false if the value cannot be a private key. */
  plausible(bytes: Uint8Array, at: number, littleEndian: boolean): boolean;
  /** True if a derived public key is the target. */
  same(derived: Derived, target: Target): boolean;
}

/** A public key found in the window. */
export interface PublicKeyAt<Derived = unknown, Target = unknown> {
  scheme: KeyScheme<Derived, Target>;
  target: Target;
  /** The public key's bytes as stored (a copy right after a seed proves the seed ‖ public layout). */
  key: Uint8Array;
  /** Window indices of the structure holding it: no candidate overlaps [start, end). */
  start: number;
  end: number;
}

export interface PrivateKeyAt {
  /** Window indices of the private value. */
  start: number;
  end: number;
  layout: Layout;
}

interface WindowMemo {
  derivations: number;
  /** Per scheme: the public key derived from a value (keyed by its hex, most significant first), null for none. */
  derived: Map<string, Map<string, unknown>>;
}

const memos = new WeakMap<ScanWindow, WindowMemo>();

function memoOf(win: ScanWindow): WindowMemo {
  let memo = memos.get(win);
  if (!memo) memos.set(win, (memo = { derivations: 0, derived: new Map() }));
  return memo;
}

/**
 * For each index at in [lo, hi − size] with (base + at) % 4 == 0, in order: whether bytes[at, at + size)
 * has enough distinct values (a running count while the window slides by 4 bytes), holds no two
 * consecutive zero bytes (lengths, pointers and padding do; a random key only once in about 2000
 * cases) and overlaps none of the `excluded` ranges.
 */
function gate(
  bytes: Uint8Array,
  lo: number,
  hi: number,
  base: number,
  size: number,
  excluded: readonly [number, number][],
): { first: number; pass: Uint8Array } {
  const first = lo + ((4 - ((base + lo) % 4)) % 4);
  const count = Math.max(0, Math.floor((hi - size - first) / 4) + 1);
  const pass = new Uint8Array(count);
  if (count === 0) return { first, pass };
  const need = minDistinct(size);
  const seen = new Uint16Array(256);
  let distinct = 0;
  const add = (b: number) => {
    if (seen[b]!++ === 0) distinct++;
  };
  const remove = (b: number) => {
    if (--seen[b]! === 0) distinct--;
  };
  // zeroPairsBefore[i]: pairs of zero bytes starting in [first, first + i).
  const span = 4 * (count - 1) + size;
  const zeroPairsBefore = new Int32Array(span);
  for (let i = 1; i < span; i++) {
    const j = first + i - 1;
    zeroPairsBefore[i] = zeroPairsBefore[i - 1]! + (bytes[j] === 0 && bytes[j + 1] === 0 ? 1 : 0);
  }
  for (let i = first; i < first + size; i++) add(bytes[i]!);
  for (let k = 0; ; k++) {
    const zeroPairs = zeroPairsBefore[4 * k + size - 1]! - zeroPairsBefore[4 * k]!;
    pass[k] = distinct >= need && zeroPairs === 0 ? 1 : 0;
    if (k + 1 === count) break;
    const at = first + 4 * k;
    for (let i = 0; i < 4; i++) {
      remove(bytes[at + i]!);
      add(bytes[at + size + i]!);
    }
  }
  for (const [start, end] of excluded) {
    const from = Math.max(0, Math.ceil((start - size + 1 - first) / 4));
    const to = Math.min(count, Math.ceil((end - first) / 4));
    pass.fill(0, from, to);
  }
  return { first, pass };
}

/**
 * Starts of candidates in [lo, hi − size] at 4-aligned file offsets that pass the gate, overlap no
 * `excluded` range and not [avoidStart, avoidEnd), nearest to that range first (ties: the one before it).
 */
function* nearestFirst(
  bytes: Uint8Array,
  lo: number,
  hi: number,
  base: number,
  size: number,
  avoid: { start: number; end: number },
  excluded: readonly [number, number][],
): Generator<number> {
  const { start: avoidStart, end: avoidEnd } = avoid;
  const { first, pass } = gate(bytes, lo, hi, base, size, excluded);
  const indexOf = (at: number) => (at - first) / 4;
  // Before: candidates ending at or before avoidStart, walking down; after: starting at or after avoidEnd, walking up.
  let before = Math.floor((avoidStart - size - first) / 4);
  let after = Math.ceil((avoidEnd - first) / 4);
  before = Math.min(before, pass.length - 1);
  after = Math.max(after, 0);
  while (before >= 0 || after < pass.length) {
    const beforeAt = before >= 0 ? first + 4 * before : -1;
    const afterAt = after < pass.length ? first + 4 * after : -1;
    const takeBefore = beforeAt >= 0 && (afterAt < 0 || avoidStart - (beforeAt + size) <= afterAt - avoidEnd);
    const at = takeBefore ? beforeAt : afterAt;
    if (takeBefore) before--;
    else after++;
    if (pass[indexOf(at)]) yield at;
  }
}

/**
 * Starts of `size`-byte values immediately followed by a copy of `key` in bytes[lo, hi), not
 * overlapping [avoidStart, avoidEnd) (the public structure's own copy).
 */
function beforeCopies(bytes: Uint8Array, lo: number, hi: number, key: Uint8Array, size: number, avoidStart: number, avoidEnd: number): number[] {
  const out: number[] = [];
  const view = bytes.subarray(0, Math.max(0, hi - key.length + 1));
  for (let at = view.indexOf(key[0]!, lo + size); at >= 0; at = view.indexOf(key[0]!, at + 1)) {
    let same = true;
    for (let i = 1; i < key.length && same; i++) same = bytes[at + i] === key[i];
    const start = at - size;
    if (same && (start >= avoidEnd || at <= avoidStart)) out.push(start);
  }
  return out;
}

export interface SearchResult {
  /** Where the private value lies and in which layout, or null (not there, or not within the caps). */
  found: PrivateKeyAt | null;
  /** Candidates tried, and how many of them needed a derivation (the others were remembered). */
  candidates: number;
  derivations: number;
}

/** Hex of bytes[at, at + size), most significant byte first. */
function valueHex(bytes: Uint8Array, at: number, size: number, littleEndian: boolean): string {
  if (!littleEndian) return toHex(bytes, at, at + size);
  let hex = '';
  for (let i = at + size - 1; i >= at; i--) hex += bytes[i]!.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Searches the neighbourhood of `pub` (within `reach`) for the private value whose public key it is.
 * `limits` exist for tests; the detector uses the defaults.
 */
export function searchPrivateKey<Derived, Target>(
  win: ScanWindow,
  reach: Reach,
  pub: PublicKeyAt<Derived, Target>,
  limits: SearchLimits = DEFAULT_LIMITS,
): SearchResult {
  const { bytes, base } = reach;
  const { scheme } = pub;
  const { size } = scheme;
  const lo = Math.max(reach.lo, pub.start - SEARCH_RADIUS);
  const hi = Math.min(reach.hi, pub.end + SEARCH_RADIUS);
  const memo = memoOf(win);
  let derivedHere = memo.derived.get(scheme.id) as Map<string, Derived | null> | undefined;
  if (!derivedHere) memo.derived.set(scheme.id, (derivedHere = new Map()));
  const result: SearchResult = { found: null, candidates: 0, derivations: 0 };

  const matches = (at: number, layout: Layout): boolean => {
    if (!scheme.plausible(bytes, at, layout.littleEndian)) return false;
    result.candidates++;
    const value = valueHex(bytes, at, size, layout.littleEndian);
    let derived = derivedHere.get(value);
    if (derived === undefined) {
      if (result.derivations >= limits.guaranteedPerKey && memo.derivations >= limits.derivationsPerWindow) return false;
      memo.derivations++;
      result.derivations++;
      derived = scheme.derive(bytes, at, layout.littleEndian);
      derivedHere.set(value, derived);
    }
    if (derived === null || !scheme.same(derived, pub.target)) return false;
    result.found = { start: at, end: at + size, layout };
    return true;
  };

  if (scheme.seedBeforePublic) {
    // Few places and a specific layout: tried whatever their alignment and randomness.
    for (const at of beforeCopies(bytes, lo, hi, pub.key, size, pub.start, pub.end)) {
      if (scheme.layouts.some((layout) => matches(at, layout))) return result;
    }
  }
  const publicDer = publicDerRanges(bytes, Math.max(reach.lo, lo - PUBLIC_DER_LOOKBACK), hi, reach.hi);
  for (const at of nearestFirst(bytes, lo, hi, base, size, pub, publicDer)) {
    for (const layout of scheme.layouts) {
      if ((base + at) % layout.alignment !== 0) continue;
      if (result.candidates >= limits.candidatesPerKey) return result;
      if (matches(at, layout)) return result;
    }
  }
  return result;
}
