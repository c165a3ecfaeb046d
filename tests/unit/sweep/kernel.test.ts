import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileDetectors } from '../../../src/engine/scan.ts';
import { sweepNeedles } from '../../../src/engine/sweep/encodings.ts';
import { createSweepDetector } from '../../../src/engine/sweep/sweep-detector.ts';
import { createReferenceAnchorFinder, createWasmAnchorFinder } from '../../../src/wasm/anchor-finder.ts';
import { leFixed, rsaParts } from '../../fixtures/binary-keys.ts';
import * as keys from '../../fixtures/keys.ts';
import { layout, rsaSecretOf } from './helpers.ts';

let wasmModule: WebAssembly.Module;

beforeAll(async () => {
  wasmModule = await WebAssembly.compile(await readFile(new URL('../../../src/wasm/core.wasm', import.meta.url)));
});

describe('sweep needles in the WebAssembly anchor kernel', () => {
  it('the kernel reports the same hits as the reference finder for the needles of several keys', () => {
    const rsa = [keys.rsaKey(2048), generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey];
    const secrets = rsa.map(rsaSecretOf);
    const count = secrets.map((s) => sweepNeedles(s).length);
    for (const c of count) expect(c).toBeLessThan(150);
    const set = compileDetectors([createSweepDetector(secrets)]);

    const k = rsaParts(rsa[0]!);
    const k2 = rsaParts(rsa[1]!);
    const file = layout(
      leFixed(k.p, 128),
      keys.utf16le(k2.q.toString('hex').toUpperCase()),
      Buffer.from(Buffer.concat([randomBytes(7), k.dq, randomBytes(5)]).toString('base64')),
      Buffer.concat([Buffer.of(0), k2.d]),
      randomBytes(20_000),
    );
    const started = performance.now();
    const wasm = createWasmAnchorFinder(wasmModule, set.anchors);
    const planMs = performance.now() - started;
    const ref = createReferenceAnchorFinder(set.anchors);
    const hits = wasm.find(file.bytes, 0, file.bytes.length);
    expect(hits).toEqual(ref.find(file.bytes, 0, file.bytes.length));
    expect(hits.length).toBeGreaterThanOrEqual(4);
    // Bucket planning is cubic in the anchor count; two keys' needles must stay cheap to load.
    expect(planMs).toBeLessThan(5000);
  });
});
