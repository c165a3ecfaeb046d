/** Shared helpers of the sweep tests: secrets straight from node:crypto's JWK, and planting. */
import type { KeyObject } from 'node:crypto';
import type { Detector } from '../../../src/engine/detectors/detector.ts';
import { compileDetectors, scanWindow } from '../../../src/engine/scan.ts';
import { extractSecret } from '../../../src/engine/sweep/extract.ts';
import type { SecretMaterial } from '../../../src/engine/sweep/secret.ts';
import type { Finding } from '../../../src/engine/types.ts';
import { makeWindow, windowRange } from '../../../src/engine/window.ts';
import { createReferenceAnchorFinder } from '../../../src/wasm/anchor-finder.ts';
import { big, nodeFingerprint, rsaParts } from '../../fixtures/binary-keys.ts';
import { noise } from '../../fixtures/scan-window.ts';

/** The RSA secret as node:crypto reports it (JWK), independent of the code under test. */
export function rsaSecretOf(key: KeyObject): SecretMaterial {
  const k = rsaParts(key);
  return {
    kind: 'rsa-private-key',
    fingerprint: nodeFingerprint(key),
    n: big(k.n),
    e: big(k.e),
    d: big(k.d),
    p: big(k.p),
    q: big(k.q),
    dp: big(k.dp),
    dq: big(k.dq),
    qi: big(k.qi),
  };
}

/**
 * Parts between NUL-delimited random noise (no text run crosses into a part), every part at an odd
 * offset; `range(i)` is part i's [start, end).
 */
export function layout(...parts: (Uint8Array | string)[]): { bytes: Buffer; at: number[]; range(i: number): [number, number] } {
  const chunks: Buffer[] = [];
  const at: number[] = [];
  let offset = 0;
  const buffers = parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)));
  for (const part of buffers) {
    let gap = 200 + 3 * at.length;
    if ((offset + gap) % 2 === 0) gap++;
    chunks.push(Buffer.from(noise(gap)), part);
    offset += gap;
    at.push(offset);
    offset += part.length;
  }
  chunks.push(Buffer.from(noise(150)));
  return { bytes: Buffer.concat(chunks), at, range: (i) => [at[i]!, at[i]! + buffers[i]!.length] };
}

/**
 * Scans `file` in chunks as the engine does and extracts a secret from every finding in the window
 * it was found in (where the pipeline will call extractSecret).
 */
export function scanAndExtract(
  detectors: readonly Detector[],
  file: Uint8Array,
  chunkSize = file.length + 1,
): { finding: Finding; secret: SecretMaterial | null }[] {
  const set = compileDetectors(detectors);
  const finder = createReferenceAnchorFinder(set.anchors);
  const out: { finding: Finding; secret: SecretMaterial | null }[] = [];
  for (let start = 0; start < file.length; start += chunkSize) {
    const end = Math.min(file.length, start + chunkSize);
    const { from, to } = windowRange(start, end, file.length);
    const win = makeWindow(file.subarray(from, to), from, start, end, file.length);
    for (const finding of scanWindow(win, finder, set)) out.push({ finding, secret: extractSecret(win, finding) });
  }
  return out;
}
