/**
 * RSA private-key consistency checks with BigInt, shared by every layout that carries RSA components
 * (DER, CNG, CAPI, later the derived-encoding sweep). The usual checks are a product, a few reductions
 * and multiplications; one modexp runs only for a damaged key whose p and q both fail.
 */
import type { Confidence } from '../types.ts';
import { mod } from './bigint.ts';

/** The components a layout holds; absent ones were not stored (CNG RSA2) or were cut off. */
export interface RsaComponents {
  n: bigint;
  e?: bigint;
  d?: bigint;
  p?: bigint;
  q?: bigint;
  dp?: bigint;
  dq?: bigint;
  qinv?: bigint;
}

export interface RsaCheck {
  /** n = p·q with both factors greater than 1. */
  factored: boolean;
  /** Every CRT value present agrees with p, q, e and d (true when none is present). */
  consistent: boolean;
  /** p or q alone is a proper factor of n: a prime of the key is in clear even if the rest is damaged. */
  factorFound: boolean;
  /**
   * With no factor to go on: d is a working private exponent for (n, e), i.e. 2^(e·d) ≡ 2 (mod n).
   * n, e and d alone let anyone factor n, so such a key is secret even with p and q damaged.
   */
  exponentWorks: boolean;
}

/** Largest modulus (bytes) for the exponent test: one modexp costs ~35 ms at 2048 bits, ~220 ms at 4096. */
const MAX_EXPONENT_TEST_BYTES = 512;

/** b^e mod m for e ≥ 0, m > 1 (square-and-multiply). */
export function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let result = 1n;
  let base = mod(b, m);
  for (let x = e; x > 0n; x >>= 1n) {
    if (x & 1n) result = (result * base) % m;
    base = (base * base) % m;
  }
  return result;
}

/** True if d inverts e modulo λ(n) as far as base 2 can tell: (2^d)^e ≡ 2 (mod n). */
export function exponentWorks(n: bigint, e: bigint, d: bigint): boolean {
  if (n < 5n || d < 2n || d >= n || e < 3n) return false;
  if (n.toString(16).length > 2 * MAX_EXPONENT_TEST_BYTES) return false;
  return modPow(modPow(2n, d, n), e, n) === 2n;
}

const isProperFactor = (f: bigint | undefined, n: bigint) => f !== undefined && f > 1n && f < n && n % f === 0n;

/** Checks n = p·q, then dp = d mod (p−1), dq = d mod (q−1), qinv·q ≡ 1 (mod p), e·dp ≡ 1 (mod p−1). */
export function checkRsa(k: RsaComponents): RsaCheck {
  const { n, p, q } = k;
  const factorFound = n > 1n && (isProperFactor(p, n) || isProperFactor(q, n));
  if (!factorFound || p === undefined || q === undefined || p * q !== n || p < 2n || q < 2n) {
    const works = !factorFound && k.e !== undefined && k.d !== undefined && exponentWorks(n, k.e, k.d);
    return { factored: false, consistent: false, factorFound, exponentWorks: works };
  }
  const p1 = p - 1n;
  const q1 = q - 1n;
  let consistent = true;
  if (k.d !== undefined) {
    if (k.dp !== undefined && mod(k.d, p1) !== k.dp) consistent = false;
    if (k.dq !== undefined && mod(k.d, q1) !== k.dq) consistent = false;
  }
  if (k.qinv !== undefined && mod(k.qinv * q, p) !== 1n) consistent = false;
  if (k.e !== undefined) {
    const dp = k.dp ?? (k.d !== undefined ? mod(k.d, p1) : undefined);
    const dq = k.dq ?? (k.d !== undefined ? mod(k.d, q1) : undefined);
    if (dp !== undefined && mod(k.e * dp, p1) !== 1n) consistent = false;
    if (dq !== undefined && mod(k.e * dq, q1) !== 1n) consistent = false;
  }
  return { factored: true, consistent, factorFound, exponentWorks: false };
}

/**
 * How sure a finding of these components is:
 * - high: n = p·q and every CRT value agrees, in a structure that parsed completely;
 * - medium: the key can be rebuilt from what is there, proven by maths — n = p·q with a damaged CRT
 *   value, p or q alone dividing n, or a working d — in a structure that is damaged or cut short;
 * - low: the layout parsed but no maths confirms it (shown for review, not zeroed by default).
 */
export function rsaConfidence(check: RsaCheck, complete: boolean): Confidence {
  if (check.factored && check.consistent && complete) return 'high';
  if (check.factored || check.factorFound || check.exponentWorks) return 'medium';
  return 'low';
}
