/**
 * The prime search (detectors.md §4.3): for RSA moduli whose private key was not found, look for
 * either prime factor in the window in any bignum layout (LE limbs, BE bytes, Java int[]), prove it
 * by division (n mod c == 0), and report the candidate's bytes with the whole key as its secret, so
 * the sweep removes every other copy of every component.
 *
 * Candidates come from the WASM kernel (prime-candidates.as.ts); each is divided into every modulus
 * of its length. (Dividing the product of the moduli once instead was measured slower with V8's
 * BigInt: 70 µs against 32 µs for 20 RSA-2048 moduli, as division cost grows with the dividend.)
 * A per-window budget bounds the work on
 * data that defeats the filters (large random-looking regions); `last.budgetHit` tells the pipeline
 * that candidates were left untested, so it can warn.
 *
 * Not searched: oceans (random-looking runs over 16 KiB: compressed data, ciphertext; oceans.ts),
 * LE limbs at offsets that are not 8-aligned in the file, Java int[] at offsets not
 * 4-aligned, primes shorter than half the modulus (L = ⌈bits(n)/16⌉ bytes, top bit set), and
 * Montgomery or 63-bit-limb forms (§4.4, Go bigmod).
 */
import type { RsaPublicKey } from '../harvest/public-key.ts';
import { outsideOceans } from './oceans.ts';
import { rsaFromPrimes } from '../sweep/extract.ts';
import type { RsaSecret } from '../sweep/secret.ts';
import type { Finding } from '../types.ts';
import type { ScanWindow } from '../window.ts';
import {
  candidateValue,
  createWasmPrimeCandidateFinder,
  type PrimeCandidateFinder,
} from '../../wasm/prime-candidates.ts';

export const PRIME_SEARCH_DETECTOR = 'prime-search';

/**
 * Candidates tested per window before the search gives up on the rest. Measured (2 shared cores):
 * ~270 000 candidates/s with one modulus, ~29 000/s with 20 of the same length, so about 4 s and
 * 36 s; random data yields ~85 000 candidates per MiB, real dumps a few hundred.
 */
export const DEFAULT_MAX_CANDIDATES = 1 << 20;

export interface PrimeSearchStats {
  /** Candidates that passed the kernel's filters and were tested by division. */
  tested: number;
  /** True when a prime length's candidates exceeded the budget and the rest went untested. */
  budgetHit: boolean;
}

export interface PrimeSearch {
  (win: ScanWindow, moduli: readonly RsaPublicKey[]): Finding[];
  /** What the last call did. */
  readonly last: PrimeSearchStats;
}

export interface PrimeSearchOptions {
  /** Candidates per window, over all prime lengths (DEFAULT_MAX_CANDIDATES). */
  maxCandidates?: number;
}

/** Byte length of the primes of a modulus: ⌈bits(n) / 16⌉. */
export function primeLength(n: bigint): number {
  return Math.ceil(n.toString(2).length / 16);
}

/** Moduli of one prime length. */
interface ModulusGroup {
  length: number;
  keys: RsaPublicKey[];
}

function groupByPrimeLength(moduli: readonly RsaPublicKey[]): ModulusGroup[] {
  const groups = new Map<number, ModulusGroup>();
  const seen = new Set<bigint>();
  for (const key of moduli) {
    if (seen.has(key.n)) continue;
    seen.add(key.n);
    const length = primeLength(key.n);
    const group = groups.get(length);
    if (group) group.keys.push(key);
    else groups.set(length, { length, keys: [key] });
  }
  return [...groups.values()].sort((a, b) => a.length - b.length);
}

export function createPrimeSearch(kernel: WebAssembly.Module, options: PrimeSearchOptions = {}): PrimeSearch {
  return createPrimeSearchWith(createWasmPrimeCandidateFinder(kernel), options);
}

/** The search over any candidate finder (the reference one in tests). */
export function createPrimeSearchWith(finder: PrimeCandidateFinder, options: PrimeSearchOptions = {}): PrimeSearch {
  const budget = options.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
  let last: PrimeSearchStats = { tested: 0, budgetHit: false };

  const search = (win: ScanWindow, moduli: readonly RsaPublicKey[]): Finding[] => {
    const findings: Finding[] = [];
    const stats: PrimeSearchStats = { tested: 0, budgetHit: false };
    const secrets = new Map<bigint, RsaSecret | null>();
    const searched = outsideOceans(win.bytes, win.ownStart, win.ownEnd);
    for (const group of groupByPrimeLength(moduli)) {
      const left = budget - stats.tested;
      // One more than the budget allows tells "exactly the budget" from "more than it".
      const candidates = searched.flatMap(([from, to]) =>
        finder.find(win.bytes, from, to, { primeLength: group.length, base: win.base }, left + 1),
      );
      if (candidates.length > left) {
        stats.budgetHit = true;
        candidates.length = left;
      }
      stats.tested += candidates.length;
      for (const { pos, layout } of candidates) {
        const c = candidateValue(win.bytes, pos, group.length, layout);
        for (const key of group.keys) {
          if (key.n % c !== 0n) continue;
          if (!secrets.has(key.n)) secrets.set(key.n, rsaFromPrimes(key.n, key.e, c, key.n / c));
          const secret = secrets.get(key.n);
          if (!secret) continue;
          findings.push({
            offset: win.base + pos,
            length: group.length,
            kind: 'rsa-private-key',
            detector: PRIME_SEARCH_DETECTOR,
            confidence: 'high',
            encoding: layout,
            fingerprint: secret.fingerprint,
            secret,
          });
          break;
        }
      }
      if (stats.budgetHit) break;
    }
    last = stats;
    return findings;
  };
  return Object.defineProperty(search, 'last', { get: () => last }) as PrimeSearch;
}
