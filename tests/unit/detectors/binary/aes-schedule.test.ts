/**
 * Window scanner `aes-schedule`: findings (exact bytes, encoding, fingerprint, secret) through the
 * engine's chunk windows, the sweep of the raw key, and a comparison with aeskeyfind. A real
 * OpenSSL process's schedules are checked in tests/unit/dumps/gcore-gdb.test.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AES_SCHEDULE_VARIANTS, scheduleBytes, variantEncoding } from '../../../../src/engine/crypto/aes-key-schedule.ts';
import { aesKeyFingerprint, createAesScheduleScanner } from '../../../../src/engine/detectors/binary/aes-schedule.ts';
import type { WindowScanner } from '../../../../src/engine/detectors/detector.ts';
import { sweepNeedles } from '../../../../src/engine/sweep/encodings.ts';
import { createSweepDetector } from '../../../../src/engine/sweep/sweep-detector.ts';
import { MAX_MATCH_BYTES, makeWindow, windowRange } from '../../../../src/engine/window.ts';
import { FILLERS, VARIANTS, filler, plant, type PlantedSchedule } from '../../../fixtures/aes-schedules.ts';
import { anchorKernel } from '../../../fixtures/dump-checks.ts';
import { rng } from '../../../fixtures/random.ts';
import { CHUNK_SIZES, scanBuffer, scanBufferWith } from '../../../fixtures/scan-window.ts';

let scanner: WindowScanner;

beforeAll(async () => {
  scanner = createAesScheduleScanner(await anchorKernel());
});

/** Every finding of every chunk's window, without the duplicate removal scanBufferWith applies. */
function everyChunkFinding(file: Uint8Array, chunkSize: number) {
  const findings = [];
  for (let start = 0; start < file.length; start += chunkSize) {
    const end = Math.min(file.length, start + chunkSize);
    const { from, to } = windowRange(start, end, file.length);
    findings.push(...scanner.scan(makeWindow(file.subarray(from, to), from, start, end, file.length)));
  }
  return findings;
}

const fingerprintOf = (key: Uint8Array) => 'sha256:' + createHash('sha256').update(key).digest('hex').slice(0, 16);

function expectFinding(found: ReturnType<WindowScanner['scan']>, p: PlantedSchedule): void {
  expect(found).toHaveLength(1);
  const [f] = found;
  expect(f).toMatchObject({
    offset: p.offset,
    length: p.length,
    kind: 'aes-key-schedule',
    detector: 'aes-schedule',
    confidence: 'high',
    encoding: variantEncoding(p.variant),
    fingerprint: fingerprintOf(p.key),
  });
  expect(f!.secret).toEqual({ kind: 'aes-key', key: p.key, fingerprint: fingerprintOf(p.key) });
}

describe('aes-schedule scanner', () => {
  it('names the 18 variants as the manifest shows them', () => {
    expect(VARIANTS.map((v) => v.name)).toEqual(
      ['aes128', 'aes192', 'aes256'].flatMap((size) =>
        ['', '-decrypt', '-decrypt-unreversed'].flatMap((layout) => ['fips', 'wordswap'].map((order) => `${size}${layout}-${order}`)),
      ),
    );
  });

  for (const kind of FILLERS) {
    it(`reports each variant once, with the key, in ${kind} filler`, () => {
      const random = rng(kind.length * 31);
      for (const { index } of VARIANTS) {
        const bytes = filler(kind, 1000, random);
        const p = plant(bytes, 300 + (index % 16), index);
        expectFinding(scanBufferWith(scanner, bytes, bytes.length), p);
      }
    });
  }

  it('finds a schedule straddling a chunk boundary exactly once, whatever the chunk size', () => {
    const random = rng(3);
    for (const index of [0, 3, 8, 11, 14, 17]) {
      const bytes = filler('pointers', 5000, random);
      const p = plant(bytes, 4099 - 100 + index, index);
      for (const size of CHUNK_SIZES) expectFinding(everyChunkFinding(bytes, size), p);
    }
  });

  it('reports a schedule whose start is in the owned range but whose end is in the right context', () => {
    // Chunk boundary one byte after the start: only the first chunk owns it, and sees the rest as context.
    const bytes = filler('random', 2000, rng(4));
    const p = plant(bytes, 1000, 5);
    expectFinding(everyChunkFinding(bytes, 1001), p);
  });

  it('finds nothing for a near miss (one bit flipped) or a truncated schedule at the end of the file', () => {
    const random = rng(6);
    for (const { index, name } of VARIANTS) {
      const bytes = filler('random', 800, random);
      const p = plant(bytes, 200, index);
      const bit = (random() * p.length * 8) | 0;
      bytes[p.offset + (bit >> 3)]! ^= 1 << (bit & 7);
      expect(scanBufferWith(scanner, bytes, 97), `${name} bit ${bit}`).toEqual([]);
      bytes[p.offset + (bit >> 3)]! ^= 1 << (bit & 7);
      const cut = bytes.subarray(0, p.offset + p.length - 1);
      expect(scanBufferWith(scanner, cut, 97), `${name} truncated`).toEqual([]);
    }
  });

  it('sweeps the raw key and its word-swapped form elsewhere; copies inside the schedule add nothing', () => {
    const { bytes, planted } = (() => {
      const b = filler('random', 3000, rng(8));
      const p = plant(b, 100, 2); // aes128-decrypt-fips: its last block is the key
      return { bytes: b, planted: p };
    })();
    const key = planted.key;
    const swapped = Uint8Array.from(key);
    for (let i = 0; i < 16; i += 4) swapped.subarray(i, i + 4).reverse();
    bytes.set(key, 1000);
    bytes.set(swapped, 2000);
    const [schedule] = scanBufferWith(scanner, bytes, 1024);
    expect(schedule?.secret).toBeDefined();
    const encodings = sweepNeedles(schedule!.secret!).map((n) => n.encoding);
    expect(encodings).toContain('java-int-array');
    const swept = scanBuffer(createSweepDetector([schedule!.secret!]), bytes, 1024);
    const inside = (o: number) => o >= planted.offset && o < planted.offset + planted.length;
    expect(swept.filter((f) => !inside(f.offset)).map((f) => [f.offset, f.length, f.encoding])).toEqual([
      [1000, 16, 'bignum-be'],
      [2000, 16, 'java-int-array'],
    ]);
    // The key as the schedule's last block is swept too, but lies inside the schedule finding.
    expect(swept.filter((f) => inside(f.offset)).map((f) => f.offset)).toEqual([planted.offset + 160]);
  });

  it('fingerprints a key as sha256: and 16 hex digits of its SHA-256', () => {
    const key = randomBytes(32);
    expect(aesKeyFingerprint(key)).toBe(fingerprintOf(key));
    expect(aesKeyFingerprint(key)).toMatch(/^sha256:[0-9a-f]{16}$/);
  });

  it('stays within MAX_MATCH_BYTES of where it starts', () => {
    expect(Math.max(...AES_SCHEDULE_VARIANTS.map((v) => scheduleBytes(randomBytes(v.keyBytes), v).length))).toBeLessThan(MAX_MATCH_BYTES);
  });
});

/** aeskeyfind's hits on a file: its key lines (hex, one per schedule found). */
function aeskeyfindKeys(path: string): string[] {
  const r = spawnSync('aeskeyfind', ['-q', path], { encoding: 'utf8', timeout: 120_000 });
  return r.stdout.split('\n').map((l) => l.trim()).filter((l) => /^[0-9a-f]{32,64}$/.test(l));
}

const hasAeskeyfind = spawnSync('aeskeyfind', ['-h'], { stdio: 'ignore' }).error === undefined;

describe.skipIf(!hasAeskeyfind)(`compared with aeskeyfind${hasAeskeyfind ? '' : ' (skipped: not installed)'}`, () => {
  it('finds a superset: aeskeyfind misses AES-192 and word-swapped schedules', () => {
    const random = rng(12);
    const bytes = filler('random', 64 * 1024, random);
    const planted = VARIANTS.map(({ index }) => plant(bytes, 1000 + index * 3000 + index, index));
    const dir = mkdtempSync(join(tmpdir(), 'dumpscrub-aeskeyfind-'));
    try {
      const path = join(dir, 'memory.bin');
      writeFileSync(path, bytes);
      const theirs = new Set(aeskeyfindKeys(path));
      const ours = scanBufferWith(scanner, bytes, 1 << 20);
      expect(ours.map((f) => f.offset)).toEqual(planted.map((p) => p.offset));
      const hex = (p: PlantedSchedule) => Buffer.from(p.key).toString('hex');
      const seenBy = planted.filter((p) => theirs.has(hex(p))).map((p) => variantEncoding(p.variant));
      // What aeskeyfind reports is ours too; it sees only forward AES-128/256 in FIPS order.
      expect(seenBy).toEqual(['aes128-fips', 'aes256-fips']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
