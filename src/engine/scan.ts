import type { AnchorFinder, AnchorSpec } from './anchors.ts';
import type { Detector } from './detectors/detector.ts';
import type { Harvester, RsaPublicKey } from './harvest/public-key.ts';
import type { Finding } from './types.ts';
import type { ScanWindow } from './window.ts';

/** Anything that names anchors: detectors, and harvesters of public keys. */
interface AnchorUser {
  readonly anchors: readonly string[];
  readonly rawAnchors?: readonly string[];
}

/** A set of anchor users compiled into one anchor list, so one kernel pass serves them all. */
export interface AnchorSet<T extends AnchorUser> {
  readonly anchors: readonly AnchorSpec[];
  /** For each entry of `anchors`: its user (`detector`) and the index into the user's own list. */
  readonly owners: readonly { detector: T; anchor: number }[];
}

export type DetectorSet = AnchorSet<Detector>;
export type HarvesterSet = AnchorSet<Harvester>;

export function compileDetectors<T extends AnchorUser = Detector>(detectors: readonly T[]): AnchorSet<T> {
  const anchors: AnchorSpec[] = [];
  const owners: { detector: T; anchor: number }[] = [];
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

/**
 * Every public key the harvesters read at anchors in the window's owned range, each once (a key is
 * often read twice: a certificate's SPKI holds an RSAPublicKey, and both have anchors).
 */
export function harvestWindow(win: ScanWindow, finder: AnchorFinder, set: HarvesterSet): RsaPublicKey[] {
  const keys = new Map<string, RsaPublicKey>();
  for (const hit of finder.find(win.bytes, win.ownStart, win.ownEnd)) {
    const { detector: harvester, anchor } = set.owners[hit.anchor]!;
    for (const key of harvester.harvest(win, hit, anchor)) {
      const id = `${key.n.toString(16)}:${key.e.toString(16)}`;
      if (!keys.has(id)) keys.set(id, key);
    }
  }
  return [...keys.values()];
}
