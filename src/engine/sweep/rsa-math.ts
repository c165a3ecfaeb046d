/** RSA values the sweep derives from the primes: inverses and the private exponents a program may hold. */
import { mod } from '../crypto/bigint.ts';

/** Multiplicative inverse of a modulo m (m > 1), or null when gcd(a, m) ≠ 1. */
export function modInverse(a: bigint, m: bigint): bigint | null {
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return r0 === 1n ? mod(s0, m) : null;
}

export function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/**
 * The two textbook private exponents of (p, q, e): e⁻¹ mod λ(n) (OpenSSL 3, FIPS 186) first, then
 * e⁻¹ mod φ(n) (older code) when it differs. Either one factors n.
 */
export function privateExponents(e: bigint, p: bigint, q: bigint): bigint[] {
  const p1 = p - 1n;
  const q1 = q - 1n;
  const phi = p1 * q1;
  const out: bigint[] = [];
  for (const m of [phi / gcd(p1, q1), phi]) {
    const d = modInverse(e, m);
    if (d !== null && !out.includes(d)) out.push(d);
  }
  return out;
}
