/**
 * Acceptance: every public corpus dump, with a freshly generated RSA PKCS#8 PEM key planted in its
 * largest memory region, sanitized in-process (standard policy, verify on, WASM anchor kernel,
 * every detector). The output must be the input with exactly the manifest's ranges zeroed, dump
 * structure and general registers untouched, the key gone and placed in the manifest by region.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDump, type DumpMap, type Region, type RegionKind } from '../../../src/engine/formats/dump-map.ts';
import { blobSource } from '../../../src/engine/source.ts';
import {
  CORPUS,
  MEMORY_KINDS,
  entriesAt,
  expectExactlyRedacted,
  expectRegionsUnchanged,
  occurrences,
  pemBodyLines,
  sanitizeBytes,
  vaPlus,
} from '../../fixtures/dump-checks.ts';

const PROTECTED = new Set<RegionKind>(['structure', 'registers']);
const VECTOR = new Set<RegionKind>(['vector-registers']);
const MALFORMED = ['rmd-malformed-invalid-range.dmp', 'rmd-malformed-invalid-record-count.dmp'];

/** Dumps whose memory regions are all too small for the key (or which have none): not planted. */
const UNPLANTABLE = ['bp-microdump-arm64.txt', 'pyhprof-example-java.hprof', ...MALFORMED].sort();

const files = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => f !== 'SOURCES.md').sort() : [];

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const mapOf = (bytes: Uint8Array): Promise<DumpMap> => parseDump(blobSource(new Blob([new Uint8Array(bytes)])));

/** A new 2048-bit RSA key per dump, as PKCS#8 PEM text (`-----BEGIN PRIVATE KEY-----`). */
const freshPkcs8Pem = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

interface Plant {
  region: Region;
  /** File offset of the PEM's first byte (`-----BEGIN`). */
  offset: number;
  pem: string;
}

/**
 * Writes NUL + PEM + NUL into the middle of the largest memory region that holds it (the NULs end
 * the string as C and V8 would). Returns null when no memory region is large enough.
 */
function plantKey(bytes: Uint8Array, map: DumpMap, pem: string): Plant | null {
  const need = pem.length + 2;
  const fits = map.regions.filter((r) => MEMORY_KINDS.has(r.kind) && r.length >= need);
  if (fits.length === 0) return null;
  const region = fits.reduce((a, b) => (b.length > a.length ? b : a));
  // Not at the region's start, so the manifest's va must really be region va + delta.
  const delta = Math.floor((region.length - need) / 2) & ~7;
  bytes[region.offset + delta] = 0;
  bytes.set(Buffer.from(pem, 'latin1'), region.offset + delta + 1);
  bytes[region.offset + delta + 1 + pem.length] = 0;
  return { region, offset: region.offset + delta + 1, pem };
}

describe('sanitize every public corpus dump (standard, verify, WASM finder)', () => {
  it('has the corpus to work on', () => expect(files.length).toBeGreaterThan(25));
  it('finds the whole corpus', () => {
    expect(files.length).toBe(30);
  });

  /** Which region kind each dump's key went into (filled by the per-dump tests, which run in order). */
  const planted = new Map<string, RegionKind | null>();

  for (const name of files) {
    it(name, async () => {
      const input = new Uint8Array(readFileSync(join(CORPUS, name)));
      const pristineMap = await mapOf(input);
      const pem = freshPkcs8Pem();
      const plant = plantKey(input, pristineMap, pem);
      planted.set(name, plant?.region.kind ?? null);
      // Planting changes memory contents only, never the map.
      const map = await mapOf(input);
      expect(map.regions).toEqual(pristineMap.regions);

      const { manifest, output } = await sanitizeBytes(input, { policy: 'standard', verify: true }, name);

      expect(output.length).toBe(input.length);
      expect(manifest.output.size).toBe(input.length);
      expect(manifest.verified).toBe(true);
      expect(manifest.input.sha256).toBe(sha256(input));
      expect(manifest.output.sha256).toBe(sha256(output));
      expectRegionsUnchanged(input, output, map.regions, PROTECTED, name);
      expectExactlyRedacted(input, output, manifest.redactions, name);

      // Vector registers: zeroed whole under standard, each region listed as its own redaction.
      for (const r of map.regions.filter((x) => x.kind === 'vector-registers')) {
        expect(output.subarray(r.offset, r.offset + r.length).every((b) => b === 0), `${name}: vector registers at ${r.offset} zeroed`).toBe(true);
        const listed = manifest.redactions.filter((e) => e.kind === 'vector-registers' && e.offset === r.offset && e.length === r.length);
        expect(listed, `${name}: vector-registers redaction for ${r.offset}+${r.length}`).toHaveLength(1);
      }

      if (MALFORMED.includes(name)) expect(manifest.input.warnings.length, `${name}: warnings`).toBeGreaterThan(0);

      if (!plant) {
        // Only dumps with no memory region big enough (microdump text, hprof, malformed) may go unplanted.
        expect(map.regions.some((r) => MEMORY_KINDS.has(r.kind) && r.length >= pem.length + 2)).toBe(false);
        return;
      }
      for (const line of pemBodyLines(plant.pem)) {
        expect(occurrences(output, line), `${name}: a base64 line of the planted key survived`).toEqual([]);
      }
      const found = entriesAt(manifest.redactions, plant.offset).filter((e) => e.detector !== 'policy');
      expect(found.length, `${name}: a detector redaction covers the planted key`).toBeGreaterThan(0);
      const entry = found[0]!;
      expect(entry.offset).toBe(plant.offset);
      expect(entry.offset + entry.length).toBeGreaterThanOrEqual(plant.offset + plant.pem.trimEnd().length);
      expect(entry.kind).toBe('rsa-private-key');
      expect(entry.region.kind).toBe(plant.region.kind);
      expect(entry.region.va).toBe(vaPlus(plant.region.va!, entry.offset - plant.region.offset));
      if (plant.region.kind === 'module' || plant.region.kind === 'mapped-file') {
        expect(entry.region.module).toBeDefined();
        expect(entry.region.module).toBe(plant.region.module);
      }
      if (plant.region.kind === 'stack') expect(entry.region.thread).toBe(plant.region.thread);
    });
  }

  it('planted a key in every dump that has memory, across stack, heap, module and memory regions', () => {
    expect(planted.size).toBe(files.length);
    expect([...planted].filter(([, kind]) => kind === null).map(([n]) => n).sort()).toEqual(UNPLANTABLE);
    expect(new Set(planted.values())).toEqual(new Set(['stack', 'heap', 'module', 'memory', null]));
  });
});

describe('vector registers: zeroed under standard, kept with keepVectorRegisters', () => {
  for (const name of ['bp-tiny-exe-fastfail.dmp', 'pyelf-core-linux64.core']) {
    it(name, async () => {
      const input = new Uint8Array(readFileSync(join(CORPUS, name)));
      const map = await mapOf(input);
      const vector = map.regions.filter((r) => r.kind === 'vector-registers');
      expect(vector.length).toBeGreaterThan(0);
      // Something to zero: otherwise "zeroed" would prove nothing.
      expect(vector.some((r) => input.subarray(r.offset, r.offset + r.length).some((b) => b !== 0))).toBe(true);

      const standard = await sanitizeBytes(input, { policy: 'standard', verify: true }, name);
      for (const r of vector) {
        expect(standard.output.subarray(r.offset, r.offset + r.length).every((b) => b === 0), `zeroed at ${r.offset}`).toBe(true);
      }
      expect(
        standard.manifest.redactions.filter((e) => e.kind === 'vector-registers').map((e) => [e.offset, e.length, e.detector, e.region.kind]),
      ).toEqual(vector.map((r) => [r.offset, r.length, 'policy', 'vector-registers']));

      const kept = await sanitizeBytes(input, { policy: 'standard', verify: true, keepVectorRegisters: true }, name);
      expectRegionsUnchanged(input, kept.output, map.regions, VECTOR, `${name} (keepVectorRegisters)`);
      expect(kept.manifest.redactions.filter((e) => e.kind === 'vector-registers')).toEqual([]);
      expectExactlyRedacted(input, kept.output, kept.manifest.redactions, name);
    });
  }
});
