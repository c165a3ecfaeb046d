/**
 * The sweep through the whole pipeline: a key proven by one copy is removed everywhere else, in
 * forms no detector recognises alone — OpenSSL's little-endian limbs, Java's int[], and a lone PEM
 * line left in a freed buffer (seen in a gcore'd Node process).
 */
import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { occurrences, sanitizeBytes } from '../../fixtures/dump-checks.ts';
import { leFixed, rsaParts } from '../../fixtures/binary-keys.ts';
import * as keys from '../../fixtures/keys.ts';

describe('sanitize with the derived sweep', () => {
  it('zeroes limbs, a Java int[] and a lone PEM line of a key proven by its PEM, and nothing of another key', async () => {
    const key = keys.rsaKey(2048);
    const k = rsaParts(key);
    const pem = keys.rsaPem(2048, 'pkcs8');
    const loneLine = pem.split('\n')[7]!;
    const javaP = Buffer.from(k.p);
    for (let i = 0; i < javaP.length; i += 4) javaP.subarray(i, i + 4).reverse();
    const strangerP = rsaParts(keys.rsaKey(3072)).p;

    const input = randomBytes(1 << 20);
    Buffer.from(pem).copy(input, 1001);
    leFixed(k.d, 256).copy(input, 200_003);
    javaP.copy(input, 400_005);
    Buffer.from(loneLine).copy(input, 600_007);
    Buffer.from(strangerP).copy(input, 800_009);

    const { output, manifest } = await sanitizeBytes(input, { policy: 'standard', verify: true, chunkSize: 65_537 });
    const out = Buffer.from(output);
    expect(occurrences(out, leFixed(k.d, 256))).toEqual([]);
    expect(occurrences(out, javaP)).toEqual([]);
    expect(occurrences(out, loneLine)).toEqual([]);
    // A key never proven in the dump is not swept: its prime is left as it was.
    expect(occurrences(out, Buffer.from(strangerP))).toEqual([800_009]);
    const swept = manifest.redactions.filter((r) => r.detector === 'sweep');
    expect(swept.map((r) => r.encoding)).toEqual(expect.arrayContaining(['bignum-le', 'java-int-array', 'pem-line']));
    expect(swept.every((r) => r.fingerprint === manifest.redactions.find((x) => x.detector === 'pem')?.fingerprint)).toBe(true);
  });

  it('proves a key held only as limbs by a prime of its certificate\'s modulus, then sweeps its other values', async () => {
    const key = keys.rsaKey(2048);
    const k = rsaParts(key);
    const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
    const input = Buffer.alloc(1 << 20);
    spki.copy(input, 5003);
    leFixed(k.p, 128).copy(input, 300_000);
    leFixed(k.d, 256).copy(input, 600_000);
    leFixed(k.qi, 128).copy(input, 900_008);

    const { output, manifest } = await sanitizeBytes(input, { policy: 'standard', verify: true, chunkSize: 65_537 });
    const out = Buffer.from(output);
    for (const value of [leFixed(k.p, 128), leFixed(k.d, 256), leFixed(k.qi, 128)]) expect(occurrences(out, value)).toEqual([]);
    // The public key is not a secret: it stays.
    expect(occurrences(out, spki)).toEqual([5003]);
    const fingerprint = `sha256:${createHash('sha256').update(spki).digest('hex')}`;
    const byPrime = manifest.redactions.find((r) => r.detector === 'prime-search');
    expect(byPrime).toMatchObject({ offset: 300_000, length: 128, kind: 'rsa-private-key', encoding: 'bignum-le', fingerprint });
    expect(manifest.redactions.filter((r) => r.detector === 'sweep').every((r) => r.fingerprint === fingerprint)).toBe(true);
  });
});
