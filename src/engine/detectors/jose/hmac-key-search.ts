/**
 * The search for the key of an HS256/HS384/HS512 JWT near the token (detectors.md T13, issue #5 T40):
 * programs that verify or issue such tokens keep the shared secret close to them (a config string, a
 * base64 setting, a decoded byte array). Every plausible key in the neighbourhood is tried: a key
 * whose HMAC over the signing input equals the signature is proven, whatever it looks like.
 *
 * Candidates, nearest to the token first:
 * - binary windows of 16, 24, 32, 48 and 64 bytes at 8-aligned file offsets that pass the
 *   distinct-byte gate for their size (detectors.md §5.2), as allocators and key objects align them;
 * - printable text runs (ASCII, UTF-16LE at either parity) of 8–256 chars, whole and split into the
 *   pieces an assignment or a quoted value makes (`secret="…"`, `key=…`);
 * - the hex, base64 and base64url decodings of those texts (16 chars or more).
 * Each distinct candidate value costs one HMAC, and a search stops after MAX_HMACS_PER_TOKEN of them:
 * a token whose key is not in the dump (a client holding a server's token) must not cost more than a
 * few tens of milliseconds. Keys past the cap or the radius are not found; the token itself is still
 * redacted and, when the key is proven anywhere else, the sweep removes its copies.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { bytesEqual } from '../../crypto/bigint.ts';
import { minDistinct } from '../../crypto/entropy.ts';
import { decodeBase64 } from '../der-key-info.ts';
import { decodeBase64Url } from './base64url.ts';

export type HmacAlg = 'HS256' | 'HS384' | 'HS512';

const HASHES = { HS256: sha256, HS384: sha384, HS512: sha512 } as const;

export function isHmacAlg(alg: string): alg is HmacAlg {
  return Object.hasOwn(HASHES, alg);
}

/** Bytes searched on each side of the token by default. */
export const HMAC_SEARCH_RADIUS = 64 * 1024;
/** HMACs one token may cost: ~70 ms for HS256 over a 300-char signing input with @noble/hashes. */
export const MAX_HMACS_PER_TOKEN = 4096;

const BINARY_KEY_SIZES = [16, 24, 32, 48, 64] as const;
const BINARY_MIN_DISTINCT = BINARY_KEY_SIZES.map(minDistinct);
const LONGEST_BINARY_KEY = 64;
const BINARY_ALIGNMENT = 8;
const MIN_TEXT_KEY = 8;
const MAX_TEXT_KEY = 256;
/** Shorter texts are not tried as encoded keys: their decodings are too short to be keys. */
const MIN_ENCODED_KEY_CHARS = 16;
const MIN_DECODED_KEY = 8;

export interface HmacTarget {
  alg: HmacAlg;
  /** The ASCII bytes of `header.payload`. */
  signingInput: Uint8Array;
  signature: Uint8Array;
}

/** One place the key sits, as indices into the searched buffer. */
export interface KeyLocation {
  start: number;
  end: number;
  /** `raw`, `ascii`, `hex`, `base64`, `base64url`; text forms get `-utf16le` in UTF-16LE. */
  encoding: string;
  /** True when the key is this text itself (a passphrase), not bytes the text encodes. */
  text: boolean;
}

export interface HmacSearchResult {
  /** The proven key, or null. */
  key: Uint8Array | null;
  /** Every candidate in the neighbourhood whose value is the key. */
  locations: KeyLocation[];
  /** HMACs computed. */
  hmacs: number;
  /** True when the cap stopped the search with candidates left untried. */
  capped: boolean;
}

export interface HmacSearchOptions {
  /** File offset of bytes[0], for the 8-byte alignment of binary windows (default 0). */
  base?: number;
  radius?: number;
  maxHmacs?: number;
  /** Keys proven for other tokens: tried first, one HMAC each. */
  knownKeys?: readonly Uint8Array[];
  /**
   * Candidate values already tried for this same target (latin1), shared between copies of one token:
   * each is skipped, and the values this search tries are added.
   */
  tried?: Set<string>;
}

interface Candidate {
  start: number;
  end: number;
  distance: number;
  encoding: string;
  text: boolean;
  /** The key bytes; for raw windows a view into the searched buffer. */
  value: Uint8Array;
}

const latin1 = (bytes: Uint8Array): string => String.fromCharCode.apply(null, bytes as unknown as number[]);

/** Printable ASCII except the delimiters that end a piece: space, quotes, `,`, `;`, `&`, `:`. */
const PIECE_DELIMITERS = new Set(' "\'`,;&:'.split('').map((c) => c.charCodeAt(0)));
const EQUALS = 0x3d;

/**
 * [start, end) char ranges of the pieces of a text run: split at delimiters and at an `=` that
 * assigns (one followed by more value), not at the `=` padding that ends base64.
 */
function pieces(text: string): [number, number][] {
  const out: [number, number][] = [];
  let from = 0;
  const close = (to: number) => {
    if (to > from) out.push([from, to]);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (PIECE_DELIMITERS.has(c)) {
      close(i);
      from = i + 1;
    } else if (c === EQUALS) {
      let j = i;
      while (text.charCodeAt(j) === EQUALS) j++;
      if (j < text.length && !PIECE_DELIMITERS.has(text.charCodeAt(j))) {
        close(i);
        from = j;
      }
      i = j - 1;
    }
  }
  close(text.length);
  return out;
}

/** The byte decodings a text may stand for, with the encoding each is named by. */
function decodings(text: string): { value: Uint8Array; encoding: string }[] {
  if (text.length < MIN_ENCODED_KEY_CHARS) return [];
  const out: { value: Uint8Array; encoding: string }[] = [];
  const add = (value: Uint8Array | null, encoding: string) => {
    if (value && value.length >= MIN_DECODED_KEY) out.push({ value, encoding });
  };
  if (/^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0) {
    add(Uint8Array.from(text.match(/../g)!, (h) => parseInt(h, 16)), 'hex');
  }
  const unpadded = text.replace(/={1,2}$/, '');
  if (unpadded.length % 4 !== 1) {
    if (/^[A-Za-z0-9+/]+$/.test(unpadded)) add(decodeBase64(unpadded), 'base64');
    else if (/^[A-Za-z0-9_-]+$/.test(unpadded)) add(decodeBase64Url(unpadded), 'base64url');
  }
  return out;
}

const isPrintable = (b: number) => b >= 0x20 && b <= 0x7e;

/** Text candidates of the runs in bytes[first, hi) read with `step` bytes per char. */
function textCandidates(
  bytes: Uint8Array,
  hi: number,
  step: 1 | 2,
  first: number,
  distanceOf: (start: number, end: number) => number,
  out: Candidate[],
): void {
  const suffix = step === 2 ? '-utf16le' : '';
  const isChar = (at: number) => isPrintable(bytes[at]!) && (step === 1 || bytes[at + 1] === 0);
  for (let at = first; at + step <= hi; ) {
    if (!isChar(at)) {
      at += step;
      continue;
    }
    let end = at;
    while (end + step <= hi && isChar(end)) end += step;
    const length = (end - at) / step;
    if (length < MIN_TEXT_KEY) {
      at = end;
      continue;
    }
    let text = '';
    for (let i = at; i < end; i += step) text += String.fromCharCode(bytes[i]!);
    const ranges = pieces(text);
    if (text.length <= MAX_TEXT_KEY && (ranges.length !== 1 || ranges[0]![1] - ranges[0]![0] !== text.length)) {
      ranges.push([0, text.length]);
    }
    for (const [s, e] of ranges) {
      if (e - s < MIN_TEXT_KEY || e - s > MAX_TEXT_KEY) continue;
      const start = at + s * step;
      const stop = at + e * step;
      const distance = distanceOf(start, stop);
      if (distance < 0) continue;
      const piece = text.slice(s, e);
      out.push({ start, end: stop, distance, encoding: 'ascii' + suffix, text: true, value: Uint8Array.from(piece, (c) => c.charCodeAt(0)) });
      for (const d of decodings(piece)) {
        out.push({ start, end: stop, distance, encoding: d.encoding + suffix, text: false, value: d.value });
      }
    }
    at = end;
  }
}

/** Binary windows at 8-aligned file offsets in bytes[lo, hi) that look random for their size. */
function binaryCandidates(
  bytes: Uint8Array,
  lo: number,
  hi: number,
  base: number,
  distanceOf: (start: number, end: number) => number,
  out: Candidate[],
): void {
  let stamp = 0;
  const seenAt = new Uint32Array(256);
  const firstAligned = lo + ((BINARY_ALIGNMENT - ((base + lo) % BINARY_ALIGNMENT)) % BINARY_ALIGNMENT);
  for (let at = firstAligned; at + BINARY_KEY_SIZES[0] <= hi; at += BINARY_ALIGNMENT) {
    stamp++;
    let distinct = 0;
    let size = 0;
    const limit = Math.min(LONGEST_BINARY_KEY, hi - at);
    for (let i = 0; i < limit; i++) {
      const b = bytes[at + i]!;
      if (seenAt[b] !== stamp) {
        seenAt[b] = stamp;
        distinct++;
      }
      if (i + 1 === BINARY_KEY_SIZES[size]) {
        const length = BINARY_KEY_SIZES[size]!;
        const enough = distinct >= BINARY_MIN_DISTINCT[size++]!;
        const distance = enough ? distanceOf(at, at + length) : -1;
        if (distance >= 0) {
          out.push({ start: at, end: at + length, distance, encoding: 'raw', text: false, value: bytes.subarray(at, at + length) });
        }
      }
    }
  }
}

/** Every candidate of the neighbourhood, nearest first. */
function candidates(bytes: Uint8Array, token: { start: number; end: number }, lo: number, hi: number, base: number): Candidate[] {
  // A candidate overlapping the token is part of it, not a key: distance −1 drops it.
  const distanceOf = (start: number, end: number) =>
    end <= token.start ? token.start - end : start >= token.end ? start - token.end : -1;
  const out: Candidate[] = [];
  textCandidates(bytes, hi, 1, lo, distanceOf, out);
  textCandidates(bytes, hi, 2, lo, distanceOf, out);
  textCandidates(bytes, hi, 2, lo + 1, distanceOf, out);
  binaryCandidates(bytes, lo, hi, base, distanceOf, out);
  return out.sort((a, b) => a.distance - b.distance || a.start - b.start);
}

function signs(target: HmacTarget, key: Uint8Array): boolean {
  return bytesEqual(hmac(HASHES[target.alg], key, target.signingInput), target.signature);
}

/**
 * Searches bytes[lo, hi) ∩ the radius around `token` (indices into `bytes`) for the HMAC key of
 * `target`. The caller passes what it may read as [lo, hi); the result does not depend on anything
 * outside it.
 */
export function searchHmacKey(
  bytes: Uint8Array,
  token: { start: number; end: number },
  limits: { lo: number; hi: number },
  target: HmacTarget,
  options: HmacSearchOptions = {},
): HmacSearchResult {
  const radius = options.radius ?? HMAC_SEARCH_RADIUS;
  const maxHmacs = options.maxHmacs ?? MAX_HMACS_PER_TOKEN;
  const lo = Math.max(limits.lo, token.start - radius);
  const hi = Math.min(limits.hi, token.end + radius);
  let hmacs = 0;
  let key: Uint8Array | null = null;
  for (const known of options.knownKeys ?? []) {
    if (hmacs >= maxHmacs) break;
    hmacs++;
    if (signs(target, known)) {
      key = known;
      break;
    }
  }
  const all = candidates(bytes, token, lo, hi, options.base ?? 0);
  let capped = false;
  if (key === null) {
    const tried = options.tried ?? new Set<string>();
    for (const c of all) {
      const id = latin1(c.value);
      if (tried.has(id)) continue;
      if (hmacs >= maxHmacs) {
        capped = true;
        break;
      }
      tried.add(id);
      hmacs++;
      if (signs(target, c.value)) {
        key = Uint8Array.from(c.value);
        break;
      }
    }
  }
  const locations: KeyLocation[] =
    key === null
      ? []
      : all.filter((c) => bytesEqual(c.value, key)).map(({ start, end, encoding, text }) => ({ start, end, encoding, text }));
  return { key, locations, hmacs, capped };
}
