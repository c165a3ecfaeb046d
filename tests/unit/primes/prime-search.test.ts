import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createPrimeSearch,
  createPrimeSearchWith,
  primeLength,
  type PrimeSearch,
} from '../../../src/engine/primes/prime-search.ts';
import type { RsaSecret } from '../../../src/engine/sweep/secret.ts';
import { createReferencePrimeCandidateFinder } from '../../../src/wasm/prime-candidates.ts';
import { beFixed, big, leFixed, nodeFingerprint, rsaParts } from '../../fixtures/binary-keys.ts';
import { rsaKey } from '../../fixtures/keys.ts';
import { LayoutBuilder, rsaLayoutImage } from '../../fixtures/rsa-layouts.ts';
import { placed, publicKeyOf, searchBuffer } from './search-helpers.ts';

let wasmModule: WebAssembly.Module;
let wasmSearch: PrimeSearch;
const referenceSearch = createPrimeSearchWith(createReferencePrimeCandidateFinder());

beforeAll(async () => {
  wasmModule = await WebAssembly.compile(await readFile(new URL('../../../src/wasm/core.wasm', import.meta.url)));
  wasmSearch = createPrimeSearch(wasmModule);
});

const otherKey = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits }).privateKey;

describe.each([1024, 2048])('prime search, RSA-%i', (bits) => {
  it('finds every copy of p and q in every layout, and only them, with the whole key as secret', () => {
    const key = rsaKey(bits);
    const image = rsaLayoutImage(key);
    const L = bits / 16;
    expect(primeLength(big(image.parts.n))).toBe(L);
    const expected = image.truth.map(({ offset, length, encoding }) => ({ offset, length, encoding }));
    expect(expected.length).toBe(12);

    for (const search of [wasmSearch, referenceSearch]) {
      const findings = searchBuffer(search, image.bytes, [publicKeyOf(key)], image.bytes.length + 1);
      expect(placed(findings)).toEqual(expected.sort((a, b) => a.offset - b.offset));
      for (const f of findings) {
        expect(f).toMatchObject({ kind: 'rsa-private-key', detector: 'prime-search', confidence: 'high' });
        expect(f.fingerprint).toBe(nodeFingerprint(key));
      }
      // The secret is the key node:crypto generated, every component.
      const j = key.export({ format: 'jwk' });
      const b64 = (s: string | undefined) => big(Buffer.from(s!, 'base64url'));
      const secret = findings[0]!.secret as RsaSecret;
      expect(secret).toMatchObject({
        kind: 'rsa-private-key',
        fingerprint: nodeFingerprint(key),
        n: b64(j.n), e: b64(j.e), p: b64(j.p), q: b64(j.q), dp: b64(j.dp), dq: b64(j.dq), qi: b64(j.qi),
      });
      // d may be taken mod λ(n) or φ(n); either inverts e modulo p − 1 and q − 1.
      expect([(secret.d * secret.e) % (secret.p - 1n), (secret.d * secret.e) % (secret.q - 1n)]).toEqual([1n, 1n]);
    }
  });

  it('a prime straddling a chunk edge is found once, whatever the chunk size', () => {
    const key = rsaKey(bits);
    const image = rsaLayoutImage(key);
    const whole = searchBuffer(wasmSearch, image.bytes, [publicKeyOf(key)], image.bytes.length + 1);
    for (const size of [7, 97, 1000, 4099]) {
      const chunked = searchBuffer(size > 500 ? wasmSearch : referenceSearch, image.bytes, [publicKeyOf(key)], size);
      expect(placed(chunked), `chunk size ${size}`).toEqual(placed(whole));
    }
  });

  it("another key's primes, a copy with one byte changed and a copy cut by one byte give nothing", () => {
    const key = rsaKey(bits);
    const k = rsaParts(key);
    const other = rsaParts(otherKey(bits));
    const L = bits / 16;
    const changed = beFixed(k.p, L);
    changed[L >> 1]! ^= 0x10;
    const cutLe = leFixed(k.q, L).subarray(0, L - 1);
    const cutBe = beFixed(k.q, L).subarray(1);
    const b = new LayoutBuilder().noise(100);
    b.alignTo(8).put(leFixed(other.p, L)).noise(50).put(beFixed(other.q, L)).noise(50);
    b.put(changed).noise(50);
    // Cut: the prime's bytes minus its last (LE) or first (BE) byte, then bytes that are not it.
    b.alignTo(8).put(cutLe).put(Buffer.of(leFixed(k.q, L)[L - 1]! ^ 0x40)).noise(50);
    b.put(Buffer.of(beFixed(k.q, L)[0]! ^ 0x40)).put(cutBe).noise(50);
    const file = b.build();
    expect(searchBuffer(wasmSearch, file, [publicKeyOf(key)], file.length + 1)).toEqual([]);
    expect(searchBuffer(referenceSearch, file, [publicKeyOf(key)], file.length + 1)).toEqual([]);
  });

  it('LE limbs at an offset that is not 8-aligned are not searched (fast mode, documented)', () => {
    const key = rsaKey(bits);
    const k = rsaParts(key);
    const L = bits / 16;
    const b = new LayoutBuilder().noise(100).alignTo(8, 4).put(leFixed(k.p, L)).noise(100);
    const file = b.build();
    expect(searchBuffer(wasmSearch, file, [publicKeyOf(key)], file.length + 1)).toEqual([]);
  });
});

describe('prime search, many moduli and budgets', () => {
  it('finds the primes of one key among 20 moduli of mixed lengths, each under its own key', () => {
    const keys = [rsaKey(1024), rsaKey(2048)];
    const moduli = [...keys.map(publicKeyOf)];
    // Key generation dominates the test's time: one more 2048-bit modulus, the rest shorter.
    for (let i = 0; moduli.length < 20; i++) moduli.push(publicKeyOf(otherKey(i === 0 ? 2048 : i % 2 ? 1024 : 512)));
    const a = rsaParts(keys[0]!);
    const c = rsaParts(keys[1]!);
    const b = new LayoutBuilder().noise(64).alignTo(8).plant(leFixed(a.q, 64), [{ at: 0, length: 64, encoding: 'bignum-le', what: 'q1024' }]);
    b.noise(33).plant(beFixed(c.p, 128), [{ at: 0, length: 128, encoding: 'bignum-be', what: 'p2048' }]).noise(64);
    const file = b.build();
    const findings = searchBuffer(wasmSearch, file, [...moduli].reverse(), file.length + 1);
    expect(placed(findings)).toEqual(b.truth.map(({ offset, length, encoding }) => ({ offset, length, encoding })));
    expect(findings.map((f) => f.fingerprint)).toEqual(keys.map(nodeFingerprint));
    expect(wasmSearch.last.budgetHit).toBe(false);
  });

  it('stops at the candidate budget on random data and says so', () => {
    const key = rsaKey(2048);
    // Random islands below the ocean size (oceans are skipped: see oceans.test.ts).
    const file = Buffer.concat(Array.from({ length: 8 }, () => Buffer.concat([randomBytes(8 * 1024), Buffer.alloc(512)])));
    const search = createPrimeSearch(wasmModule, { maxCandidates: 100 });
    searchBuffer(search, file, [publicKeyOf(key)], file.length + 1);
    expect(search.last).toEqual({ tested: 100, budgetHit: true });
    searchBuffer(wasmSearch, file, [publicKeyOf(key)], file.length + 1);
    expect(wasmSearch.last.budgetHit).toBe(false);
    expect(wasmSearch.last.tested).toBeGreaterThan(100);
  });

  it('a prime found within budget is still found when a later length would exceed it', () => {
    const key = rsaKey(1024);
    const k = rsaParts(key);
    const file = new LayoutBuilder().noise(64).alignTo(8).put(leFixed(k.p, 64)).noise(20000).build();
    const search = createPrimeSearch(wasmModule, { maxCandidates: 10_000 });
    const findings = searchBuffer(search, file, [publicKeyOf(key), publicKeyOf(rsaKey(2048))], file.length + 1);
    expect(findings.length).toBe(1);
  });
});
