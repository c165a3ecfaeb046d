import { describe, expect, it } from 'vitest';
import { token } from '../../../../src/engine/detectors/tokens/index.ts';
import { createSweepDetector } from '../../../../src/engine/sweep/sweep-detector.ts';
import { rng } from '../../../fixtures/random.ts';
import { scanBuffer } from '../../../fixtures/scan-window.ts';
import { crcToken } from '../../../fixtures/tokens.ts';
import { layout } from '../../sweep/helpers.ts';

describe('a confirmed token joins the derived sweep', () => {
  it('its base64 copy (a Basic auth header) is found from the secret it attaches', () => {
    const tok = crcToken(rng(77), 'ghp_');
    const basic = Buffer.from(`x-access-token:${tok}`).toString('base64');
    const file = layout(`GITHUB_TOKEN=${tok}`, `Authorization: Basic ${basic}\r\n`);
    // The variable's value is also an environment secret (a NUL before its name): the token's own finding is wanted.
    const found = scanBuffer(token, file.bytes, 4096).find((f) => f.kind === 'github-token');
    expect(found).toMatchObject({ kind: 'github-token', confidence: 'high', secret: { kind: 'text-secret', text: tok } });

    const swept = scanBuffer(createSweepDetector([found!.secret!]), file.bytes, 4096);
    const [headerStart, headerEnd] = file.range(1);
    expect(swept.some((f) => f.offset >= headerStart && f.offset + f.length <= headerEnd && f.encoding.startsWith('base64'))).toBe(true);
  });

  it('a low finding (bad checksum) attaches no secret, so nothing is swept for it', () => {
    const tok = crcToken(rng(78), 'ghp_');
    const bad = tok.slice(0, -1) + (tok.endsWith('A') ? 'B' : 'A');
    const findings = scanBuffer(token, layout(`t=${bad}`).bytes, 4096);
    expect(findings).toEqual([expect.objectContaining({ kind: 'github-token', confidence: 'low' })]);
    expect(findings[0]!.secret).toBeUndefined();
  });
});
