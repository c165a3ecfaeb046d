/** The user's secrets and patterns through the whole pipeline (pass 2 and verification). */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectExactlyRedacted, occurrences, sanitizeBytes } from '../../fixtures/dump-checks.ts';

const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();

describe('sanitize with options.secrets and options.patterns', () => {
  it('zeroes every copy of every secret, verifies, and the manifest holds no form of them', async () => {
    const secrets = [0, 1].map(() => Buffer.concat([Buffer.of(0xfb, 0xff), randomBytes(19)]).toString('base64'));
    // Not hex, so that it cannot occur by chance inside the manifest's SHA-256 strings.
    const short = `Q${randomBytes(6).toString('base64url').slice(0, 5)}`;
    const input = randomBytes(1 << 20);
    const plant = (at: number, bytes: Buffer) => bytes.copy(input, at);
    plant(1_001, Buffer.from(`\0${secrets[0]}\0`));
    plant(100_002, Buffer.from(`\0\0${secrets[0]}\0\0`, 'utf16le'));
    plant(200_003, Buffer.concat([utf16be(secrets[1]!), Buffer.of(0xff)]));
    plant(300_004, Buffer.from(`\0u=${encodeURIComponent(secrets[1]!)}&`));
    plant(400_005, Buffer.from(Buffer.concat([randomBytes(20), Buffer.from(secrets[1]!), randomBytes(9)]).toString('base64url')));
    plant(500_006, Buffer.from(`\0${short}\0`));
    plant(600_007, Buffer.from(`\0ref=ORDER-${randomBytes(4).toString('hex')}\0`));

    const { output, manifest } = await sanitizeBytes(input, {
      policy: 'standard',
      verify: true,
      chunkSize: 65_537,
      secrets: [...secrets, short],
      patterns: ['ORDER-[0-9a-f]{8}'],
    });
    const out = Buffer.from(output);
    expectExactlyRedacted(input, out, manifest.redactions);
    for (const s of secrets) {
      expect(occurrences(out, s)).toEqual([]);
      expect(occurrences(out, Buffer.from(s, 'utf16le'))).toEqual([]);
      expect(occurrences(out, utf16be(s).subarray(1))).toEqual([]);
      expect(occurrences(out, encodeURIComponent(s))).toEqual([]);
    }
    expect(occurrences(out, short)).toEqual([]);
    expect(occurrences(out, 'ORDER-')).toEqual([]);
    expect(manifest.verified).toBe(true);
    expect(manifest.userInput).toEqual({ secrets: 3, patterns: 1 });
    expect(manifest.input.warnings).toContain(
      '1 user secret(s) shorter than 8 characters were searched only as literal text (not URL/JSON/base64/hex), and may have matched unrelated bytes',
    );
    const user = manifest.redactions.filter((r) => r.kind === 'user-secret');
    // A base64url needle free of - and _ is the base64 one, and named so.
    const encodings = new Set(user.map((r) => r.encoding.replace(/^base64url$/, 'base64')));
    expect(encodings).toEqual(new Set(['text', 'text-utf16le', 'text-utf16be', 'url-encoded', 'base64']));
    expect(manifest.redactions.filter((r) => r.kind === 'user-pattern')).toHaveLength(1);

    const json = JSON.stringify(manifest);
    for (const s of [...secrets, short]) {
      const bytes = Buffer.from(s);
      for (const form of [s, bytes.toString('base64').slice(4, -4), bytes.toString('hex'), encodeURIComponent(s), bytes.toString('base64url').slice(4, -4)]) {
        if (form.length >= 6) expect(json.includes(form)).toBe(false);
      }
    }
  });

  it('refuses a secret under 4 characters and a bad pattern before doing any work, naming neither', async () => {
    const input = randomBytes(4096);
    await expect(sanitizeBytes(input, { policy: 'standard', verify: true, secrets: ['long enough', 'xyz'] })).rejects.toThrow(
      /^secret #2 is shorter than 4 characters/,
    );
    await expect(sanitizeBytes(input, { policy: 'standard', verify: true, patterns: ['[a-'] })).rejects.toThrow(
      /^pattern #1 is not a valid regular expression/,
    );
  });

  it('without user input the manifest has no userInput field', async () => {
    const { manifest } = await sanitizeBytes(randomBytes(4096), { policy: 'standard', verify: true });
    expect('userInput' in manifest).toBe(false);
  });

  it('a secret a detector also confirmed is swept once and its other copies are reported as the user\'s', async () => {
    const secret = Buffer.concat([Buffer.of(0xfb, 0xff), randomBytes(19)]).toString('base64');
    const input = randomBytes(1 << 18);
    // The environment rule confirms it here (a credential-named variable in a NUL-separated block)…
    Buffer.from(`\0DB_PASSWORD=${secret}\0`).copy(input, 1_001);
    // …and the sweep finds this copy: it is the user's secret, so the manifest says so.
    Buffer.from(`\0\0${secret}\0\0`, 'utf16le').copy(input, 100_002);
    const { output, manifest } = await sanitizeBytes(input, { policy: 'standard', verify: true, secrets: [secret] });
    expect(occurrences(Buffer.from(output), Buffer.from(secret, 'utf16le'))).toEqual([]);
    const copy = manifest.redactions.find((r) => r.offset === 100_006);
    expect(copy).toMatchObject({ kind: 'user-secret', detector: 'sweep', encoding: 'text-utf16le' });
  });
});
