/**
 * The path the pipeline takes: pass 1 harvests the public key from wherever it lies (an SPKI, a PEM
 * certificate in UTF-16LE), the prime search then finds every copy of p and q, and the findings
 * carry the key's fingerprint, the same the harvested public key gives.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { rsaFingerprint } from '../../../src/engine/crypto/fingerprint.ts';
import { rsaHarvesters } from '../../../src/engine/harvest/index.ts';
import { createPrimeSearch } from '../../../src/engine/primes/prime-search.ts';
import { nodeFingerprint } from '../../fixtures/binary-keys.ts';
import { rsaKey } from '../../fixtures/keys.ts';
import { certificateDer, pemOf } from '../../fixtures/rsa-public.ts';
import { rsaLayoutImage } from '../../fixtures/rsa-layouts.ts';
import { harvestBuffer } from '../harvest/helpers.ts';
import { placed, searchBuffer } from './search-helpers.ts';

describe('harvest, then search', () => {
  it.each([1024, 2048])('RSA-%i: the SPKI in the image names the modulus, the search finds all 12 copies of the primes', async (bits) => {
    const module = await WebAssembly.compile(await readFile(new URL('../../../src/wasm/core.wasm', import.meta.url)));
    const key = rsaKey(bits);
    const image = rsaLayoutImage(key);
    const moduli = harvestBuffer(rsaHarvesters, image.bytes);
    // Only the SPKI names it: the private blobs and the PKCS#1 private key are no public-key form.
    expect(moduli.map((k) => [k.source, rsaFingerprint(k.n, k.e)])).toEqual([['spki', nodeFingerprint(key)]]);
    const findings = searchBuffer(createPrimeSearch(module), image.bytes, moduli, 4099);
    expect(placed(findings)).toEqual(image.truth.map(({ offset, length, encoding }) => ({ offset, length, encoding })).sort((a, b) => a.offset - b.offset));
  });

  it('a UTF-16LE PEM certificate alone is enough to find the limbs', async () => {
    const module = await WebAssembly.compile(await readFile(new URL('../../../src/wasm/core.wasm', import.meta.url)));
    const key = rsaKey(2048);
    const image = rsaLayoutImage(key);
    const pem = Buffer.from(pemOf('CERTIFICATE', certificateDer(key)), 'utf16le');
    // Blank out the binary SPKI so only the certificate names the key.
    image.bytes.fill(0, image.spki[0], image.spki[1]);
    const file = Buffer.concat([pem, image.bytes]);
    const moduli = harvestBuffer(rsaHarvesters, file);
    expect(moduli.map((k) => k.source)).toContain('x509');
    const findings = searchBuffer(createPrimeSearch(module), file, moduli, file.length + 1);
    expect(findings.length).toBe(image.truth.length);
    expect(new Set(findings.map((f) => f.fingerprint))).toEqual(new Set([nodeFingerprint(key)]));
  });
});
