import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jwt } from '../../../../src/engine/detectors/jose/jwt.ts';
import { asymmetricToken, hsToken, jweToken, noneToken, signingInput } from '../../../fixtures/jose.ts';
import { ecKey, rsaKey } from '../../../fixtures/keys.ts';
import { embed, expectRedacted, scanBuffer } from '../../../fixtures/scan-window.ts';

const b64url = (s: string) => Buffer.from(s).toString('base64url');
const scan = (bytes: Uint8Array) => scanBuffer(jwt, bytes, bytes.length + 1);

/** The token embedded alone; asserts it is redacted exactly, whatever the chunking, and returns the findings. */
function expectToken(token: string, options: { wide?: boolean; odd?: boolean } = {}) {
  const e = embed(token, options);
  return expectRedacted(jwt, e.bytes, [e.range(0, token.length)]);
}

describe('jwt', () => {
  it('redacts a whole HS256 token: high, kind jwt, the token as a text secret', () => {
    const token = hsToken('HS256', randomBytes(32));
    const [f] = expectToken(token);
    expect(f).toMatchObject({ kind: 'jwt', detector: 'jwt', confidence: 'high', encoding: 'ascii' });
    expect(f!.secret).toEqual({ kind: 'text-secret', text: token });
  });

  it('finds RS256, ES256, alg:none and JWE tokens', () => {
    for (const token of [asymmetricToken('RS256', rsaKey(2048)), asymmetricToken('ES256', ecKey('P-256')), noneToken()]) {
      expect(expectToken(token).map((f) => [f.kind, f.confidence])).toEqual([['jwt', 'high']]);
    }
    expect(expectToken(jweToken()).map((f) => [f.kind, f.confidence])).toEqual([['jwe', 'high']]);
  });

  it('finds tokens in UTF-16LE at even and odd offsets', () => {
    const token = hsToken('HS512', randomBytes(64));
    for (const odd of [false, true]) {
      const [f] = expectToken(token, { wide: true, odd });
      expect(f).toMatchObject({ confidence: 'high', encoding: 'ascii-utf16le' });
    }
  });

  it('finds headers that start `{ "` and `{\\n` (anchors eyAi, ewog)', () => {
    for (const header of ['{ "alg": "RS256" }', '{\n  "alg": "RS256",\n  "typ": "JWT"\n}']) {
      const token = `${b64url(header)}.${b64url('{"sub":"x"}')}.${Buffer.from(randomBytes(256)).toString('base64url')}`;
      expect(expectToken(token).map((f) => f.confidence)).toEqual(['high']);
    }
  });

  it('inside JSON redacts exactly the token, not the quotes or neighbours', () => {
    const token = hsToken('HS256', randomBytes(32));
    const json = JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 });
    const e = embed(json);
    const at = json.indexOf(token);
    expectRedacted(jwt, e.bytes, [e.range(at, at + token.length)]);
  });

  it('a token straddling chunk edges is found whole once (chunk sizes 1, 7, 17, 4099)', () => {
    const tokens = [hsToken('HS256', 'k'.repeat(40)), asymmetricToken('RS256', rsaKey(2048))];
    const text = `Authorization: Bearer ${tokens[0]}\r\nX-Other: ${tokens[1]}\r\n`;
    const e = embed(text);
    const a = text.indexOf(tokens[0]!);
    const b = text.indexOf(tokens[1]!);
    const findings = expectRedacted(jwt, e.bytes, [e.range(a, a + tokens[0]!.length), e.range(b, b + tokens[1]!.length)]);
    expect(findings.filter((f) => f.kind === 'jwt')).toHaveLength(2);
  });

  it('a token whose signature is cut is medium, redacted up to the cut; a cut payload too', () => {
    const token = asymmetricToken('RS256', rsaKey(2048));
    const cutSignature = token.slice(0, token.lastIndexOf('.') + 40);
    expect(expectToken(cutSignature).map((f) => f.confidence)).toEqual(['medium']);
    const input = signingInput('HS256');
    const cutPayload = input.slice(0, input.length - 5);
    expect(expectToken(cutPayload).map((f) => f.confidence)).toEqual(['medium']);
    // Cut just after the second dot: no signature chars at all.
    expect(expectToken(`${input}.`).map((f) => f.confidence)).toEqual(['medium']);
  });

  it('negative twins: a header that is not JSON, one header char changed, two segments', () => {
    const token = hsToken('HS256', randomBytes(32));
    const notJson = `eyJ${Buffer.from(randomBytes(24)).toString('base64url')}${token.slice(token.indexOf('.'))}`;
    // Char 4 is inside `"alg"`: the header stays decodable but no longer names an alg.
    const changed = token.slice(0, 4) + (token[4] === 'b' ? 'c' : 'b') + token.slice(5);
    const twoSegments = signingInput('HS256');
    for (const text of [notJson, changed, twoSegments, 'eyJhbGciOiJIUzI1NiJ9']) {
      expect(scan(embed(text).bytes), text).toEqual([]);
    }
  });

  it('a payload that is not JSON leaves a complete token medium', () => {
    const token = `${b64url('{"alg":"HS256"}')}.${b64url('not json')}.${Buffer.from(randomBytes(32)).toString('base64url')}`;
    expect(expectToken(token).map((f) => f.confidence)).toEqual(['medium']);
  });
});
