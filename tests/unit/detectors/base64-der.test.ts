import { createPublicKey, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64Der } from '../../../src/engine/detectors/base64-der.ts';
import type { KeyKind } from '../../../src/engine/detectors/der-key-info.ts';
import type { Finding } from '../../../src/engine/types.ts';
import { MAX_MATCH_BYTES } from '../../../src/engine/window.ts';
import * as keys from '../../fixtures/keys.ts';
import { embed, expectRedacted as expectRedactedBy, scanBuffer } from '../../fixtures/scan-window.ts';

const expectRedacted = (bytes: Uint8Array, expected: [number, number][], chunkSizes?: number[]): Finding[] =>
  expectRedactedBy(base64Der, bytes, expected, chunkSizes);

const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');
const pkcs8 = { type: 'pkcs8', format: 'der' } as const;
const encrypted = { ...pkcs8, cipher: 'aes-256-cbc', passphrase: 'test' } as const;

/** OpenSSL's traditional DSAPrivateKey (version, p, q, g, y, x): same prefix as PKCS#1 RSA. */
function dsaTraditionalDer(): Buffer {
  const int = (bytes: Buffer) => keys.tlv(0x02, Buffer.concat([Buffer.from([0]), bytes]));
  const [p, q, g, y, x] = [256, 32, 256, 256, 32].map((n) => int(randomBytes(n)));
  return keys.tlv(0x30, keys.tlv(0x02, Buffer.from([0])), p!, q!, g!, y!, x!);
}

/** Every layout the anchors are derived from, generated fresh. */
const CASES: [string, () => Buffer, KeyKind][] = [
  ...[1024, 2048, 3072, 4096].flatMap((bits): [string, () => Buffer, KeyKind][] => [
    [`RSA-${bits} PKCS#1`, () => keys.rsaKey(bits).export({ type: 'pkcs1', format: 'der' }), 'rsa-private-key'],
    [`RSA-${bits} PKCS#8`, () => keys.rsaKey(bits).export(pkcs8), 'rsa-private-key'],
  ]),
  ...(['P-256', 'P-384', 'P-521', 'secp256k1'] as const).flatMap((c): [string, () => Buffer, KeyKind][] => [
    [`${c} SEC1`, () => keys.ecKey(c).export({ type: 'sec1', format: 'der' }), 'ec-private-key'],
    [`${c} PKCS#8`, () => keys.ecKey(c).export(pkcs8), 'ec-private-key'],
    [`${c} encrypted PKCS#8`, () => keys.ecKey(c).export(encrypted), 'encrypted-private-key'],
  ]),
  ['P-256 PKCS#8 without public key', () => keys.ecPkcs8WithoutPublicKey(), 'ec-private-key'],
  ['Ed25519', () => keys.okpKey('ed25519').export(pkcs8), 'ed25519-private-key'],
  ['X25519', () => keys.okpKey('x25519').export(pkcs8), 'x25519-private-key'],
  ['Ed448', () => keys.okpKey('ed448').export(pkcs8), 'private-key'],
  ['X448', () => keys.okpKey('x448').export(pkcs8), 'private-key'],
  ['Ed25519 encrypted PKCS#8', () => keys.okpKey('ed25519').export(encrypted), 'encrypted-private-key'],
  ['RSA-2048 encrypted PKCS#8', () => keys.rsaKey(2048).export(encrypted), 'encrypted-private-key'],
  ['DSA traditional', dsaTraditionalDer, 'dsa-private-key'],
  ['PKCS#12', () => keys.pkcs12Der(), 'pkcs12'],
];

describe('base64-der: every key layout', () => {
  it('uses every anchor: each sits in the first chars of some generated layout', () => {
    const prefixes = CASES.map(([, make]) => b64(make()).slice(0, 32));
    for (const anchor of base64Der.anchors) expect(prefixes.some((p) => p.includes(anchor)), anchor).toBe(true);
  });

  it.each(CASES)('%s on one line in a JSON string: high, the whole run', (_, make, kind) => {
    const run = b64(make());
    const text = `{"key":"${run}"}`;
    const e = embed(text);
    const findings = expectRedacted(e.bytes, [e.range(8, 8 + run.length)]);
    expect(findings).toEqual([
      expect.objectContaining({ kind, detector: 'base64-der', confidence: 'high', encoding: 'base64-der' }),
    ]);
  });
});

describe('base64-der: forms', () => {
  const der = keys.rsaKey(2048).export(pkcs8);
  const run = b64(der);
  const wrapped = keys.wrap(run);
  const forms: [string, string, { wide?: boolean; odd?: boolean }, string][] = [
    ['environment variable', `PRIVATE_KEY=${run}`, {}, run],
    ['wrapped, LF', `\n${wrapped}\n`, {}, wrapped],
    ['wrapped, CRLF, odd offset', `\r\n${keys.crlf(wrapped)}\r\n`, { odd: true }, keys.crlf(wrapped)],
    ['wrapped, JSON-escaped', `"${keys.jsonEscape(`${wrapped}\n`)}"`, {}, keys.jsonEscape(wrapped)],
    ['UTF-16LE, even offset', `'${run}'`, { wide: true }, run],
    ['UTF-16LE, odd offset, wrapped', `\n${wrapped}\n`, { wide: true, odd: true }, wrapped],
    ['PEM body (the armour is pem.ts\'s job)', keys.rsaPem(2048, 'pkcs8'), {}, wrapped],
  ];

  it.each(forms)('%s', (_, text, options, body) => {
    const e = embed(text, options);
    const at = text.indexOf(body);
    const findings = expectRedacted(e.bytes, [e.range(at, at + body.length)]);
    const encoding = options.wide ? 'base64-der-utf16le' : 'base64-der';
    expect(findings).toMatchObject([{ kind: 'rsa-private-key', confidence: 'high', encoding }]);
  });

  it('in random noise, delimited only by the quotes around it', () => {
    const text = `"${run}"`;
    const e = embed(text, { before: randomBytes(777), after: randomBytes(555) });
    expect(expectRedacted(e.bytes, [e.range(1, 1 + run.length)])).toHaveLength(1);
  });

  it('right after leftover bytes that are base64 chars (a freed buffer): found from its DER prefix on', () => {
    for (const junk of ['x', 'AbC', 'q9+/']) {
      const e = embed(`${junk}${run}`, { before: randomBytes(100) });
      const findings = expectRedacted(e.bytes, [e.range(junk.length, junk.length + run.length)]);
      expect(findings).toMatchObject([{ kind: 'rsa-private-key', confidence: 'high' }]);
    }
  });

  it('stops at the line break where the key is complete, even when base64 follows', () => {
    const ed = b64(keys.okpKey('ed25519').export(pkcs8)); // 48 bytes: 64 chars, no padding
    const text = `${ed}\nQUJDREVGR0g=\n`;
    const e = embed(text);
    expect(expectRedacted(e.bytes, [e.range(0, ed.length)])).toMatchObject([{ confidence: 'high' }]);
  });
});

describe('base64-der: not findings', () => {
  const run = b64(keys.rsaKey(2048).export(pkcs8));
  const negatives: [string, () => string][] = [
    ['certificate (MII…)', () => b64(keys.certificateDer())],
    ['certificate, wrapped', () => `\n${keys.wrap(b64(keys.certificateDer()))}\n`],
    ...[keys.rsaKey(2048), keys.ecKey('P-256'), keys.okpKey('ed25519')].map((key): [string, () => string] => [
      `public key ${key.asymmetricKeyType}`,
      () => b64(createPublicKey(key).export({ type: 'spki', format: 'der' })),
    ]),
    ['DER prefix broken by a non-base64 char', () => `${run.slice(0, 3)}!${run.slice(4)}`],
    ['anchor in place but the outer tag is not SEQUENCE', () => `N${run.slice(1)}`],
    ['anchor in place but the declared length cannot hold the key', () => `MAA${run.slice(3, 40)}`],
    ['random base64', () => keys.wrap(randomBytes(96_000).toString('base64'))],
  ];

  it.each(negatives)('%s', (_, make) => {
    for (const wide of [false, true]) expect(expectRedacted(embed(make(), { wide }).bytes, [])).toEqual([]);
  });
});

describe('base64-der: truncated runs', () => {
  const run = b64(keys.rsaKey(3072).export({ type: 'pkcs1', format: 'der' }));
  const cut = 1000;

  it('cut by a non-text byte: medium, through the end of the run', () => {
    for (const options of [{}, { wide: true, odd: true }]) {
      const e = embed(`"${run.slice(0, cut)}`, options);
      const findings = expectRedacted(e.bytes, [e.range(1, 1 + cut)]);
      expect(findings).toMatchObject([{ kind: 'rsa-private-key', confidence: 'medium' }]);
    }
  });

  it('cut at the end of the file', () => {
    const e = embed(`=${run.slice(0, cut)}`, { after: new Uint8Array(0) });
    expect(expectRedacted(e.bytes, [e.range(1, 1 + cut)])).toMatchObject([{ confidence: 'medium' }]);
  });

  it('wrapped and cut by text garbage mid-line', () => {
    const wrapped = keys.wrap(run.slice(0, cut));
    const e = embed(`\n${wrapped}#garbage`);
    expect(expectRedacted(e.bytes, [e.range(1, 1 + wrapped.length)])).toMatchObject([{ confidence: 'medium' }]);
  });

  it('ended by a blank line', () => {
    const wrapped = keys.wrap(run.slice(0, cut));
    const e = embed(`\n${wrapped}\n\nQUJD\n`);
    expect(expectRedacted(e.bytes, [e.range(1, 1 + wrapped.length)])).toMatchObject([{ confidence: 'medium' }]);
  });
});

describe('base64-der: long runs', () => {
  it('a run longer than the first read (PKCS#12, 40 K chars) is found whole', () => {
    const wrapped = keys.wrap(b64(keys.pkcs12Der(30_000)));
    const e = embed(`\n${wrapped}\n`, { wide: true, odd: true });
    const findings = expectRedacted(e.bytes, [e.range(1, 1 + wrapped.length)]);
    expect(findings).toMatchObject([{ kind: 'pkcs12', confidence: 'high' }]);
  });

  it('a run longer than MAX_MATCH_BYTES is cut within MAX_MATCH_BYTES of its start', () => {
    // 60 KB of DER (the most a 2-byte DER length allows) is 80 K chars, 160 KiB in UTF-16LE.
    const text = `"${b64(keys.pkcs12Der(60_000))}"`;
    const e = embed(text, { wide: true });
    const [start] = e.range(1, 1);
    const [finding] = scanBuffer(base64Der, e.bytes, e.bytes.length);
    expect(finding).toMatchObject({ offset: start, confidence: 'medium' });
    expect(finding!.length).toBeLessThanOrEqual(MAX_MATCH_BYTES);
    expect(finding!.length).toBeGreaterThan(MAX_MATCH_BYTES - 128);
    expect(expectRedacted(e.bytes, [[start, start + finding!.length]], [7, 4099, 65_536])).toHaveLength(1);
  });
});

describe('base64-der: several runs and chunk boundaries', () => {
  it('reports each run of a mixed buffer exactly, whatever the chunk size', () => {
    const runs = [
      b64(keys.ecKey('P-384').export({ type: 'sec1', format: 'der' })),
      keys.wrap(b64(keys.okpKey('x25519').export(encrypted))),
      b64(keys.ecKey('secp256k1').export(pkcs8)),
    ];
    const parts = runs.map((r, i) => embed(`"${r}"`, { wide: i === 1, odd: i === 2 }));
    let base = 0;
    const expected = parts.map((p, i) => {
      const [s, t] = p.range(1, 1 + runs[i]!.length);
      const shifted: [number, number] = [s + base, t + base];
      base += p.bytes.length;
      return shifted;
    });
    const bytes = Buffer.concat(parts.map((p) => p.bytes));
    expect(expectRedacted(bytes, expected, [1, 2, 3, 7, 17, 64, 4099, 1 << 24])).toHaveLength(3);
  });
});
