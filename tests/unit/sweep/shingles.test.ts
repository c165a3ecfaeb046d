/**
 * Partial copies: fragments of a confirmed key's components, found by their 16-byte shingles and
 * zeroed exactly as far as they agree with the key. Layouts are rebuilt here from node:crypto's JWK,
 * independently of encodings.ts.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { dedupeFindings } from '../../../src/engine/plan.ts';
import { buildShingleIndex, createShingleSweep, type ShingleSweep } from '../../../src/engine/sweep/shingles.ts';
import type { SecretMaterial } from '../../../src/engine/sweep/secret.ts';
import type { Finding } from '../../../src/engine/types.ts';
import { makeWindow, windowRange } from '../../../src/engine/window.ts';
import { big, randomKey, rsaParts } from '../../fixtures/binary-keys.ts';
import { occurrences, sanitizeBytes } from '../../fixtures/dump-checks.ts';
import * as keys from '../../fixtures/keys.ts';
import { CHUNK_SIZES, unionRanges } from '../../fixtures/scan-window.ts';
import { rsaSecretOf } from './helpers.ts';

let kernel: WebAssembly.Module;

beforeAll(async () => {
  kernel = await WebAssembly.compile(await readFile(new URL('../../../src/wasm/core.wasm', import.meta.url)));
});

const key = keys.rsaKey(2048);
const parts = rsaParts(key);
const secret = rsaSecretOf(key);
/** keys.rsaKey caches one key per size: a stranger must be generated here. */
const strangerParts = () => rsaParts(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);

/** Minimal big-endian bytes of a JWK integer. */
const minimal = (be: Uint8Array): Buffer => {
  const hex = big(be).toString(16);
  return Buffer.from(hex.length % 2 ? '0' + hex : hex, 'hex');
};
const littleEndian = (be: Uint8Array): Buffer => Buffer.from(minimal(be)).reverse();
const javaInts = (be: Uint8Array): Buffer => {
  const m = minimal(be);
  const padded = Buffer.concat([Buffer.alloc((4 - (m.length % 4)) % 4), m]);
  for (let i = 0; i < padded.length; i += 4) padded.subarray(i, i + 4).reverse();
  return padded;
};

/**
 * `component[from, to)` planted at `at` in random bytes, with the bytes just outside the fragment
 * made to disagree with the component, so the exact span is known.
 */
function plantFragment(component: Uint8Array, from: number, to: number, size = 2000, at = 777): { file: Buffer; span: [number, number] } {
  const file = randomBytes(size);
  Buffer.from(component.subarray(from, to)).copy(file, at);
  if (from > 0) file[at - 1] = component[from - 1]! ^ 0x5a;
  if (to < component.length) file[at + to - from] = component[to]! ^ 0x5a;
  return { file, span: [at, at + to - from] };
}

/** The sweep over `file` in chunks of `chunkSize`, each through its window, as chunk-scanner runs it. */
function sweepFile(sweep: ShingleSweep, secrets: readonly SecretMaterial[], file: Uint8Array, chunkSize: number): Finding[] {
  const findings: Finding[] = [];
  for (let start = 0; start < file.length; start += chunkSize) {
    const end = Math.min(file.length, start + chunkSize);
    const { from, to } = windowRange(start, end, file.length);
    findings.push(...sweep(makeWindow(file.subarray(from, to), from, start, end, file.length), secrets, 'request'));
  }
  return dedupeFindings(findings);
}

/** The findings of a whole-file sweep, after checking every chunk size gives the same ones. */
function sweepAllChunkings(secrets: readonly SecretMaterial[], file: Uint8Array, extraChunkSizes: number[] = []): Finding[] {
  const sweep = createShingleSweep(kernel);
  const whole = sweepFile(sweep, secrets, file, file.length + 1);
  for (const size of [...CHUNK_SIZES, ...extraChunkSizes]) {
    expect(sweepFile(sweep, secrets, file, size), `chunk size ${size}`).toEqual(whole);
  }
  return whole;
}

describe('partial copies of an RSA key', () => {
  it("finds the surviving middle of p's little-endian limbs, exactly, across chunk edges", () => {
    const le = littleEndian(parts.p);
    const { file, span } = plantFragment(le, 40, le.length - 24);
    const findings = sweepAllChunkings([secret], file, [span[0] + 30]);
    expect(unionRanges(findings)).toEqual([span]);
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'rsa-private-key',
        detector: 'sweep',
        confidence: 'high',
        encoding: 'bignum-le-partial',
        fingerprint: secret.fingerprint,
      }),
    ]);
  });

  it('finds 24 bytes of d in Java int[] order, high when they hold two shingles and medium when one', () => {
    const java = javaInts(parts.d);
    const aligned = plantFragment(java, 64, 88);
    expect(unionRanges(sweepAllChunkings([secret], aligned.file))).toEqual([aligned.span]);
    expect(sweepAllChunkings([secret], aligned.file).map((f) => [f.confidence, f.encoding])).toEqual([['high', 'java-int-array-partial']]);

    const unaligned = plantFragment(java, 67, 91);
    const findings = sweepAllChunkings([secret], unaligned.file);
    expect(unionRanges(findings)).toEqual([unaligned.span]);
    expect(findings.map((f) => f.confidence)).toEqual(['medium']);
  });

  it('zeroes a lone 16-byte shingle (medium) but not 15 bytes of it', () => {
    const be = minimal(parts.q);
    const lone = plantFragment(be, 32, 48);
    const findings = sweepAllChunkings([secret], lone.file);
    expect(unionRanges(findings)).toEqual([lone.span]);
    expect(findings.map((f) => [f.confidence, f.encoding])).toEqual([['medium', 'bignum-be-partial']]);

    expect(sweepAllChunkings([secret], plantFragment(be, 32, 47).file)).toEqual([]);
    expect(sweepAllChunkings([secret], plantFragment(be, 33, 48).file)).toEqual([]);
  });

  it('finds a fragment of every component and nothing of another key', () => {
    const other = strangerParts();
    for (const name of ['p', 'q', 'd', 'dp', 'dq', 'qi'] as const) {
      const le = littleEndian(parts[name]);
      // Unaligned at both ends: the span is grown beyond the shingles (8..56) it holds.
      const mine = plantFragment(le, 3, 61);
      expect(unionRanges(sweepAllChunkings([secret], mine.file, [mine.span[0] + 20])), name).toEqual([mine.span]);
      const theirs = plantFragment(littleEndian(other[name]), 0, 64);
      expect(sweepAllChunkings([secret], theirs.file), `another key's ${name}`).toEqual([]);
    }
  });

  it('finds a whole copy as one span, named like the whole-needle sweep names it', () => {
    const java = javaInts(parts.p);
    const { file, span } = plantFragment(java, 0, java.length);
    const findings = sweepAllChunkings([secret], file);
    expect(unionRanges(findings)).toEqual([span]);
    expect(findings.map((f) => [f.confidence, f.encoding])).toEqual([['high', 'java-int-array']]);
  });
});

describe('shingle selection', () => {
  // 16 distinct random bytes, 32 zeros, 16 distinct random bytes.
  const zeroRun = Buffer.concat([randomKey(16), Buffer.alloc(32), randomKey(16)]);
  const symmetric: SecretMaterial = { kind: 'symmetric-key', key: zeroRun };

  it('leaves out shingles with fewer than 12 distinct bytes: a zero run identifies no key', () => {
    const index = buildShingleIndex([symmetric]);
    // Raw, reversed and word-swapped layouts: only the two ends of each are specific.
    expect(index.owners.map((o) => o.offset)).toEqual([0, 48, 0, 48, 0, 48]);
    expect(sweepAllChunkings([symmetric], plantFragment(zeroRun, 8, 56).file)).toEqual([]);
    expect(sweepAllChunkings([symmetric], new Uint8Array(4096))).toEqual([]);
  });

  it('still zeroes a whole copy across its zero run, as one span', () => {
    const { file, span } = plantFragment(zeroRun, 0, 64);
    const findings = sweepAllChunkings([symmetric], file);
    expect(unionRanges(findings)).toEqual([span]);
    expect(findings.map((f) => [f.confidence, f.encoding])).toEqual([['high', 'bignum-be']]);
  });

  it('indexes symmetric keys of at least 32 bytes and text secrets of at least 24 chars', () => {
    expect(buildShingleIndex([{ kind: 'aes-key', key: randomKey(31) }]).owners).toEqual([]);
    expect(buildShingleIndex([{ kind: 'aes-key', key: randomKey(32) }]).owners.length).toBeGreaterThan(0);
    const token = (length: number) => randomBytes(length).toString('base64url').slice(0, length);
    expect(buildShingleIndex([{ kind: 'text-secret', text: token(23) }]).owners).toEqual([]);
    expect(buildShingleIndex([{ kind: 'text-secret', text: token(24) }]).owners.length).toBeGreaterThan(0);
  });

  it('finds part of a text secret in UTF-16LE, in whole chars', () => {
    const text = 'tok_' + randomKey(48).toString('base64url').slice(0, 56);
    const wide = keys.utf16le(text);
    const { file, span } = plantFragment(wide, 10, 74);
    // The next char shares its low byte with the secret's but not its high byte: a different char.
    file[span[1]] = wide[74]!;
    file[span[1] + 1] = 0x30;
    const findings = sweepAllChunkings([{ kind: 'text-secret', text }], file);
    expect(unionRanges(findings)).toEqual([span]);
    expect(findings.map((f) => [f.confidence, f.encoding])).toEqual([['high', 'text-partial-utf16le']]);
  });
});

describe('partial copies through the pipeline', () => {
  it("zeroes a fragment of p left elsewhere once the key's PEM proved it, and verification passes", async () => {
    const pem = keys.rsaPem(2048, 'pkcs8');
    const le = littleEndian(parts.p);
    const fragment = plantFragment(le, 40, 104, 1 << 19, 200_003);
    const input = fragment.file;
    const stranger = littleEndian(strangerParts().p).subarray(40, 104);
    Buffer.from(pem).copy(input, 1001);
    Buffer.from(stranger).copy(input, 400_009);

    const { output, manifest } = await sanitizeBytes(input, { policy: 'standard', verify: true, chunkSize: 65_537 });
    expect(manifest.verified).toBe(true);
    expect(occurrences(output, le.subarray(40, 104))).toEqual([]);
    expect(Buffer.from(output.subarray(200_003, 200_003 + 64)).equals(Buffer.alloc(64))).toBe(true);
    expect(occurrences(output, stranger)).toEqual([400_009]);
    const partial = manifest.redactions.filter((r) => r.encoding === 'bignum-le-partial');
    expect(partial.map((r) => [r.offset, r.length, r.confidence])).toEqual([[200_003, 64, 'high']]);
  });
});
