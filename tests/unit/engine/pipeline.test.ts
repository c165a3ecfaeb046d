import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createChunkScanner } from '../../../src/engine/chunk-scanner.ts';
import type { Detector } from '../../../src/engine/detectors/detector.ts';
import { CANCELLED } from '../../../src/engine/job-types.ts';
import { nodeSha256 } from '../../../src/cli/node-io.ts';
import { composeSanitizedBlob } from '../../../src/engine/output-blob.ts';
import { sanitize, type ChunkScanner, type OutputSink } from '../../../src/engine/pipeline.ts';
import { compileDetectors } from '../../../src/engine/scan.ts';
import { blobSource } from '../../../src/engine/source.ts';
import { createReferenceAnchorFinder } from '../../../src/wasm/anchor-finder.ts';

/** A toy detector for the pipeline's mechanics: `TOYKEY:` followed by 8 hex digits. */
const toy: Detector = {
  id: 'toy',
  anchors: ['TOYKEY:'],
  detect(win, hit) {
    const step = hit.wide ? 2 : 1;
    const end = hit.pos + 15 * step;
    if (end > win.bytes.length) return [];
    return [{ offset: win.base + hit.pos, length: 15 * step, kind: 'toy-key', detector: 'toy', confidence: 'high', encoding: hit.wide ? 'utf16le' : 'ascii' }];
  },
};
const set = compileDetectors([toy]);
const scannersOver = (blob: Blob, n = 2): ChunkScanner[] =>
  Array.from({ length: n }, () => createChunkScanner(blobSource(blob), { detectors: [{ detectors: set, finder: createReferenceAnchorFinder(set.anchors) }] }, () => ({ sets: [], scanners: [] })));

function plantedDump(size: number, offsets: number[]): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(randomBytes(size));
  offsets.forEach((o, i) => bytes.set(Buffer.from(`TOYKEY:${(0x1000_0000 + i).toString(16)}`), o));
  return bytes;
}

/** Collects the written stream; verifies against what was really written. */
function memorySink(): { sink: OutputSink; written: () => Uint8Array } {
  const parts: Uint8Array[] = [];
  const written = (): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.concat(parts));
  return { sink: { streamsBytes: true, write: async (c) => void parts.push(new Uint8Array(c)), finish: async () => scannersOver(new Blob([written()])) }, written };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('sanitize pipeline', () => {
  const size = 20_000;
  const offsets = [0, 4090, 4105, 8197, 12_000, size - 15];
  const input = plantedDump(size, offsets);

  for (const chunkSize of [1, 7, 17, 4099, 65_536]) {
    it(`zeroes every planted key exactly once with chunk size ${chunkSize}`, async () => {
      const { sink, written } = memorySink();
      const blob = new Blob([input]);
      const { manifest } = await sanitize({
        name: 'toy.bin', input: blobSource(blob), inputScanners: scannersOver(blob), sink, createHash: nodeSha256,
        options: { policy: 'standard', verify: true, chunkSize },
      });
      const out = written();
      const expected = new Uint8Array(input);
      for (const o of offsets) expected.fill(0, o, o + 15);
      expect(out.length).toBe(size);
      expect(sha(out)).toBe(sha(expected));
      expect(manifest.redactions.map((r) => [r.offset, r.length])).toEqual(offsets.map((o) => [o, 15]));
      expect(manifest.input.sha256).toBe(sha(input));
      expect(manifest.output.sha256).toBe(sha(expected));
      expect(manifest.verified).toBe(true);
    });
  }

  for (const verify of [true, false]) {
    it(`composes the same output through a Blob sink (verify ${verify}), hashing it without a write pass`, async () => {
      const blob = new Blob([input]);
      let composed: Blob | null = null;
      let writes = 0;
      const sink: OutputSink = {
        streamsBytes: false,
        write: async () => void writes++,
        finish: async (ranges) => scannersOver((composed = composeSanitizedBlob(blob, ranges))),
      };
      const { manifest } = await sanitize({
        name: 'toy.bin', input: blobSource(blob), inputScanners: scannersOver(blob), sink, createHash: nodeSha256,
        options: { policy: 'standard', verify, chunkSize: 4099 },
      });
      const out = new Uint8Array(await composed!.arrayBuffer());
      expect(writes).toBe(0);
      expect(manifest.output.sha256).toBe(sha(out));
      expect(manifest.input.sha256).toBe(sha(input));
      expect(manifest.redactions).toHaveLength(offsets.length);
      expect(manifest.verified).toBe(verify);
    });
  }

  it('reports the input hash as the output hash when nothing is found', async () => {
    const clean = new Uint8Array(randomBytes(5000));
    const { sink } = memorySink();
    const blob = new Blob([clean]);
    const { manifest } = await sanitize({ name: 'c', input: blobSource(blob), inputScanners: scannersOver(blob), sink, createHash: nodeSha256, options: { policy: 'standard', verify: true, chunkSize: 999 } });
    expect(manifest.redactions).toEqual([]);
    expect(manifest.output.sha256).toBe(sha(clean));
  });

  it('fails verification when the written output still holds a secret', async () => {
    const blob = new Blob([input]);
    // A sink that claims success but whose finished file is the untouched input.
    const sink: OutputSink = { streamsBytes: false, write: async () => {}, finish: async () => scannersOver(blob) };
    await expect(
      sanitize({ name: 'x', input: blobSource(blob), inputScanners: scannersOver(blob), sink, createHash: nodeSha256, options: { policy: 'standard', verify: true, chunkSize: 4096 } }),
    ).rejects.toThrow(/verification failed: 6 finding/);
  });

  it('stops within one chunk when cancelled and never finishes the output', async () => {
    const blob = new Blob([input]);
    const controller = new AbortController();
    let scanned = 0;
    const counting: ChunkScanner[] = scannersOver(blob, 1).map((s) => ({
      scan: async (a, b) => {
        scanned++;
        if (scanned === 2) controller.abort();
        return s.scan(a, b);
      },
    }));
    let finished = false;
    const sink: OutputSink = { streamsBytes: false, write: async () => {}, finish: async () => ((finished = true), []) };
    const job = sanitize({ name: 'x', input: blobSource(blob), inputScanners: counting, sink, createHash: nodeSha256, options: { policy: 'standard', verify: true, chunkSize: 1000 }, signal: controller.signal });
    await expect(job).rejects.toMatchObject({ name: CANCELLED });
    expect(scanned).toBe(2);
    expect(finished).toBe(false);
  });

  it('fails the whole job when one chunk fails', async () => {
    const blob = new Blob([input]);
    const failing: ChunkScanner[] = [...scannersOver(blob, 1), { scan: async () => { throw new Error('read error: disk gone'); } }];
    let finished = false;
    const sink: OutputSink = { streamsBytes: false, write: async () => {}, finish: async () => ((finished = true), []) };
    await expect(
      sanitize({ name: 'x', input: blobSource(blob), inputScanners: failing, sink, createHash: nodeSha256, options: { policy: 'standard', verify: true, chunkSize: 1000 } }),
    ).rejects.toThrow('read error: disk gone');
    expect(finished).toBe(false);
  });
});
