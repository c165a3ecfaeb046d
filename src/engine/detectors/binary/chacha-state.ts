/**
 * Detector `chacha-state` (detectors.md S16): a ChaCha20 or Salsa20 cipher state as reference and
 * RFC 8439-style implementations keep it — 16 little-endian words with the constant "expand 32-byte k"
 * (or "expand 16-byte k" for a 128-bit key) next to the key words.
 * - ChaCha: constant in words 0–3, key in 4–11 (a 16-byte key fills 4–7 and again 8–11), then counter
 *   and nonce.
 * - Salsa20: the constant's four words at 0, 5, 10, 15, key in 1–4 and 11–14.
 * The key bytes must pass the distinct-byte gate of a random key (detectors.md §5.2: ≥ 27 of 32,
 * ≥ 14 of 16), which also rejects the constant sitting in a library's read-only data next to the other
 * constant or a table. Medium (no maths ties a state to its key); the whole 64-byte state is zeroed.
 * Libraries that keep only the key words (no constant) are left to the derived-material sweep.
 */
import type { AnchorHit } from '../../anchors.ts';
import { distinctBytes, minDistinct } from '../../crypto/entropy.ts';
import type { Finding } from '../../types.ts';
import type { ScanWindow } from '../../window.ts';
import type { Detector } from '../detector.ts';
import { bytesAre, findingAt, reachAround, type Reach } from './reach.ts';

const SIGMA = 'expand 32-byte k';
const TAU = 'expand 16-byte k';
const STATE = 64;

function equalRanges(bytes: Uint8Array, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}

/** Key bytes [a, a+16) and [b, b+16) hold a 32-byte random key, or one 16-byte key twice. */
function keyLooksReal(bytes: Uint8Array, a: number, b: number, wide: boolean): boolean {
  if (!wide) return equalRanges(bytes, a, b, 16) && distinctBytes(bytes, a, a + 16) >= minDistinct(16);
  const joined = new Uint8Array(32);
  joined.set(bytes.subarray(a, a + 16));
  joined.set(bytes.subarray(b, b + 16), 16);
  return distinctBytes(joined, 0, 32) >= minDistinct(32);
}

function state(reach: Reach, pos: number, key: [number, number], wide: boolean, kind: string, encoding: string): Finding | null {
  const { bytes, hi } = reach;
  if (Math.max(...key) + 16 > hi || !keyLooksReal(bytes, key[0], key[1], wide)) return null;
  return findingAt(reach, pos, Math.min(pos + STATE, hi), { kind, detector: 'chacha-state', confidence: 'medium', encoding });
}

function chacha(reach: Reach, pos: number, wide: boolean): Finding | null {
  return state(reach, pos, [pos + 16, pos + 32], wide, 'chacha-key', 'chacha-state');
}

function salsa(reach: Reach, pos: number): Finding | null {
  const { bytes } = reach;
  for (const constant of [SIGMA, TAU]) {
    if (
      bytesAre(bytes, pos + 20, constant.slice(4, 8)) &&
      bytesAre(bytes, pos + 40, constant.slice(8, 12)) &&
      bytesAre(bytes, pos + 60, constant.slice(12, 16))
    ) {
      return state(reach, pos, [pos + 4, pos + 44], constant === SIGMA, 'salsa20-key', 'salsa20-state');
    }
  }
  return null;
}

const ANCHORS: readonly [string, (reach: Reach, pos: number) => Finding | null][] = [
  [SIGMA, (r, p) => chacha(r, p, true)],
  [TAU, (r, p) => chacha(r, p, false)],
  // Salsa20's first constant word; the other three are checked at words 5, 10 and 15.
  ['expa', salsa],
];

export const chachaState: Detector = {
  id: 'chacha-state',
  anchors: [],
  // In-memory words, never UTF-16 text.
  rawAnchors: ANCHORS.map(([bytes]) => bytes),
  detect(win: ScanWindow, hit: AnchorHit, anchor: number): Finding[] {
    const finding = ANCHORS[anchor]![1](reachAround(win, hit.pos), hit.pos);
    return finding ? [finding] : [];
  },
};
