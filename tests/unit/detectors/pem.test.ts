import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { KeyKind } from '../../../src/engine/detectors/der-key-info.ts';
import { pem } from '../../../src/engine/detectors/pem.ts';
import type { Finding } from '../../../src/engine/types.ts';
import { MAX_MATCH_BYTES } from '../../../src/engine/window.ts';
import * as keys from '../../fixtures/keys.ts';
import { embed, expectRedacted as expectRedactedBy, scanBuffer } from '../../fixtures/scan-window.ts';

/** [first `-` of BEGIN, just past the last `-` of END) in a text holding one PEM block. */
const armourRange = (text: string): [number, number] => [text.indexOf('-----BEGIN '), text.lastIndexOf('-----') + 5];

const expectRedacted = (bytes: Uint8Array, expected: [number, number][], chunkSizes?: number[]): Finding[] =>
  expectRedactedBy(pem, bytes, expected, chunkSizes);

/** One block in `text`, embedded as given; checks its range and returns its single finding. */
function expectBlock(text: string, options: { wide?: boolean; odd?: boolean } = {}): Finding {
  const e = embed(text, options);
  const findings = expectRedacted(e.bytes, [e.range(...armourRange(text))]);
  expect(findings).toHaveLength(1);
  return findings[0]!;
}

describe('pem: complete blocks of every key type', () => {
  const cases: [string, () => string, KeyKind][] = [
    ...[1024, 2048, 3072, 4096].map((bits): [string, () => string, KeyKind] => [
      `RSA-${bits} PKCS#1`,
      () => keys.rsaPem(bits),
      'rsa-private-key',
    ]),
    ['RSA-2048 PKCS#8', () => keys.rsaPem(2048, 'pkcs8'), 'rsa-private-key'],
    ...(['P-256', 'P-384', 'P-521', 'secp256k1'] as const).flatMap((c): [string, () => string, KeyKind][] => [
      [`${c} SEC1`, () => keys.ecPem(c, 'sec1'), 'ec-private-key'],
      [`${c} PKCS#8`, () => keys.ecPem(c, 'pkcs8'), 'ec-private-key'],
    ]),
    ['Ed25519', () => keys.okpPem('ed25519'), 'ed25519-private-key'],
    ['X25519', () => keys.okpPem('x25519'), 'x25519-private-key'],
    ['Ed448', () => keys.okpPem('ed448'), 'private-key'],
    ['DSA PKCS#8', () => keys.dsaKey().export({ type: 'pkcs8', format: 'pem' }) as string, 'dsa-private-key'],
    [
      'DSA PRIVATE KEY label',
      () => keys.armour('DSA PRIVATE KEY', keys.dsaKey().export({ type: 'pkcs8', format: 'der' })),
      'dsa-private-key',
    ],
    ['encrypted PKCS#8 (RSA)', () => keys.encryptedPem(keys.rsaKey(2048)), 'encrypted-private-key'],
    ['encrypted PKCS#8 (P-256)', () => keys.encryptedPem(keys.ecKey('P-256')), 'encrypted-private-key'],
    ['OpenSSH', () => keys.opensshPem(), 'openssh-private-key'],
    ['PGP', () => keys.pgpBlock(), 'pgp-private-key'],
    ['PGP without checksum', () => keys.pgpBlock({ checksum: 'none' }), 'pgp-private-key'],
  ];

  it.each(cases)('%s: high confidence, BEGIN through END', (_, make, kind) => {
    const text = make();
    expect(expectBlock(text)).toMatchObject({ kind, detector: 'pem', confidence: 'high', encoding: 'pem' });
  });
});

describe('pem: encodings', () => {
  const text = keys.rsaPem(2048, 'pkcs8');
  const variants: [string, string, { wide?: boolean; odd?: boolean }, string][] = [
    ['UTF-16LE, even offset', text, { wide: true }, 'pem-utf16le'],
    ['UTF-16LE, odd offset', text, { wide: true, odd: true }, 'pem-utf16le'],
    ['ASCII, odd offset, CRLF', keys.crlf(text), { odd: true }, 'pem'],
    ['JSON-escaped', keys.jsonEscape(text), {}, 'pem-escaped'],
    ['JSON-escaped CRLF', keys.jsonEscape(keys.crlf(text)), {}, 'pem-escaped'],
    ['JSON-escaped UTF-16LE, odd offset', keys.jsonEscape(text), { wide: true, odd: true }, 'pem-escaped-utf16le'],
    ['doubly JSON-escaped', JSON.stringify(JSON.stringify({ key: text })), {}, 'pem-escaped'],
    [
      'escaped `+` and `/` (System.Text.Json, PHP)',
      keys.jsonEscape(text).replace(/\+/g, '\\u002B').replace(/\//g, '\\/'),
      {},
      'pem-escaped',
    ],
    [
      'GCP service-account JSON',
      JSON.stringify({ type: 'service_account', private_key_id: 'a1', private_key: text, client_id: '1' }, null, 2),
      {},
      'pem-escaped',
    ],
  ];

  it.each(variants)('%s', (_, variant, options, encoding) => {
    expect(expectBlock(variant, options)).toMatchObject({ kind: 'rsa-private-key', confidence: 'high', encoding });
  });

  it('finds a block embedded in random noise without delimiters', () => {
    const e = embed(text, { before: randomBytes(1001), after: randomBytes(999) });
    expect(expectRedacted(e.bytes, [e.range(...armourRange(text))])).toHaveLength(1);
  });
});

describe('pem: medium confidence', () => {
  it('legacy encrypted PEM (Proc-Type/DEK-Info headers): the body is ciphertext', () => {
    const options = { type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'test' } as const;
    const text = keys.rsaKey(2048).export(options) as string;
    expect(text).toContain('DEK-Info: ');
    expect(expectBlock(text)).toMatchObject({ kind: 'rsa-private-key', confidence: 'medium' });
  });

  it('PGP block whose CRC-24 does not match', () => {
    const finding = expectBlock(keys.pgpBlock({ checksum: 'bad' }));
    expect(finding).toMatchObject({ kind: 'pgp-private-key', confidence: 'medium' });
  });

  it('END label that differs from the BEGIN label', () => {
    const text = keys.rsaPem(2048).replace('-----END RSA PRIVATE KEY-----', '-----END PRIVATE KEY-----');
    expect(expectBlock(text)).toMatchObject({ kind: 'rsa-private-key', confidence: 'medium' });
  });

  it('a body that is not the DER its label promises', () => {
    const text = keys.armour('EC PRIVATE KEY', randomBytes(121));
    expect(expectBlock(text)).toMatchObject({ kind: 'ec-private-key', confidence: 'medium' });
  });
});

describe('pem: not findings', () => {
  const negatives: [string, () => string][] = [
    ['RSA public key', () => keys.publicPem(keys.rsaKey(2048))],
    ['EC public key', () => keys.publicPem(keys.ecKey('P-256'))],
    ['certificate', () => keys.certificatePem()],
    ['BEGIN and END in prose', () => 'Keys start -----BEGIN EC PRIVATE KEY----- and end -----END EC PRIVATE KEY-----.'],
    ['format string', () => '-----BEGIN RSA PRIVATE KEY-----\n%s\n-----END RSA PRIVATE KEY-----\n'],
    ['empty block', () => '-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n'],
    ['BEGIN line alone (C string literal)', () => '-----BEGIN OPENSSH PRIVATE KEY-----'],
    ['END line after a short word', () => 'Paste it here\n-----END PRIVATE KEY-----\n'],
    ['BEGIN with a lowercase label', () => `-----BEGIN rsa private key-----\n${'A'.repeat(64)}\n`],
  ];

  it.each(negatives)('%s', (_, make) => {
    for (const wide of [false, true]) expect(expectRedacted(embed(make(), { wide }).bytes, [])).toEqual([]);
  });
});

describe('pem: truncated blocks (BEGIN without END)', () => {
  const text = keys.rsaPem(2048, 'pkcs8');
  /** Cut in the middle of the 10th body line. */
  const cut = text.split('\n').slice(0, 10).join('\n').length + 30;

  it('cut mid-body by a non-text byte: BEGIN through the last body char, medium, kind from the DER prefix', () => {
    for (const options of [{}, { wide: true, odd: true }]) {
      const e = embed(text.slice(0, cut), options);
      const findings = expectRedacted(e.bytes, [e.range(0, cut)]);
      expect(findings).toMatchObject([{ kind: 'rsa-private-key', confidence: 'medium' }]);
    }
  });

  it('cut at the end of the file', () => {
    const e = embed(text.slice(0, cut), { after: new Uint8Array(0) });
    expect(expectRedacted(e.bytes, [e.range(0, cut)])).toMatchObject([{ confidence: 'medium' }]);
  });

  it('cut by text garbage: the base64 before the first non-base64 char stays in', () => {
    const e = embed(`${text.slice(0, cut)}!~ free heap text ~`);
    expect(expectRedacted(e.bytes, [e.range(0, cut)])).toMatchObject([{ confidence: 'medium' }]);
  });

  it('followed by a blank line and other text: ends at the last body line', () => {
    const lineEnd = text.indexOf('\n', cut);
    const e = embed(`${text.slice(0, lineEnd)}\n\nsome other text here\n`);
    expect(expectRedacted(e.bytes, [e.range(0, lineEnd)])).toHaveLength(1);
  });

  it('cut inside an escaped JSON string', () => {
    const escaped = keys.jsonEscape(text);
    const at = escaped.indexOf('\\n', 400);
    const e = embed(escaped.slice(0, at + 2) + 'MIIB', { wide: true });
    const findings = expectRedacted(e.bytes, [e.range(0, at + 6)]);
    expect(findings).toMatchObject([{ confidence: 'medium', encoding: 'pem-escaped-utf16le' }]);
  });

  it('a short body is low confidence (review only)', () => {
    const short = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEF';
    const e = embed(short);
    expect(expectRedacted(e.bytes, [e.range(0, short.length)])).toMatchObject([{ confidence: 'low' }]);
  });

  it('a body of fewer than 16 base64 chars is no finding', () => {
    expect(expectRedacted(embed('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN').bytes, [])).toEqual([]);
  });
});

describe('pem: END without BEGIN (header overwritten)', () => {
  const text = keys.rsaPem(3072);
  const [, end] = armourRange(text);
  const bodyAt = text.indexOf('\n') + 1;

  it('walks back over the surviving body, in ASCII and UTF-16LE', () => {
    const from = bodyAt + 200; // mid-line
    for (const options of [{}, { wide: true }, { wide: true, odd: true }]) {
      const e = embed(text.slice(from), options);
      const findings = expectRedacted(e.bytes, [e.range(0, end - from)]);
      expect(findings).toMatchObject([{ kind: 'rsa-private-key', confidence: 'medium' }]);
    }
  });

  it('keeps the base64 tail of the line the garbage stopped in', () => {
    const from = bodyAt + 200;
    const garbled = `heap junk: ##${text.slice(from)}`;
    const e = embed(garbled);
    expect(expectRedacted(e.bytes, [e.range(13, garbled.length - (text.length - end))])).toHaveLength(1);
  });

  it('stops below a BEGIN line of another kind', () => {
    const garbled = `-----BEGIN CERTIFICATE-----\n${text.slice(bodyAt)}`;
    const e = embed(garbled);
    const begin = garbled.indexOf('\n') + 1;
    expect(expectRedacted(e.bytes, [e.range(begin, armourRange(garbled)[1])])).toMatchObject([
      { kind: 'rsa-private-key', confidence: 'medium' },
    ]);
  });

  it('escaped, inside JSON', () => {
    const escaped = keys.jsonEscape(keys.ecPem('P-384', 'pkcs8'));
    const from = escaped.indexOf('\\n') + 2 + 20;
    const json = `{"private_key": "\x7f${escaped.slice(from)}"}`;
    const e = embed(json);
    expect(expectRedacted(e.bytes, [e.range(json.indexOf('\x7f') + 1, json.lastIndexOf('-----') + 5)])).toMatchObject([
      { kind: 'private-key', confidence: 'medium', encoding: 'pem-escaped' },
    ]);
  });

  it('a short tail is low confidence', () => {
    const tail = `Zm9vYmFyYmF6cXV4cXV1eA==\n-----END RSA PRIVATE KEY-----`;
    const e = embed(tail);
    expect(expectRedacted(e.bytes, [e.range(0, tail.length)])).toMatchObject([{ confidence: 'low' }]);
  });
});

describe('pem: long blocks', () => {
  it('a block longer than the first read (PGP, 40 K chars) is found whole', () => {
    const text = keys.pgpBlock({ size: 30_000 });
    expect(expectBlock(text, { wide: true, odd: true })).toMatchObject({ kind: 'pgp-private-key', confidence: 'high' });
  });

  it('a long body whose BEGIN is gone is walked back whole', () => {
    const text = keys.armour('PRIVATE KEY', randomBytes(30_000));
    const from = text.indexOf('\n') + 1;
    const e = embed(text.slice(from), { wide: true });
    const findings = expectRedacted(e.bytes, [e.range(0, armourRange(text)[1] - from)]);
    expect(findings).toMatchObject([{ confidence: 'medium' }]);
  });

  it('a body longer than MAX_MATCH_BYTES is redacted up to MAX_MATCH_BYTES from BEGIN', () => {
    const text = keys.armour('RSA PRIVATE KEY', randomBytes(120_000)).split('-----END')[0]!;
    for (const wide of [false, true]) {
      // The finding ends at the last body char inside the reach, not on a line break.
      const reachable = text.slice(0, MAX_MATCH_BYTES / (wide ? 2 : 1)).replace(/\n+$/, '');
      const e = embed(text, { wide });
      expect(expectRedacted(e.bytes, [e.range(0, reachable.length)], [7, 4099, 65_536, 1 << 24])).toMatchObject([
        { confidence: 'medium' },
      ]);
    }
  });
});

describe('pem: several blocks and chunk boundaries', () => {
  it('reports each block of a mixed buffer exactly, whatever the chunk size', () => {
    const a = keys.ecPem('P-256', 'sec1');
    const b = keys.jsonEscape(keys.okpPem('ed25519'));
    const c = keys.opensshPem();
    const ea = embed(a);
    const eb = embed(b, { wide: true, odd: true });
    const ec = embed(c, { odd: true });
    const bytes = Buffer.concat([ea.bytes, eb.bytes, ec.bytes]);
    const shift = (r: [number, number], by: number): [number, number] => [r[0] + by, r[1] + by];
    const expected = [
      ea.range(...armourRange(a)),
      shift(eb.range(...armourRange(b)), ea.bytes.length),
      shift(ec.range(...armourRange(c)), ea.bytes.length + eb.bytes.length),
    ];
    expect(expectRedacted(bytes, expected, [1, 2, 3, 7, 17, 64, 4099, 1 << 24])).toHaveLength(3);
  });
});

describe('pem: pathological input', () => {
  it('stays linear on very long lines (no regex backtracking)', () => {
    const cases = [
      `${'A'.repeat(60_000)}!\n${'QUJD'.repeat(10)}\n-----END PRIVATE KEY-----\n`,
      `-----BEGIN PRIVATE KEY-----\n${' '.repeat(60_000)}x\n`,
      `-----BEGIN PRIVATE KEY-----\n${'QUJD'.repeat(15_000)}${' '.repeat(30_000)}!\n`,
    ];
    const started = Date.now();
    for (const text of cases) scanBuffer(pem, embed(text, { wide: true }).bytes, 1 << 24);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
