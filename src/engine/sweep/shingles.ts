/**
 * Partial copies in the derived sweep (detectors.md §4.1, "Partial copies"). Freed and overwritten
 * memory leaves fragments of a key: half a BIGNUM, a few limbs of p after a realloc, part of a
 * token. The whole-needle sweep misses them, so every secret component, in every binary layout
 * (encodings.ts), is cut into 16-byte shingles at step 8 and searched at any offset by the shingle
 * kernel. A hit is extended byte by byte as far as the dump keeps agreeing with the component, and
 * exactly that span is zeroed.
 *
 * Components: each value sweepNeedles sweeps (RSA d — both textbook exponents too —, p, q, dp, dq,
 * qi; an EC scalar; an RFC 8410 private key), a symmetric key of at least 32 bytes (a shorter one is
 * at most two shingles: the whole-needle sweep covers it) and a text secret of at least 24 chars,
 * as its UTF-8 bytes and as UTF-16LE.
 *
 * Encoding: `<layout>-partial` (`bignum-le-partial`, `text-partial-utf16le`), or the layout's own
 * name when the span is the whole component.
 *
 * Confidence: a span holding ≥ 2 shingles of its component (overlapping or adjacent, consistent in
 * position) is a partial copy, high; a lone shingle is 128 bits of the key, medium (still zeroed).
 * Shingles with fewer than 12 distinct bytes (6 distinct chars in UTF-16LE) are not indexed: zero
 * runs and repeated bytes are not specific to a key. A span may still extend across them.
 */
import type { Finding } from '../types.ts';
import type { ScanWindow } from '../window.ts';
import { createWasmShingleFinder, SHINGLE_BYTES, type ShingleFinder } from '../../wasm/shingle-finder.ts';
import { binaryLayouts, secretValues, type BinaryLayout } from './encodings.ts';
import type { SecretMaterial } from './secret.ts';
import { SWEEP_DETECTOR_ID } from './sweep-detector.ts';

/** Shingles start every STEP bytes: any fragment of 16 + STEP - 1 bytes holds a whole one. */
const STEP = 8;
/** Of a shingle's 16 bytes, how many must be distinct for it to identify a key. */
export const MIN_DISTINCT_BYTES = 12;
export const MIN_TEXT_CHARS = 24;
export const MIN_SYMMETRIC_BYTES = 32;

export type PartialLayout = BinaryLayout | 'text';

/** One secret value in one layout, and where its indexed shingles start. */
interface Component {
  bytes: Uint8Array;
  layout: PartialLayout;
  /** Bytes per unit: 2 for the UTF-16LE form of a text secret, whose spans are whole chars. */
  unit: 1 | 2;
  kind: string;
  fingerprint: string | undefined;
  shingles: number[];
}

/** What the shingle finder searches for, and for each needle the component and offset it came from. */
export interface ShingleIndex {
  /** The needles back to back, SHINGLE_BYTES each. */
  needles: Uint8Array;
  owners: { component: Component; offset: number }[];
}

function distinctUnits(bytes: Uint8Array, unit: 1 | 2): number {
  const seen = new Set<number>();
  for (let i = 0; i < bytes.length; i += unit) seen.add(unit === 2 ? bytes[i]! | (bytes[i + 1]! << 8) : bytes[i]!);
  return seen.size;
}

/** Offsets 0, 8, 16, … and the last whole window (so the tail is covered), specific ones only. */
function shingleOffsets(bytes: Uint8Array, unit: 1 | 2): number[] {
  if (bytes.length < SHINGLE_BYTES) return [];
  const last = bytes.length - SHINGLE_BYTES;
  const offsets: number[] = [];
  for (let at = 0; at < last; at += STEP) offsets.push(at);
  offsets.push(last);
  return offsets.filter((at) => distinctUnits(bytes.subarray(at, at + SHINGLE_BYTES), unit) * unit >= MIN_DISTINCT_BYTES);
}

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[2 * i] = text.charCodeAt(i) & 0xff;
    out[2 * i + 1] = text.charCodeAt(i) >> 8;
  }
  return out;
}

/** The layouts of a secret's values whose fragments are searched for. */
function layoutsOf(secret: SecretMaterial): { layout: PartialLayout; bytes: Uint8Array; unit: 1 | 2 }[] {
  switch (secret.kind) {
    case 'text-secret':
      if (secret.text.length < MIN_TEXT_CHARS) return [];
      return [
        { layout: 'text', bytes: new TextEncoder().encode(secret.text), unit: 1 },
        { layout: 'text', bytes: utf16le(secret.text), unit: 2 },
      ];
    case 'aes-key':
    case 'symmetric-key':
      if (secret.key.length < MIN_SYMMETRIC_BYTES) return [];
    // A long enough key is laid out like any other value.
  }
  return secretValues(secret).flatMap(({ be, integer }) => binaryLayouts(be, integer).map((l) => ({ ...l, unit: 1 as const })));
}

/** Every indexed shingle of every secret, each with the component and offset it came from. */
export function buildShingleIndex(secrets: readonly SecretMaterial[]): ShingleIndex {
  const owners: ShingleIndex['owners'] = [];
  const parts: Uint8Array[] = [];
  for (const secret of secrets) {
    for (const { layout, bytes, unit } of layoutsOf(secret)) {
      const component: Component = { bytes, layout, unit, kind: secret.kind, fingerprint: secret.fingerprint, shingles: shingleOffsets(bytes, unit) };
      for (const offset of component.shingles) {
        owners.push({ component, offset });
        parts.push(bytes.subarray(offset, offset + SHINGLE_BYTES));
      }
    }
  }
  const needles = new Uint8Array(parts.length * SHINGLE_BYTES);
  parts.forEach((part, i) => needles.set(part, i * SHINGLE_BYTES));
  return { needles, owners };
}

/**
 * The component range [lo, hi) that the window holds with the component's byte 0 at `origin`, grown
 * from the matched shingle at `offset` as far as the bytes agree, in whole units.
 */
function agreeingSpan(bytes: Uint8Array, origin: number, component: Component, offset: number): [number, number] {
  const c = component.bytes;
  let lo = offset;
  while (lo > 0 && origin + lo > 0 && bytes[origin + lo - 1] === c[lo - 1]) lo--;
  let hi = offset + SHINGLE_BYTES;
  while (hi < c.length && origin + hi < bytes.length && bytes[origin + hi] === c[hi]) hi++;
  // A char whose other byte disagrees is a different char.
  return [Math.ceil(lo / component.unit) * component.unit, Math.floor(hi / component.unit) * component.unit];
}

/**
 * Fragments of the indexed secrets in the window: every shingle starting in the owned range,
 * extended to its whole agreeing span (into the context too, so every chunk that sees part of a
 * fragment reports the same span; plan.ts merges them).
 */
export function findPartialCopies(win: ScanWindow, index: ShingleIndex, finder: ShingleFinder): Finding[] {
  const findings: Finding[] = [];
  const spans = new Map<Component, Set<number>>();
  for (const hit of finder.find(win.bytes, win.ownStart, win.ownEnd)) {
    const { component, offset } = index.owners[hit.needle]!;
    const origin = hit.pos - offset;
    const seen = spans.get(component) ?? new Set<number>();
    spans.set(component, seen);
    if (seen.has(origin)) continue;
    seen.add(origin);
    const [lo, hi] = agreeingSpan(win.bytes, origin, component, offset);
    const held = component.shingles.filter((at) => at >= lo && at + SHINGLE_BYTES <= hi).length;
    // A whole copy is named like the whole-needle sweep names it; both may report it.
    const whole = hi - lo === component.bytes.length;
    const finding: Finding = {
      offset: win.base + origin + lo,
      length: hi - lo,
      kind: component.kind,
      detector: SWEEP_DETECTOR_ID,
      confidence: held >= 2 ? 'high' : 'medium',
      encoding: `${component.layout}${whole ? '' : '-partial'}${component.unit === 2 ? '-utf16le' : ''}`,
    };
    if (component.fingerprint !== undefined) finding.fingerprint = component.fingerprint;
    findings.push(finding);
  }
  return findings;
}

export type ShingleSweep = (win: ScanWindow, secrets: readonly SecretMaterial[], requestId: string) => Finding[];

/**
 * The partial-copy sweep of a worker: the shingles of a request's secrets are indexed once per
 * request id (like the engine's sweep sets), then searched in every window.
 */
export function createShingleSweep(kernel: WebAssembly.Module): ShingleSweep {
  let cached: { id: string; index: ShingleIndex; finder: ShingleFinder } | null = null;
  return (win, secrets, requestId) => {
    if (cached?.id !== requestId) {
      const index = buildShingleIndex(secrets);
      cached = { id: requestId, index, finder: createWasmShingleFinder(kernel, index.needles) };
    }
    return findPartialCopies(win, cached.index, cached.finder);
  };
}
