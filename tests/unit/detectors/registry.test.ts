import { describe, expect, it } from 'vitest';
import { textKeyDetectors } from '../../../src/engine/detectors/registry.ts';
import * as keys from '../../fixtures/keys.ts';
import { embed, expectRedacted } from '../../fixtures/scan-window.ts';

describe('textKeyDetectors', () => {
  it('lists pem, base64-der, ppk, jwt, jwk and token, with ASCII anchors', () => {
    expect(textKeyDetectors.map((d) => d.id)).toEqual(['pem', 'base64-der', 'ppk', 'jwt', 'jwk', 'token']);
    for (const d of textKeyDetectors) for (const a of d.anchors) expect(a).toMatch(/^[\x20-\x7e]+$/);
  });

  it('together redact exactly the key blocks of a mixed buffer, whatever the chunk size', () => {
    const pemText = keys.rsaPem(2048, 'pkcs8');
    const json = JSON.stringify({ private_key: keys.ecPem('P-521', 'sec1') });
    const env = `KEY=${keys.headerless(keys.okpPem('ed25519'), false)}`;
    const ppkText = keys.ppkText({ version: 3 });
    const parts = [
      { e: embed(pemText), range: [pemText.indexOf('-----BEGIN'), pemText.lastIndexOf('-----') + 5] },
      { e: embed(json, { wide: true, odd: true }), range: [json.indexOf('-----BEGIN'), json.lastIndexOf('-----') + 5] },
      { e: embed(env, { wide: true }), range: [4, env.length] },
      { e: embed(ppkText, { odd: true }), range: [0, ppkText.length - 1] },
      { e: embed(keys.certificatePem()), range: null },
    ];
    let base = 0;
    const expected: [number, number][] = [];
    for (const { e, range } of parts) {
      if (range) {
        const [s, t] = e.range(range[0]!, range[1]!);
        expected.push([s + base, t + base]);
      }
      base += e.bytes.length;
    }
    const bytes = Buffer.concat(parts.map((p) => p.e.bytes));
    const findings = expectRedacted(textKeyDetectors, bytes, expected, [1, 7, 17, 4099, 1 << 24]);
    // Each key once: a PEM body's headerless-DER finding lies inside its PEM block and is dropped.
    const detectors = findings.map((f) => f.detector).sort();
    expect(detectors).toEqual(['base64-der', 'pem', 'pem', 'ppk']);
  });
});
