/**
 * Context credentials beyond the per-rule table: environment blocks as processes hold them, which
 * rule owns a value several rules see, and one dump holding every kind in ASCII and UTF-16LE.
 */
import { describe, expect, it } from 'vitest';
import { jwt } from '../../../../src/engine/detectors/jose/jwt.ts';
import { token } from '../../../../src/engine/detectors/tokens/index.ts';
import { isSecretVariableName } from '../../../../src/engine/region-policy.ts';
import type { Finding } from '../../../../src/engine/types.ts';
import { rng } from '../../../fixtures/random.ts';
import { assemble, embed, noise, scanBuffer, unionRanges } from '../../../fixtures/scan-window.ts';
import { BASE62, chars, crcToken, credentialFixtures, jwtShaped, LOWER, password, secretOf } from '../../../fixtures/tokens.ts';

const zeroed = (findings: readonly Finding[]) => findings.filter((f) => f.confidence !== 'low');
const scan = (text: string, wide = false) => scanBuffer(token, embed(text, { wide }).bytes, 1 << 24);
const kinds = (findings: readonly Finding[]) => zeroed(findings).map((f) => f.kind);

/** `NAME=value` records joined by NULs and ended by two, as a Linux or Windows block holds them. */
function environmentBlock(entries: readonly string[], wide: boolean) {
  const text = entries.join('\0') + '\0\0';
  const placed = embed(text, { wide });
  const valueRange = (i: number): [number, number] => {
    const start = entries.slice(0, i).reduce((n, e) => n + e.length + 1, 0) + entries[i]!.indexOf('=') + 1;
    return placed.range(start, start + entries[i]!.length - entries[i]!.indexOf('=') - 1);
  };
  return { bytes: placed.bytes, valueRange };
}

describe('environment blocks', () => {
  const rand = rng(4242);
  const secrets = [`DB_PASSWORD=${password(rand)}`, `GITHUB_TOKEN=${chars(rand, BASE62, 30)}`, `Stripe_Api_Key=${chars(rand, BASE62, 20)}`];
  const plain = ['PATH=/usr/local/bin:/usr/bin', 'PWD=/home/x', 'OLDPWD=/tmp', 'SSH_AUTH_SOCK=/run/user/1000/ssh', 'LANG=C.UTF-8'];
  const entries = ['=C:=C:\\work', plain[0]!, secrets[0]!, plain[1]!, secrets[1]!, plain[2]!, plain[3]!, secrets[2]!, plain[4]!];

  it.each([
    ['Linux ASCII', false],
    ['Windows UTF-16LE', true],
  ])('%s: every secret value, no other byte', (_, wide) => {
    const block = environmentBlock(entries, wide);
    const findings = scanBuffer(token, block.bytes, 64);
    const expected = secrets.map((s) => block.valueRange(entries.indexOf(s)));
    expect(unionRanges(zeroed(findings))).toEqual(expected);
    expect(new Set(zeroed(findings).map((f) => `${f.kind}/${f.confidence}`))).toEqual(new Set(['environment-secret/medium']));
  });

  it('names the region policy judges secret: DSN and connection strings too', () => {
    for (const name of ['SENTRY_DSN', 'DATABASE_DSN', 'CONNECTION_STRING', 'ConnectionStrings__Main', 'SqlConnectionString']) {
      expect(isSecretVariableName(name), name).toBe(true);
    }
    for (const name of ['DSN_FILE', 'CONNECTION_TIMEOUT', 'CONNECTION']) expect(isSecretVariableName(name), name).toBe(false);
    const value = chars(rand, BASE62, 24);
    expect(kinds(scan(`SENTRY_DSN=https://${value}@o1.ingest.example.io/2`))).toContain('environment-secret');
  });

  it('the same text in a script, in source or mid-string is not a block', () => {
    const value = password(rand, 9); // under the generic rule's 10 chars: only the environment rule could take it
    for (const text of [`export DB_PASSWORD=${value}`, `  DB_PASSWORD=${value}`, `env: DB_PASSWORD=${value}`, `set DB_PASSWORD=${value}`]) {
      for (const wide of [false, true]) expect(kinds(scan(text, wide)), text).toEqual([]);
    }
    // A non-zero byte before the name: not a NUL-separated record.
    const { bytes } = assemble(noise(100), Uint8Array.of(0x01), `DB_PASSWORD=${value}`, noise(100));
    expect(kinds(scanBuffer(token, bytes, 1 << 24))).toEqual([]);
  });

  it('a value that is a known token keeps the token rule’s kind', () => {
    const tok = crcToken(rand, 'ghp_');
    const findings = zeroed(scan(`GITHUB_TOKEN=${tok}`));
    expect(findings).toEqual([expect.objectContaining({ kind: 'github-token', confidence: 'high' })]);
  });
});

describe('which rule owns a value', () => {
  const rand = rng(77);

  it('a Bearer JWT is the jwt detector’s alone', () => {
    const text = `Authorization: Bearer ${jwtShaped(rand)}\r\n`;
    expect(zeroed(scan(text))).toEqual([]);
    const both = zeroed(scanBuffer([jwt, token], embed(text).bytes, 1 << 24));
    expect(both.map((f) => f.detector)).toEqual(['jwt']);
  });

  it('a PAT in a URL is azure-devops-pat, not a URL password', () => {
    const pat = chars(rand, LOWER + '234567', 52);
    expect(kinds(scan(`https://build:${pat}@dev.azure.com/org/_git/repo`))).toEqual(['azure-devops-pat']);
  });

  it('a generic assignment whose value is a checked token yields to the token rule', () => {
    expect(kinds(scan(`{"token": "${crcToken(rand, 'ghp_')}"}`))).toEqual(['github-token']);
  });

  it('a connection-string password is high; the same strong password without a server key is generic (medium)', () => {
    const pw = password(rand);
    expect(zeroed(scan(`Server=db;Uid=sa;Password=${pw};`))).toEqual([
      expect.objectContaining({ kind: 'connection-string-password', confidence: 'high' }),
    ]);
    expect(zeroed(scan(`Color=blue;Password=${pw};`))).toEqual([expect.objectContaining({ kind: 'generic-secret', confidence: 'medium' })]);
  });

  it('generic: weak values are low (shown, not zeroed), code and locations are nothing', () => {
    expect(scan('password = "aaaabbbbaaaabbbb1"')).toEqual([expect.objectContaining({ kind: 'generic-secret', confidence: 'low' })]);
    for (const text of ['password = getPassword()', 'token = self.tokenProvider', 'secret: process.env.SECRET', 'token_url = "https://login.example/oauth2/token"']) {
      expect(scan(text), text).toEqual([]);
    }
  });

  it('a quoted passphrase without digits is still a value, not code', () => {
    expect(kinds(scan('"password": "CorrectHorseBatteryStaple"'))).toEqual(['generic-secret']);
  });
});

describe('one dump holding every context credential, in ASCII and UTF-16LE', () => {
  const rand = rng(2026);
  const samples = credentialFixtures.map((f) => f.valid(rand));

  it.each([
    ['ASCII', false],
    ['UTF-16LE', true],
  ])('%s: every secret zeroed, keys, hosts and user names untouched', (_, wide) => {
    const parts: (Uint8Array | string)[] = [];
    for (const s of samples) parts.push(noise(64 + parts.length), Buffer.from(s.text, wide ? 'utf16le' : 'latin1'));
    parts.push(noise(64));
    const { bytes, at } = assemble(...parts);
    const step = wide ? 2 : 1;
    const expected = samples.map((s, i): [number, number] => [at[2 * i + 1]! + s.secret[0] * step, at[2 * i + 1]! + s.secret[1] * step]);

    const findings = scanBuffer([jwt, token], bytes, 4096);
    expect(unionRanges(zeroed(findings))).toEqual(expected);

    const out = Buffer.from(bytes);
    for (const f of zeroed(findings)) out.fill(0, f.offset, f.offset + f.length);
    for (const s of samples) expect(out.includes(Buffer.from(secretOf(s), wide ? 'utf16le' : 'latin1'))).toBe(false);
    const keys = ['Authorization: Basic ', 'Password=', 'Server=db.internal', 'User Id=sa', 'Uid=sa', 'postgres://app:', '@db.internal:5432'];
    for (const kept of [...keys, 'mongodb+srv://reporting:', '"client_secret": "', 'client-key-data: ', '"auth": "', 'DB_PASSWORD=']) {
      expect(out.includes(Buffer.from(kept, wide ? 'utf16le' : 'latin1')), kept).toBe(true);
    }
  });
});
