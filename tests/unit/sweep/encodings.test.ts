import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MIN_NEEDLE_BYTES, needleKey, sweepNeedles } from '../../../src/engine/sweep/encodings.ts';
import type { SecretMaterial } from '../../../src/engine/sweep/secret.ts';
import { leFixed, rsaParts } from '../../fixtures/binary-keys.ts';
import * as keys from '../../fixtures/keys.ts';
import { rsaSecretOf } from './helpers.ts';

/** BigInteger.mag in memory, as detectors.md §6.2 builds it. */
const javaMag = (be: Buffer) => {
  const x = Buffer.concat([Buffer.alloc((4 - (be.length % 4)) % 4), be]);
  const o = Buffer.alloc(x.length);
  for (let i = 0; i < x.length; i += 4) o.writeUInt32LE(x.readUInt32BE(i), i);
  return o;
};

const of = (secret: SecretMaterial, encoding: string) =>
  sweepNeedles(secret)
    .filter((n) => n.encoding === encoding)
    .map((n) => n.bytes);

describe('sweepNeedles', () => {
  const key = keys.rsaKey(2048);
  const secret = rsaSecretOf(key);
  const k = rsaParts(key);
  const needles = sweepNeedles(secret);

  it('RSA-2048: under 150 needles, none shorter than 16 bytes, none repeated, n and e absent', () => {
    expect(needles.length).toBeLessThan(150);
    expect(needles.length).toBeGreaterThanOrEqual(6 * 11);
    for (const n of needles) expect(n.bytes.length).toBeGreaterThanOrEqual(MIN_NEEDLE_BYTES);
    expect(new Set(needles.map(needleKey)).size).toBe(needles.length);
    const all = needles.map((n) => n.bytes).join('|');
    expect(all.includes(k.n.toString('latin1'))).toBe(false);
    expect(all.includes(k.n.toString('hex'))).toBe(false);
    for (const n of needles) expect(n.textForms).toBe(['hex', 'hex-upper', 'base64', 'base64url'].includes(n.encoding));
  });

  it('both CRT coefficients: q⁻¹ mod p and p⁻¹ mod q (OpenPGP u, or p and q swapped)', () => {
    const [p, q] = [BigInt(`0x${k.p.toString('hex')}`), BigInt(`0x${k.q.toString('hex')}`)];
    // u = p^(q−2) mod q: q is prime.
    let [u, base, exp] = [1n, p % q, q - 2n];
    for (; exp > 0n; exp >>= 1n, base = (base * base) % q) if (exp & 1n) u = (u * base) % q;
    // Little-endian, without the zero bytes that pad a value to its limb width.
    const le = (v: bigint) => Buffer.from(v.toString(16).padStart(256, '0'), 'hex').reverse().toString('latin1').replace(/\0+$/, '');
    const raw = of(secret, 'bignum-le').map((n) => n.replace(/\0+$/, ''));
    expect(raw).toContain(le(BigInt(`0x${k.qi.toString('hex')}`)));
    expect(raw).toContain(le(u));
  });

  it('binary forms of p: BE minimal and DER-padded, LE, Java int[]', () => {
    const p = k.p;
    expect(of(secret, 'bignum-be')).toContain(p.toString('latin1'));
    expect(of(secret, 'bignum-be')).toContain(Buffer.concat([Buffer.of(0), p]).toString('latin1'));
    expect(of(secret, 'bignum-le')).toContain(leFixed(p, 128).toString('latin1'));
    expect(of(secret, 'java-int-array')).toContain(javaMag(p).toString('latin1'));
  });

  it('LE is padded to a 4-byte boundary: a prefix of the 8-byte-limb layout', () => {
    // A value of 30 significant bytes: LE 30 bytes + 2 zeros.
    const scalar = Buffer.concat([Buffer.of(0, 0), randomBytes(30)]);
    scalar[2] = 0x7f;
    const ec: SecretMaterial = { kind: 'ec-private-key', curve: 'P-256', scalar };
    const le = of(ec, 'bignum-le');
    expect(le).toEqual([Buffer.concat([leFixed(scalar.subarray(2), 30), Buffer.alloc(2)]).toString('latin1')]);
    // The scalar is an integer: its BE needle drops the leading zeros; no DER-padded form (top bit clear).
    expect(of(ec, 'bignum-be')).toEqual([scalar.subarray(2).toString('latin1')]);
  });

  it('hex and HEX of the BE bytes (an integer without its leading zero nibble)', () => {
    expect(of(secret, 'hex')).toContain(k.q.toString('hex'));
    expect(of(secret, 'hex-upper')).toContain(k.q.toString('hex').toUpperCase());
    const scalar = Buffer.concat([Buffer.of(0x0a), randomBytes(31)]);
    expect(of({ kind: 'ec-private-key', curve: 'P-256', scalar }, 'hex')).toEqual([scalar.toString('hex').slice(1)]);
    // A byte-string key keeps every nibble.
    const aes = Buffer.concat([Buffer.of(0x0a), randomBytes(31)]);
    expect(of({ kind: 'aes-key', key: aes }, 'hex')).toEqual([aes.toString('hex')]);
  });

  for (const encoding of ['base64', 'base64url'] as const) {
    it(`${encoding}: one of the 3 needles occurs whatever the value's offset in a longer stream`, () => {
      const needlesOf = of(secret, encoding).filter((n) => n.length > 150 && n.length < 175);
      for (let trial = 0; trial < 30; trial++) {
        const stream = Buffer.concat([randomBytes(trial), k.dq, randomBytes(trial % 5)]).toString(encoding);
        expect(needlesOf.filter((n) => stream.includes(n)).length, `prefix ${trial}`).toBeGreaterThanOrEqual(1);
      }
    });
  }

  it('RSA: both private exponents (mod λ and mod φ) are swept', () => {
    const p1 = secret.kind === 'rsa-private-key' ? secret.p - 1n : 0n;
    const q1 = secret.kind === 'rsa-private-key' ? secret.q - 1n : 0n;
    // e·dφ ≡ 1 (mod φ): find the φ exponent among the BE needles.
    const values = of(secret, 'bignum-be').map((s) => BigInt('0x' + Buffer.from(s, 'latin1').toString('hex')));
    const e = secret.kind === 'rsa-private-key' ? secret.e : 0n;
    expect(values.some((v) => (v * e) % (p1 * q1) === 1n)).toBe(true);
    expect(values).toContain(secret.kind === 'rsa-private-key' ? secret.d : 0n);
  });

  it('Ed25519 seed, symmetric keys: byte strings, every encoding; short keys only keep long-enough needles', () => {
    // fb ef be encode as `++++`: base64 and base64url needles differ whatever the random rest (a
    // needle free of `+` and `/` is searched once, as base64, which made this test flaky).
    const seed = Buffer.concat([Buffer.of(0xfb, 0xef, 0xbe), randomBytes(29)]);
    const ed = sweepNeedles({ kind: 'ed25519-private-key', seed });
    expect(new Set(ed.map((n) => n.encoding))).toEqual(
      new Set(['bignum-be', 'bignum-le', 'java-int-array', 'hex', 'hex-upper', 'base64', 'base64url']),
    );
    expect(of({ kind: 'ed25519-private-key', seed }, 'bignum-be')).toEqual([seed.toString('latin1')]);
    const des = sweepNeedles({ kind: 'symmetric-key', key: randomBytes(8) });
    expect(new Set(des.map((n) => n.encoding))).toEqual(new Set(['hex', 'hex-upper']));
  });
});
