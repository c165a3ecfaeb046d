import type { AnchorFinder, AnchorSpec } from './anchors.ts';
import type { Detector } from './detectors/detector.ts';
import type { Finding } from './types.ts';
import type { ScanWindow } from './window.ts';

/** A detector set compiled into one anchor list, so one kernel pass serves all detectors. */
export interface DetectorSet {
  readonly anchors: readonly AnchorSpec[];
  /** For each entry of `anchors`: the detector and the index into its own anchor list. */
  readonly owners: readonly { detector: Detector; anchor: number }[];
}

export function compileDetectors(detectors: readonly Detector[]): DetectorSet {
  const anchors: AnchorSpec[] = [];
  const owners: { detector: Detector; anchor: number }[] = [];
  for (const detector of detectors) {
    const own: AnchorSpec[] = [
      ...detector.anchors,
      ...(detector.rawAnchors ?? []).map((bytes) => ({ bytes, textForms: false as const })),
    ];
    own.forEach((spec, anchor) => {
      anchors.push(spec);
      owners.push({ detector, anchor });
    });
  }
  return { anchors, owners };
}

/**
 * Runs every detector over a window's owned range. Anchor hits that fall inside a finding already
 * made by the same detector are skipped: one block yields one finding, not one per inner anchor.
 * Only zeroed (high or medium) findings cover hits: a weak guess must not hide a real key in it. A
 * finding may lie after its anchor (a secret found near a key id), so a hit is skipped only when a
 * finding contains it, never merely because an earlier hit's finding reaches past it.
 */
export function scanWindow(win: ScanWindow, finder: AnchorFinder, set: DetectorSet): Finding[] {
  const findings: Finding[] = [];
  const covering = new Map<Detector, Finding[]>();
  for (const hit of finder.find(win.bytes, win.ownStart, win.ownEnd)) {
    const { detector, anchor } = set.owners[hit.anchor]!;
    const at = win.base + hit.pos;
    let live = covering.get(detector);
    if (live && live.length > 0) {
      // Hits come in file order, so a finding that ends before this hit covers no later one either.
      live = live.filter((f) => f.offset + f.length > at);
      covering.set(detector, live);
      if (live.some((f) => f.offset <= at)) continue;
    }
    for (const finding of detector.detect(win, hit, anchor)) {
      findings.push(finding);
      if (finding.confidence === 'low') continue;
      if (!live) covering.set(detector, (live = []));
      live.push(finding);
    }
  }
  return findings;
}
