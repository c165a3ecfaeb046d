/**
 * Detector `sweep` (detectors.md §4.1, family D): once keys are confirmed, every other encoding of
 * their secret values is an anchor. The anchor kernel matches the needles exactly (raw needles as
 * bytes, hex/base64 needles in ASCII and UTF-16LE), so `detect` only maps a hit to the exact bytes
 * it covers; it re-checks them anyway, in case a finder ever reports a prefilter-only hit.
 *
 * Needles shared by several secrets (the same key confirmed twice, by its PEM and by a DER copy) are
 * searched once and reported for the first secret that produced them.
 */
import type { AnchorHit } from '../anchors.ts';
import type { Detector } from '../detectors/detector.ts';
import type { Finding } from '../types.ts';
import type { ScanWindow } from '../window.ts';
import { needleKey, sweepNeedles, type SweepNeedle } from './encodings.ts';
import type { SecretMaterial } from './secret.ts';

export const SWEEP_DETECTOR_ID = 'sweep';
/** The kind of findings of a secret the user supplied (a detector-confirmed token keeps `text-secret`). */
export const USER_SECRET_KIND = 'user-secret';

/** What a secret's findings are called: the user's own secrets apart from what a detector proved. */
function findingKind(secret: SecretMaterial): string {
  return secret.kind === 'text-secret' && secret.origin === 'user' ? USER_SECRET_KIND : secret.kind;
}

interface Entry {
  needle: SweepNeedle;
  kind: string;
  fingerprint: string | undefined;
}

/** True if `bytes` hold `needle` (latin1) at `pos`, one byte per char, or as UTF-16LE when `wide`. */
function holds(bytes: Uint8Array, pos: number, needle: string, wide: boolean): boolean {
  const step = wide ? 2 : 1;
  if (pos < 0 || pos + needle.length * step > bytes.length) return false;
  for (let i = 0; i < needle.length; i++) {
    if (bytes[pos + i * step] !== needle.charCodeAt(i)) return false;
    if (wide && bytes[pos + i * step + 1] !== 0) return false;
  }
  return true;
}

export function createSweepDetector(secrets: readonly SecretMaterial[]): Detector {
  const seen = new Set<string>();
  const text: Entry[] = [];
  const raw: Entry[] = [];
  for (const secret of secrets) {
    for (const needle of sweepNeedles(secret)) {
      const key = needleKey(needle);
      if (seen.has(key)) continue;
      seen.add(key);
      (needle.textForms ? text : raw).push({ needle, kind: findingKind(secret), fingerprint: secret.fingerprint });
    }
  }
  // Anchor i indexes [...anchors, ...rawAnchors], i.e. [...text, ...raw].
  const entries = [...text, ...raw];
  return {
    id: SWEEP_DETECTOR_ID,
    anchors: text.map((e) => e.needle.bytes),
    rawAnchors: raw.map((e) => e.needle.bytes),
    detect(win: ScanWindow, hit: AnchorHit, anchor: number): Finding[] {
      const entry = entries[anchor];
      if (!entry) return [];
      const wide = hit.wide && entry.needle.textForms;
      if (!holds(win.bytes, hit.pos, entry.needle.bytes, wide)) return [];
      // UTF-16BE text that is also UTF-16LE text one byte later: the LE hit reports it.
      if (entry.needle.leTwin !== undefined && holds(win.bytes, hit.pos + 1, entry.needle.leTwin, false)) return [];
      const finding: Finding = {
        offset: win.base + hit.pos,
        length: entry.needle.bytes.length * (wide ? 2 : 1),
        kind: entry.kind,
        detector: SWEEP_DETECTOR_ID,
        confidence: 'high',
        encoding: entry.needle.encoding + (wide ? '-utf16le' : ''),
      };
      if (entry.fingerprint !== undefined) finding.fingerprint = entry.fingerprint;
      return [finding];
    },
  };
}
