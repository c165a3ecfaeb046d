import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { searchHmacKey, HMAC_SEARCH_RADIUS } from '../../../../src/engine/detectors/jose/hmac-key-search.ts';
import { jwt } from '../../../../src/engine/detectors/jose/jwt.ts';
import type { Finding } from '../../../../src/engine/types.ts';
import { flipBit, randomKey } from '../../../fixtures/binary-keys.ts';
import { heapFiller, hsToken, type HsAlg } from '../../../fixtures/jose.ts';
import { expectRedacted, scanBuffer } from '../../../fixtures/scan-window.ts';

const KIB = 1024;
const keyFindings = (findings: Finding[]) => findings.filter((f) => f.kind === 'hmac-key');
const fingerprint = (key: Uint8Array) => 'sha256:' + createHash('sha256').update(key).digest('hex').slice(0, 16);

/** Filler with `parts` written at the given offsets. */
function layout(size: number, parts: [number, Uint8Array | string][]): Buffer {
  const bytes = heapFiller(size, 7);
  for (const [at, part] of parts) (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part)).copy(bytes, at);
  return bytes;
}

/** What searchHmacKey needs of an HS256 token. */
const targetOf = (token: string) => ({
  alg: 'HS256' as const,
  signingInput: Buffer.from(token.slice(0, token.lastIndexOf('.'))),
  signature: Buffer.from(token.slice(token.lastIndexOf('.') + 1), 'base64url'),
});

/** Chunkings that cut through the token and the key: small enough to, large enough to stay fast. */
const CHUNKS = [4099, 65536, 1 << 24];

describe('HMAC key search for HS* tokens', () => {
  it.each([
    ['HS256', 32],
    ['HS384', 48],
    ['HS512', 64],
  ] as [HsAlg, number][])('%s: a %d-byte key 8-aligned 3 KiB before the token is found, zeroed, and carries itself for the sweep', (alg, size) => {
    const key = randomKey(size);
    const token = hsToken(alg, key);
    const tokenAt = 40 * KIB + 5;
    const keyAt = tokenAt - 5 - 3 * KIB;
    // A second copy of the key far beyond the radius: not the detector's to find, the sweep's.
    const bytes = layout(300 * KIB, [[keyAt, key], [tokenAt, token + '\0'], [250 * KIB, key]]);
    const findings = expectRedacted(jwt, bytes, [[keyAt, keyAt + size], [tokenAt, tokenAt + token.length]], CHUNKS);
    const [k] = keyFindings(findings);
    expect(keyFindings(findings)).toHaveLength(1);
    expect(k).toMatchObject({ offset: keyAt, length: size, detector: 'jwt', confidence: 'high', encoding: 'raw', fingerprint: fingerprint(key) });
    expect(k!.secret).toEqual({ kind: 'symmetric-key', key: new Uint8Array(key) });
  });

  it('a key one bit off signs nothing: the token is found, no key', () => {
    const key = randomKey(32);
    const token = hsToken('HS256', key);
    const bytes = layout(64 * KIB, [[8 * KIB, flipBit(key, 5)], [12 * KIB, token + '\0']]);
    const findings = scanBuffer(jwt, bytes, bytes.length + 1);
    expect(findings.map((f) => f.kind)).toEqual(['jwt']);
  });

  it('a text key near the token, in ASCII and in UTF-16LE: the text is zeroed and swept as text', () => {
    const secret = 'correct-horse-battery-staple-42';
    const token = hsToken('HS256', secret);
    for (const wide of [false, true]) {
      const config = `JWT_SECRET=${secret}`;
      const encoded = Buffer.from(config + '\0', wide ? 'utf16le' : 'latin1');
      const configAt = 6 * KIB + 1;
      const bytes = layout(32 * KIB, [[configAt, encoded], [20 * KIB, token + '\0']]);
      const step = wide ? 2 : 1;
      const valueAt = configAt + 'JWT_SECRET='.length * step;
      const findings = expectRedacted(jwt, bytes, [[valueAt, valueAt + secret.length * step], [20 * KIB, 20 * KIB + token.length]], CHUNKS);
      const [k] = keyFindings(findings);
      expect(k).toMatchObject({ confidence: 'high', encoding: wide ? 'ascii-utf16le' : 'ascii' });
      expect(k!.secret).toEqual({ kind: 'text-secret', text: secret });
      expect(k!.fingerprint).toBeUndefined();
    }
  });

  it('a base64 text key (quoted JSON value) is found as the bytes it encodes', () => {
    const key = randomBytes(32);
    const token = hsToken('HS256', key);
    const json = `{"issuer":"auth","signingKey":"${key.toString('base64')}"}`;
    const bytes = layout(32 * KIB, [[20 * KIB, token + '\0'], [25 * KIB, json + '\0']]);
    const at = 25 * KIB + json.indexOf(key.toString('base64'));
    const findings = scanBuffer(jwt, bytes, bytes.length + 1);
    const [k] = keyFindings(findings);
    expect(k).toMatchObject({ offset: at, length: 44, encoding: 'base64', confidence: 'high' });
    expect(k!.secret).toEqual({ kind: 'symmetric-key', key: new Uint8Array(key) });
  });

  it('a key beyond the search radius is not found (documented limit): only the token is', () => {
    const key = randomKey(32);
    const token = hsToken('HS256', key);
    const tokenAt = 100 * KIB;
    const bytes = layout(200 * KIB, [[tokenAt - HMAC_SEARCH_RADIUS - 64, key], [tokenAt, token + '\0']]);
    expect(scanBuffer(jwt, bytes, bytes.length + 1).map((f) => f.kind)).toEqual(['jwt']);
  });

  it('two tokens sharing a key: one key finding; a key already proven costs one HMAC', () => {
    const key = randomKey(32);
    const first = hsToken('HS256', key);
    const second = hsToken('HS256', key);
    const bytes = layout(64 * KIB, [[4 * KIB, key], [8 * KIB, first + '\0'], [9 * KIB, second + '\0']]);
    expect(scanBuffer(jwt, bytes, bytes.length + 1).map((f) => f.kind)).toEqual(['hmac-key', 'jwt', 'jwt']);
    const token = { start: 9 * KIB, end: 9 * KIB + second.length };
    const result = searchHmacKey(bytes, token, { lo: 0, hi: bytes.length }, targetOf(second), { knownKeys: [key] });
    expect(result).toMatchObject({ hmacs: 1, locations: [{ start: 4 * KIB, end: 4 * KIB + 32, encoding: 'raw', text: false }] });
  });

  it('stops at the HMAC cap on a random neighbourhood and says so', () => {
    const bytes = randomBytes(128 * KIB);
    const token = hsToken('HS256', randomKey(32));
    Buffer.from(token).copy(bytes, 64 * KIB);
    const token64 = { start: 64 * KIB, end: 64 * KIB + token.length };
    const result = searchHmacKey(bytes, token64, { lo: 0, hi: bytes.length }, targetOf(token), { maxHmacs: 100 });
    expect(result).toMatchObject({ key: null, locations: [], hmacs: 100, capped: true });
  });
});
