/**
 * Acceptance: a real Breakpad Linux minidump's LinuxEnviron stream with a credential planted in
 * place (an existing `NAME=value` entry overwritten, same length, by `DB_PASSWORD=<random>`).
 * Standard zeroes that value only and keeps its name; strict zeroes every value and keeps every name.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDump, type DumpMap, type Region } from '../../../src/engine/formats/dump-map.ts';
import { isSecretVariableName } from '../../../src/engine/region-policy.ts';
import { blobSource } from '../../../src/engine/source.ts';
import { CORPUS, expectExactlyRedacted, expectRegionsUnchanged, sanitizeBytes } from '../../fixtures/dump-checks.ts';

const DUMP = 'bp-linux-raise-sigabrt.dmp';
const SECRET_NAME = 'DB_PASSWORD';
/** Variables that name a place, not a secret: standard must leave their values alone. */
const KEPT = ['PWD', 'OLDPWD', 'SSH_AUTH_SOCK', 'XAUTHORITY', 'HOME', 'PATH', 'GPG_AGENT_INFO', 'GNOME_KEYRING_CONTROL', 'KRB5CCNAME'];

interface Entry {
  /** File offset of the entry's first byte (the name). */
  offset: number;
  /** Bytes of `NAME=value` (without the NUL). */
  length: number;
  name: string;
  /** File offset and length of the value. */
  valueOffset: number;
  valueLength: number;
}

/** The NUL-separated `NAME=value` entries of an environment block, with file offsets. */
function entriesOf(bytes: Uint8Array, r: Region): Entry[] {
  const entries: Entry[] = [];
  let start = r.offset;
  const end = r.offset + r.length;
  while (start < end) {
    let stop = bytes.indexOf(0, start);
    if (stop < 0 || stop > end) stop = end;
    const text = Buffer.from(bytes.subarray(start, stop)).toString('latin1');
    const eq = text.indexOf('=');
    if (eq > 0) entries.push({ offset: start, length: stop - start, name: text.slice(0, eq), valueOffset: start + eq + 1, valueLength: stop - start - eq - 1 });
    start = stop + 1;
  }
  return entries;
}

/** Printable characters without NUL or `=`, exactly `n` of them. */
function randomValue(n: number): string {
  let s = '';
  while (s.length < n) s += randomBytes(n + 16).toString('base64').replace(/[^A-Za-z0-9]/g, '');
  return s.slice(0, n);
}

const mapOf = (bytes: Uint8Array): Promise<DumpMap> => parseDump(blobSource(new Blob([new Uint8Array(bytes)])));
const text = (bytes: Uint8Array, offset: number, length: number) => Buffer.from(bytes.subarray(offset, offset + length)).toString('latin1');
const isZero = (bytes: Uint8Array, offset: number, length: number) => bytes.subarray(offset, offset + length).every((b) => b === 0);

describe.skipIf(!existsSync(join(CORPUS, DUMP)))(`LinuxEnviron of ${DUMP} with DB_PASSWORD planted in place`, () => {
  let input: Uint8Array;
  let map: DumpMap;
  let environ: Region;
  let planted: Entry;
  let secret: string;

  beforeAll(async () => {
    input = new Uint8Array(readFileSync(join(CORPUS, DUMP)));
    const pristine = await mapOf(input);
    const environs = pristine.regions.filter((r) => r.label === 'LinuxEnviron');
    expect(environs.map((r) => r.kind)).toEqual(['text-stream']);
    environ = environs[0]!;
    const entries = entriesOf(input, environ);
    // An ordinary variable long enough for a 16+ character password, not one of those checked below.
    const victim = entries.find((e) => !KEPT.includes(e.name) && !isSecretVariableName(e.name) && e.length >= SECRET_NAME.length + 1 + 16);
    expect(victim, 'an environment entry to overwrite').toBeDefined();
    secret = randomValue(victim!.length - SECRET_NAME.length - 1);
    const line = `${SECRET_NAME}=${secret}`;
    expect(line.length).toBe(victim!.length);
    input.set(Buffer.from(line, 'latin1'), victim!.offset);
    planted = entriesOf(input, environ).find((e) => e.offset === victim!.offset)!;
    expect(planted).toMatchObject({ name: SECRET_NAME, length: victim!.length, valueLength: secret.length });
    map = await mapOf(input);
    // Same length in place: the dump's structure is unchanged.
    expect(map.regions).toEqual(pristine.regions);
  });

  it('standard: zeroes the DB_PASSWORD value only, keeps its name and every other variable', async () => {
    const { manifest, output } = await sanitizeBytes(input, { policy: 'standard', verify: true }, DUMP);
    expect(output.length).toBe(input.length);
    expectExactlyRedacted(input, output, manifest.redactions, DUMP);
    expectRegionsUnchanged(input, output, map.regions, new Set(['structure', 'registers']), DUMP);

    expect(isZero(output, planted.valueOffset, planted.valueLength), 'the password value is zeroed').toBe(true);
    expect(text(output, planted.offset, SECRET_NAME.length + 1)).toBe(`${SECRET_NAME}=`);
    expect(Buffer.from(output).includes(secret)).toBe(false);

    // The token detector's environment rule finds the same value in the NUL-separated block (medium);
    // the policy's finding is the one that holds for the whole region.
    const secrets = manifest.redactions.filter((e) => e.kind === 'environment-secret' && e.detector === 'environment');
    expect(secrets).toHaveLength(1);
    expect(secrets[0]).toMatchObject({ offset: planted.valueOffset, length: planted.valueLength, detector: 'environment', confidence: 'high', region: { kind: 'text-stream' } });

    // Nothing else in the block changed: the planted value is the only range inside it.
    const inEnviron = manifest.redactions.filter((e) => e.offset < environ.offset + environ.length && e.offset + e.length > environ.offset);
    expect([...new Set(inEnviron.map((e) => `${e.offset}+${e.length}`))]).toEqual([`${planted.valueOffset}+${planted.valueLength}`]);
    const after = entriesOf(output, environ);
    for (const name of ['PWD', 'SSH_AUTH_SOCK', 'XAUTHORITY']) {
      const before = entriesOf(input, environ).find((e) => e.name === name);
      expect(before, `${DUMP} has ${name}`).toBeDefined();
      expect(before!.valueLength).toBeGreaterThan(0);
      const kept = after.find((e) => e.offset === before!.offset)!;
      expect(text(output, kept.offset, kept.length), name).toBe(text(input, before!.offset, before!.length));
    }
  });

  it('strict: zeroes every value of the block and keeps every name', async () => {
    const { manifest, output } = await sanitizeBytes(input, { policy: 'strict', verify: true }, DUMP);
    expectExactlyRedacted(input, output, manifest.redactions, DUMP);
    expectRegionsUnchanged(input, output, map.regions, new Set(['structure', 'registers']), DUMP);

    const entries = entriesOf(input, environ);
    expect(entries.length).toBeGreaterThan(50);
    for (const e of entries) {
      expect(text(output, e.offset, e.name.length + 1), `name of ${e.name} kept`).toBe(`${e.name}=`);
      expect(isZero(output, e.valueOffset, e.valueLength), `value of ${e.name} zeroed`).toBe(true);
      if (e.valueLength > 0) expect(manifest.redactions.some((m) => m.offset <= e.valueOffset && e.valueOffset + e.valueLength <= m.offset + m.length), `${e.name} listed`).toBe(true);
    }
    // The separators stay too: only value bytes are zeroed, so every name byte and NUL is as before.
    const valueBytes = new Set(entries.flatMap((e) => Array.from({ length: e.valueLength }, (_, i) => e.valueOffset + i)));
    for (let i = environ.offset; i < environ.offset + environ.length; i++) {
      if (!valueBytes.has(i) && output[i] !== input[i]) expect.fail(`byte ${i} of the environment block outside every value changed`);
    }
    expect([...new Set(manifest.redactions.filter((m) => m.kind === 'environment-secret').map((m) => m.offset))]).toEqual([planted.valueOffset]);
    expect(manifest.redactions.filter((m) => m.kind === 'environment-value').length).toBe(entries.filter((e) => e.valueLength > 0).length - 1);
  });
});

describe('isSecretVariableName', () => {
  const secret = [
    'DB_PASSWORD', 'PASSWORD', 'password', 'MYSQL_PWD', 'GITHUB_TOKEN', 'NPM_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID',
    'API_KEY', 'APIKEY', 'apiKey', 'SECRET', 'CLIENT_SECRET', 'OAUTH_CLIENT_SECRET', 'PRIVATE_KEY', 'SSH_PRIVATE_KEY', 'REDIS_PASS',
    'SMTP_PASSWD', 'GPG_PASSPHRASE', 'DOCKER_AUTH', 'HTTP_AUTHORIZATION', 'SESSION_COOKIE', 'DB_CREDENTIALS', 'REGISTRY_CREDS',
    'db.password', 'VAULT-TOKEN', 'PGPASSWORD', 'HTPASSWD', 'dbPassword', 'MYSECRET', 'GHTOKEN',
  ];
  const notSecret = [
    'PWD', 'OLDPWD', 'pwd', 'SSH_AUTH_SOCK', 'XAUTHORITY', 'HOME', 'PATH', 'USER', 'SHELL', 'LANG', 'DISPLAY', 'TERM',
    'GPG_AGENT_INFO', 'GNOME_KEYRING_CONTROL', 'GNOME_KEYRING_PID', 'SSH_AGENT_PID', 'KRB5CCNAME', 'XDG_RUNTIME_DIR',
    'TLS_KEY_FILE', 'SSH_KEY_PATH', 'SECRETS_DIR', 'TOKEN_URL', 'AUTH_HOST', 'PASSWORD_FILE', 'KEYBOARD', 'MONKEY', 'PASSENGER', '',
  ];
  for (const name of secret) it(`${JSON.stringify(name)} is a secret`, () => expect(isSecretVariableName(name)).toBe(true));
  for (const name of notSecret) it(`${JSON.stringify(name)} is not a secret`, () => expect(isSecretVariableName(name)).toBe(false));
});
