import { createSecretKey, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jwk } from '../../../../src/engine/detectors/jose/jwk.ts';
import type { Finding } from '../../../../src/engine/types.ts';
import { nodeFingerprint } from '../../../fixtures/binary-keys.ts';
import { ecKey, okpKey, rsaKey, type EcCurve, type OkpType } from '../../../fixtures/keys.ts';
import { embed, expectRedacted, scanBuffer } from '../../../fixtures/scan-window.ts';

const exportJwk = (key: KeyObject) => key.export({ format: 'jwk' }) as JsonWebKey & Record<string, string>;
const PRIVATE = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

/** Char ranges of the private members' values in `text` (each value occurs once). */
function privateRanges(text: string, members: Record<string, string>): [number, number][] {
  return Object.entries(members)
    .filter(([name]) => PRIVATE.includes(name))
    .map(([, value]): [number, number] => [text.indexOf(value), text.indexOf(value) + value.length])
    .sort((a, b) => a[0] - b[0]);
}

function expectJwk(text: string, members: Record<string, string>, options: { wide?: boolean; odd?: boolean } = {}): Finding[] {
  const e = embed(text, options);
  return expectRedacted(jwk, e.bytes, privateRanges(text, members).map(([s, t]) => e.range(s, t)));
}

/** The JWK with one char of member `name` changed (to another base64url char). */
function tamper(members: Record<string, string>, name: string): Record<string, string> {
  const v = members[name]!;
  const i = Math.floor(v.length / 2);
  return { ...members, [name]: v.slice(0, i) + (v[i] === 'A' ? 'B' : 'A') + v.slice(i + 1) };
}

describe('jwk', () => {
  it('RSA: each private member value is its own high finding, with the SPKI fingerprint and the full key for the sweep', () => {
    const key = rsaKey(2048);
    const members = exportJwk(key);
    const text = JSON.stringify(members);
    const findings = expectJwk(text, members);
    expect(findings).toHaveLength(6);
    for (const f of findings) {
      expect(f).toMatchObject({ kind: 'rsa-private-key', detector: 'jwk', confidence: 'high', encoding: 'jwk', fingerprint: nodeFingerprint(key) });
    }
    const secret = findings[0]!.secret!;
    expect(secret.kind).toBe('rsa-private-key');
    if (secret.kind === 'rsa-private-key') expect(secret.d).toBe(BigInt('0x' + Buffer.from(members.d!, 'base64url').toString('hex')));
  });

  it.each(['P-256', 'P-384', 'P-521', 'secp256k1'] as EcCurve[])('EC %s: d is high when d·G = (x, y)', (curve) => {
    const key = ecKey(curve);
    const members = exportJwk(key);
    const [f] = expectJwk(JSON.stringify(members, null, 2), members);
    expect(f).toMatchObject({ kind: 'ec-private-key', confidence: 'high', fingerprint: nodeFingerprint(key) });
    expect(f!.secret).toMatchObject({ kind: 'ec-private-key', curve });
  });

  it.each(['ed25519', 'x25519', 'ed448', 'x448'] as OkpType[])('OKP %s: d is high when it derives x', (type) => {
    const key = okpKey(type);
    const members = exportJwk(key);
    const [f] = expectJwk(JSON.stringify(members), members);
    expect(f).toMatchObject({ kind: `${type}-private-key`, confidence: 'high', fingerprint: nodeFingerprint(key) });
    expect(f!.secret).toEqual({ kind: `${type}-private-key`, fingerprint: nodeFingerprint(key), seed: new Uint8Array(Buffer.from(members.d!, 'base64url')) });
  });

  it('oct: a k of 16 bytes or more is high and swept; a shorter one medium', () => {
    const key = randomBytes(32);
    const members = { ...exportJwk(createSecretKey(key)), alg: 'HS256', kid: 'signing-1' };
    const [f] = expectJwk(JSON.stringify(members), members);
    expect(f).toMatchObject({ kind: 'symmetric-key', confidence: 'high' });
    expect(f!.secret).toMatchObject({ kind: 'symmetric-key', key: new Uint8Array(key) });
    const short = exportJwk(createSecretKey(randomBytes(12)));
    expect(expectJwk(JSON.stringify(short), short).map((x) => x.confidence)).toEqual(['medium']);
  });

  it('tampered twins (one char of a private member changed) are still redacted, but medium', () => {
    const cases: Record<string, string>[] = [
      tamper(exportJwk(rsaKey(2048)), 'd'),
      tamper(exportJwk(rsaKey(2048)), 'q'),
      tamper(exportJwk(ecKey('P-256')), 'd'),
      tamper(exportJwk(okpKey('ed25519')), 'd'),
    ];
    for (const members of cases) {
      const findings = expectJwk(JSON.stringify(members), members);
      expect(new Set(findings.map((f) => f.confidence))).toEqual(new Set(['medium']));
      expect(findings.every((f) => f.secret === undefined)).toBe(true);
    }
  });

  it('a truncated object: the values read are medium, a cut value is redacted to where it stops', () => {
    const members = exportJwk(rsaKey(2048));
    const text = JSON.stringify(members);
    const cutAt = text.indexOf(members.q!) + 30;
    const e = embed(text.slice(0, cutAt));
    const ranges: [number, number][] = ['d', 'p'].map((m) => e.range(text.indexOf(members[m]!), text.indexOf(members[m]!) + members[m]!.length));
    ranges.push(e.range(text.indexOf(members.q!), cutAt));
    const findings = expectRedacted(jwk, e.bytes, ranges);
    expect(findings.map((f) => f.confidence)).toEqual(['medium', 'medium', 'medium']);
  });

  it('UTF-16LE at even and odd offsets', () => {
    const members = exportJwk(ecKey('P-256'));
    for (const odd of [false, true]) {
      const [f] = expectJwk(JSON.stringify(members), members, { wide: true, odd });
      expect(f).toMatchObject({ confidence: 'high', encoding: 'jwk-utf16le' });
    }
  });

  it('a JWK escaped inside a JSON string, and a JWKS with several keys', () => {
    const ec = exportJwk(ecKey('P-384'));
    const escaped = JSON.stringify({ config: JSON.stringify(ec) });
    const e = embed(escaped);
    const at = escaped.indexOf(ec.d!);
    const [f] = expectRedacted(jwk, e.bytes, [e.range(at, at + ec.d!.length)]);
    expect(f).toMatchObject({ confidence: 'high', encoding: 'jwk-escaped' });

    const keys = [exportJwk(rsaKey(2048)), exportJwk(okpKey('ed25519')), exportJwk(createSecretKey(randomBytes(32)))];
    const jwks = JSON.stringify({ keys });
    const ranges = keys.flatMap((k) => privateRanges(jwks, k));
    const j = embed(jwks);
    const findings = expectRedacted(jwk, j.bytes, ranges.sort((a, b) => a[0] - b[0]).map(([s, t]) => j.range(s, t)));
    expect(findings.map((x) => x.confidence)).toEqual(Array(8).fill('high'));
  });

  it('ignores public JWKs, unknown kty, short private values and `"kty"` in other JSON', () => {
    const pub = exportJwk(rsaKey(2048));
    const texts = [
      JSON.stringify({ kty: pub.kty, n: pub.n, e: pub.e }),
      JSON.stringify({ kty: 'XYZ', d: 'A'.repeat(43) }),
      JSON.stringify({ kty: 'EC', crv: 'P-256', d: 'short' }),
      '{"ktype":"EC","d":"' + 'B'.repeat(43) + '"}',
      '"kty": "RSA" with no object around it',
    ];
    for (const text of texts) expect(scanBuffer(jwk, embed(text).bytes, 1 << 20), text).toEqual([]);
  });
});
