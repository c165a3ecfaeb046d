/**
 * The two AnchorFinder implementations: the WebAssembly kernel (src/wasm/anchors.as.ts) behind a
 * plain-TS wrapper, and a naive reference that the tests hold the kernel to.
 */

import type { AnchorFinder, AnchorHit, AnchorSpec } from '../engine/anchors.ts';
import { kernelAllocator, kernelInput } from './kernel-memory.ts';

/** Raw exports of the anchor kernel in core.wasm; see anchors.as.ts for the meaning of each. */
export interface AnchorKernelExports {
  memory: WebAssembly.Memory;
  SCAN_SLACK: WebAssembly.Global;
  alloc(size: number): number;
  setAnchors(spec: number, count: number): void;
  scan(ptr: number, len: number, from: number, to: number, out: number, cap: number): number;
  stoppedAt(): number;
}

const MIN_OUTPUT_HITS = 4096;

interface EncodedAnchor {
  bytes: Uint8Array;
  /** Also searched as UTF-16LE. */
  textForms: boolean;
}

/** Bytes of each anchor; throws on an empty one, a non-ASCII text anchor or a non-byte char. */
function encodeAnchors(anchors: readonly AnchorSpec[]): EncodedAnchor[] {
  return anchors.map((anchor, i) => {
    const text = typeof anchor === 'string' ? anchor : anchor.bytes;
    const textForms = typeof anchor === 'string';
    const limit = textForms ? 0x7f : 0xff;
    if (text.length === 0) throw new Error(`Anchor #${i} is empty`);
    const bytes = new Uint8Array(text.length);
    for (let k = 0; k < text.length; k++) {
      const code = text.charCodeAt(k);
      if (code > limit) {
        const what = textForms ? 'a non-ASCII character' : 'a character above 0xFF';
        throw new Error(`Anchor #${i} (${JSON.stringify(text)}) has ${what} at index ${k}`);
      }
      bytes[k] = code;
    }
    return { bytes, textForms };
  });
}

/** [from, to) clipped to the buffer; `to` may be Infinity. */
function clipRange(length: number, from: number, to: number): [number, number] {
  if (Number.isNaN(from) || Number.isNaN(to)) throw new RangeError('find(): from and to must be numbers');
  return [Math.max(0, Math.ceil(from)), Math.min(length, Math.ceil(to))];
}

export function createReferenceAnchorFinder(anchors: readonly AnchorSpec[]): AnchorFinder {
  const encoded = encodeAnchors(anchors);
  const ascii = encoded.map((a) => a.bytes);
  const wide = encoded.map(({ bytes, textForms }) => {
    if (!textForms) return null;
    const w = new Uint8Array(bytes.length * 2);
    bytes.forEach((b, k) => (w[k * 2] = b));
    return w;
  });
  const matchesAt = (bytes: Uint8Array, pos: number, needle: Uint8Array): boolean => {
    if (pos + needle.length > bytes.length) return false;
    for (let k = 0; k < needle.length; k++) if (bytes[pos + k] !== needle[k]) return false;
    return true;
  };
  return {
    find(bytes, from, to) {
      const [start, end] = clipRange(bytes.length, from, to);
      const hits: AnchorHit[] = [];
      for (let pos = start; pos < end; pos++) {
        for (let anchor = 0; anchor < ascii.length; anchor++) {
          if (matchesAt(bytes, pos, ascii[anchor])) hits.push({ pos, anchor, wide: false });
          const w = wide[anchor];
          if (w && matchesAt(bytes, pos, w)) hits.push({ pos, anchor, wide: true });
        }
      }
      return hits;
    },
  };
}

/** Length flag the kernel reads as "byte string only, no UTF-16LE form". */
const RAW_ONLY = 0x80000000;

export function createWasmAnchorFinder(module: WebAssembly.Module, anchors: readonly AnchorSpec[]): AnchorFinder {
  const encoded = encodeAnchors(anchors);
  const kernel = new WebAssembly.Instance(module, {}).exports as unknown as AnchorKernelExports;
  const slack = kernel.SCAN_SLACK.value as number;

  const alloc = kernelAllocator(kernel, 'AnchorFinder');

  const textBytes = encoded.reduce((sum, a) => sum + a.bytes.length, 0);
  const spec = alloc(4 * encoded.length + textBytes);
  // alloc() returns 16-byte aligned blocks, so the u32 view needs no offset fix-up.
  new Uint32Array(kernel.memory.buffer, spec, encoded.length).set(
    encoded.map((a) => (a.textForms ? a.bytes.length : (a.bytes.length | RAW_ONLY) >>> 0)),
  );
  let at = spec + 4 * encoded.length;
  for (const { bytes } of encoded) {
    new Uint8Array(kernel.memory.buffer, at, bytes.length).set(bytes);
    at += bytes.length;
  }
  kernel.setAnchors(spec, encoded.length);

  // The kernel never splits one position's hits across calls, so the output must hold them all.
  const outCap = Math.max(MIN_OUTPUT_HITS, 2 * encoded.length);
  const out = alloc(outCap * 8);
  const longest = encoded.reduce((max, a) => Math.max(max, 2 * a.bytes.length), 0);
  const inputArea = kernelInput(kernel, alloc, slack);

  return {
    find(bytes, from, to) {
      const [start, end] = clipRange(bytes.length, from, to);
      if (start >= end || encoded.length === 0) return [];
      // Only the bytes a hit starting in [start, end) can cover are copied in.
      const windowEnd = Math.min(bytes.length, end - 1 + longest);
      const windowLen = windowEnd - start;
      const input = inputArea.load(bytes.subarray(start, windowEnd));

      const hits: AnchorHit[] = [];
      const rangeLen = end - start;
      let next = 0;
      while (next < rangeLen) {
        const count = kernel.scan(input, windowLen, next, rangeLen, out, outCap) >>> 0;
        const raw = new Uint32Array(kernel.memory.buffer, out, count * 2);
        for (let i = 0; i < raw.length; i += 2) {
          hits.push({ pos: start + raw[i], anchor: raw[i + 1] >>> 1, wide: (raw[i + 1] & 1) === 1 });
        }
        next = kernel.stoppedAt() >>> 0;
      }
      return hits;
    },
  };
}
