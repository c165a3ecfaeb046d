import { describe, expect, it } from 'vitest';
import { isExample, isPlaceholder } from '../../../../src/engine/detectors/tokens/precision.ts';
import { token, tokenRules } from '../../../../src/engine/detectors/tokens/index.ts';
import { rng } from '../../../fixtures/random.ts';
import { embed, scanBuffer } from '../../../fixtures/scan-window.ts';
import { BASE32, chars, crcToken } from '../../../fixtures/tokens.ts';

const scan = (text: string, wide = false) => scanBuffer(token, embed(text, { wide }).bytes, 1 << 24);

describe('published example keys: low, kind kept, encoding -example, never zeroed', () => {
  it.each([
    ['AWS documentation key id', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n', 'aws-access-key-id'],
    ['AWS documentation secret', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n', 'aws-secret-access-key'],
    ['any key id ending in EXAMPLE', `id=AKIA${chars(rng(3), BASE32, 9)}EXAMPLE\n`, 'aws-access-key-id'],
  ])('%s', (_, text, kind) => {
    for (const wide of [false, true]) {
      const findings = scan(text, wide);
      expect(findings).toEqual([
        expect.objectContaining({ kind, confidence: 'low', encoding: `ascii${wide ? '-utf16le' : ''}-example` }),
      ]);
      expect(findings[0]!.secret).toBeUndefined();
    }
  });

  it('isExample', () => {
    expect(isExample('AKIAIOSFODNN7EXAMPLE')).toBe(true);
    expect(isExample('AKIAIOSFODNN7EXAMPLX')).toBe(false);
  });
});

describe('placeholders are not secrets', () => {
  it.each(['${GITHUB_TOKEN}', '{{ secret }}', '<token>', '%s', '****', 'xxxxxxxxxxxxxxxx', 'XXXXXXXX-XXXX', 'changeme', 'password', 'aaaaaaaaaaaaaaaaaaaa'])(
    '%s',
    (text) => expect(isPlaceholder(text)).toBe(true),
  );

  it('but a random token holding four x is a secret', () => {
    expect(isPlaceholder('ghp_a8Zxxxxq0P3mLw9Rt2Yv6Kb1Nc4Hd7Jf5Gs0')).toBe(false);
  });

  it('masked tokens in text yield no finding', () => {
    expect(scan(`AccountName=a;AccountKey=${'x'.repeat(86)}==;`)).toEqual([]);
    expect(scan(`token=ghp_${'X'.repeat(36)}\n`)).toEqual([]);
    expect(scan(`key=AKIA${'A'.repeat(16)}\n`)).toEqual([]);
  });

  it('a valid token beside a placeholder is still found', () => {
    const t = crcToken(rng(9), 'ghp_');
    expect(scan(`a=\${TOKEN} b=${t}\n`)).toEqual([expect.objectContaining({ kind: 'github-token', confidence: 'high' })]);
  });
});

describe('rule catalogue', () => {
  const count = (p: string) => tokenRules.filter((r) => r.priority === p).length;

  it('has the P0 and P1 rule counts the README claims', () => {
    expect({ p0: count('P0'), p1: count('P1'), total: tokenRules.length }).toEqual({ p0: 37, p1: 25, total: 62 });
    // Catalogue rows covered: T4–T12, T14–T36 but T37, T38–T39 (T13 JWT is the jwt detector's).
    const refs = [...new Set(tokenRules.map((r) => r.ref))].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
    expect(refs).toEqual([
      'T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'T10', 'T11', 'T12', 'T14', 'T15', 'T16', 'T17', 'T18', 'T19', 'T20', 'T21',
      'T22', 'T23', 'T24', 'T25', 'T26', 'T27', 'T28', 'T29', 'T30', 'T31', 'T32', 'T33', 'T34', 'T35', 'T36', 'T38', 'T39',
    ]);
  });

  it('every rule has ASCII anchors and a kind', () => {
    for (const r of tokenRules) {
      expect(r.anchors.length, r.kind).toBeGreaterThan(0);
      for (const a of r.anchors) expect(a).toMatch(/^[\x20-\x7e]+$/);
    }
    for (const a of token.anchors) expect(a).toMatch(/^[\x20-\x7e]+$/);
  });
});
