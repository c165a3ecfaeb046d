/**
 * The `token` detector: every text rule (rule.ts) behind one anchor list. For each anchor hit it
 * decodes the text around the hit in every view the bytes allow (ASCII; UTF-16LE or UTF-16BE; then
 * JSON/C escapes and URL percent-escapes decoded), runs each rule owning the anchor near the hit —
 * a match must contain the anchor —, validates it, and reports the bytes of the encoded secret.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { AnchorHit } from '../../anchors.ts';
import { toHex } from '../../crypto/bigint.ts';
import { shannonEntropy } from '../../crypto/entropy.ts';
import {
  escapeOverhead,
  isEscape,
  readTextRunIn,
  readWideRuns,
  unescapeView,
  urlDecodeView,
  type TextForm,
  type TextView,
} from '../../text/text-view.ts';
import type { Confidence, Finding } from '../../types.ts';
import { MAX_MATCH_BYTES, type ScanWindow } from '../../window.ts';
import type { Detector } from '../detector.ts';
import { isExample, isPlaceholder } from './precision.ts';
import type { TextRule } from './rule.ts';

/** Chars read past a rule's reach, for the lookarounds at the ends of its match. */
const LOOKAROUND_CHARS = 32;

/** Raw chars after an anchor that a rule's `follows` test sees, decoded. */
const FOLLOWS_CHARS = 256;

/**
 * Escaped spellings of the chars that JSON serializers (`\u002B`, `\/`) and URL encoders (`%2B`,
 * `%2b`) escape. Where the char starts the anchor only the common tail is needed (`2BASt` is in both
 * `\u002BASt` and `%2BASt`): the hit then lies inside the escape, which the decoded view maps back
 * to the escaped char. Every anchor costs prefilter speed, so rules keep these chars out of anchors
 * where a pattern can check them instead.
 */
const ESCAPED_FORMS: Record<string, { full: readonly string[]; tails: readonly string[] }> = {
  '+': { full: ['\\u002B', '%2B', '%2b'], tails: ['2B', '2b'] },
  '/': { full: ['\\/', '%2F', '%2f'], tails: ['\\/', '2F', '2f'] },
  '=': { full: ['%3D', '%3d'], tails: ['3D', '3d'] },
};

/** An anchor and its escaped spellings (one special char escaped at a time, all alike). */
function anchorSpellings(anchor: string): string[] {
  const out = [anchor];
  for (const [char, { full, tails }] of Object.entries(ESCAPED_FORMS)) {
    if (!anchor.includes(char)) continue;
    const forms = anchor.startsWith(char) && anchor.indexOf(char, 1) < 0 ? tails : full;
    for (const form of forms) out.push(anchor.split(char).join(form));
  }
  return out;
}

const RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

interface CompiledRule {
  rule: TextRule;
  /** The pattern with the flags the engine runs it with (`d` for group indices; `y` or `g`). */
  pattern: RegExp;
  truncated: RegExp | null;
  /** The rule's `follows` test, sticky. */
  follows: RegExp | null;
}

interface AnchorUse {
  rule: CompiledRule;
  /** Length of the anchor as decoded text (its escaped spelling decodes to it). */
  decodedLength: number;
}

/** A view a match was made in, and how to name its encoding. */
interface SourceView {
  view: TextView;
  form: TextForm;
  escaping: '' | '-json-escaped' | '-url-encoded';
}

function compile(pattern: RegExp, sticky: boolean): RegExp {
  const keep = pattern.flags.replace(/[dgy]/g, '');
  return new RegExp(pattern.source, `${keep}d${sticky ? 'y' : 'g'}`);
}

/**
 * The raw text run(s) around a hit: one ASCII run, or the UTF-16 readings that fit. A big-endian
 * reading cut before like the little-endian one and holding the same text matches the same, and
 * loses every tie to it: it is dropped (inside long UTF-16 text, that is every hit).
 */
function rawRuns(bytes: Uint8Array, hit: AnchorHit, back: number, forward: number): { view: TextView; form: TextForm }[] {
  if (!hit.wide) return [{ view: readTextRunIn(bytes, hit.pos, 'ascii', back, forward), form: 'ascii' }];
  const runs = readWideRuns(bytes, hit.pos, back, forward);
  const [le, be] = runs.map((r) => r.run);
  if (le && be && le.openBefore && be.openBefore && le.openAfter === be.openAfter && le.origin === be.origin && le.text === be.text) {
    runs.pop();
  }
  return runs.map(({ form, run }) => ({ view: run, form }));
}

/** Decoded chars to read each way around a hit, and the raw chars that hold them at most. */
interface Reach {
  back: number;
  forward: number;
  limit: number;
}

/**
 * The text views of a hit: the raw run(s), then their escape-decoded forms where they differ. The
 * raw text is read at the plain reach, then widened by the chars its escapes may take until it holds
 * the reach in decoded chars each way: text without an escape char is read once and not decoded.
 */
function viewsAround(win: ScanWindow, hit: AnchorHit, reach: Reach): SourceView[] {
  let back = reach.back;
  let forward = reach.forward;
  let raws = rawRuns(win.bytes, hit, back, forward);
  for (;;) {
    let wantBack = reach.back;
    let wantForward = reach.forward;
    for (const { view } of raws) {
      const { text, origin } = view;
      wantBack = Math.max(wantBack, reach.back + escapeOverhead(text, 0, origin));
      wantForward = Math.max(wantForward, reach.forward + escapeOverhead(text, origin, text.length));
    }
    wantBack = Math.min(wantBack, reach.limit);
    wantForward = Math.min(wantForward, reach.limit);
    if (wantBack <= back && wantForward <= forward) break;
    // At least doubled, so text dense with escapes takes few reads.
    if (wantBack > back) back = Math.min(Math.max(wantBack, 2 * back), reach.limit);
    if (wantForward > forward) forward = Math.min(Math.max(wantForward, 2 * forward), reach.limit);
    raws = rawRuns(win.bytes, hit, back, forward);
  }
  const out: SourceView[] = [];
  for (const { view, form } of raws) {
    out.push({ view, form, escaping: '' });
    const unescaped = unescapeView(view);
    if (unescaped !== view) out.push({ view: unescaped, form, escaping: '-json-escaped' });
    const decoded = urlDecodeView(view);
    if (decoded !== view) out.push({ view: decoded, form, escaping: '-url-encoded' });
  }
  return out;
}

interface Candidate {
  /** The whole match in the view's text. */
  matchStart: number;
  matchEnd: number;
  /** The secret in the view's text. */
  start: number;
  end: number;
  secret: string;
  confidence: Confidence;
  example: boolean;
}

/** True when the text run of `view` starts right after a zero byte, or a zero unit in UTF-16. */
function followsZero(bytes: Uint8Array, view: TextView): boolean {
  const start = view.byteAt(0);
  if (view.openBefore || start < view.step) return false;
  for (let i = start - view.step; i < start; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * True when the text run holding the hit starts at most `maxChars` before it, right after a zero (in
 * either UTF-16 reading for a wide hit): cheap, so a rule for NUL-separated records pays its long
 * reach only inside such records.
 */
function runFollowsZero(bytes: Uint8Array, hit: AnchorHit, maxChars: number): boolean {
  const runs = hit.wide ? readWideRuns(bytes, hit.pos, maxChars, 1).map((r) => r.run) : [readTextRunIn(bytes, hit.pos, 'ascii', maxChars, 1)];
  return runs.some((run) => followsZero(bytes, run));
}

/** The chars after the anchor (of `length` raw chars) at a hit, in each reading and decoded form. */
function charsAfter(bytes: Uint8Array, hit: AnchorHit, length: number): string[] {
  const after = { ...hit, pos: hit.pos + length * (hit.wide ? 2 : 1) };
  return rawRuns(bytes, after, 0, FOLLOWS_CHARS).flatMap(({ view }) => [
    view.text,
    unescapeView(view).text,
    urlDecodeView(view).text,
  ]);
}

/** True when `test` (sticky) matches at the start of `text`. */
function testAt(test: RegExp, text: string): boolean {
  test.lastIndex = 0;
  return test.test(text);
}

/** The match of `use` in `view` that contains the anchor at the view's origin, validated. */
function matchAt(use: AnchorUse, view: TextView, bytes: Uint8Array): Candidate | null {
  const { rule, pattern, truncated } = use.rule;
  const { text, origin } = view;
  const anchorEnd = origin + use.decodedLength;
  if (anchorEnd > text.length) return null;
  let match: RegExpExecArray | null = null;
  let cutShort = false;
  if (rule.anchorOffset === 'near') {
    pattern.lastIndex = Math.max(0, origin - rule.maxLength);
    for (let m = pattern.exec(text); m && m.index <= origin; m = pattern.exec(text)) {
      if (m.index + m[0].length >= anchorEnd) {
        match = m;
        break;
      }
      if (m[0].length === 0) pattern.lastIndex++;
    }
  } else {
    const start = origin - (rule.anchorOffset ?? 0);
    if (start < 0) return null;
    pattern.lastIndex = start;
    match = pattern.exec(text);
    if (!match && truncated) {
      truncated.lastIndex = start;
      const cut = truncated.exec(text);
      // Only a token the text run ends in was cut short; one followed by more text is another string.
      if (cut && cut.index + cut[0].length === text.length && !view.openAfter) {
        match = cut;
        cutShort = true;
      }
    }
  }
  if (!match || match.index + match[0].length < anchorEnd) return null;
  if (rule.afterZero && (match.index !== 0 || !followsZero(bytes, view))) return null;

  const group = rule.secretGroup ?? 0;
  const span = match.indices?.[group];
  if (!span) return null;
  const secret = match[group]!;
  if (isPlaceholder(secret)) return null;
  if (rule.minEntropy !== undefined && shannonEntropy(secret) < rule.minEntropy) return null;
  // A cut token's checksum is gone with its tail: the truncated confidence stands.
  let confidence = cutShort ? rule.truncated!.confidence : rule.confidence;
  if (rule.validate && !cutShort) {
    const checked = rule.validate(secret, match);
    if (checked === null) return null;
    confidence = checked;
  }
  const example = isExample(secret);
  return {
    matchStart: match.index,
    matchEnd: match.index + match[0].length,
    start: span[0],
    end: span[1],
    secret,
    confidence: example ? 'low' : confidence,
    example,
  };
}

/** An anchor of a rule that does not yield, as decoded text: what a yielding rule's match looks for. */
interface SpecificAnchor {
  text: string;
  use: AnchorUse;
}

/**
 * True when a format rule finds a secret (high or medium) at one of its anchors inside the yielding
 * candidate's match, overlapping the candidate's secret: the bytes are that rule's to report.
 */
function claimedBySpecific(specific: readonly SpecificAnchor[], view: TextView, c: Candidate, bytes: Uint8Array): boolean {
  const span = view.text.slice(c.matchStart, c.matchEnd);
  for (const { text, use } of specific) {
    for (let at = span.indexOf(text); at >= 0; at = span.indexOf(text, at + 1)) {
      const other = matchAt(use, { ...view, origin: c.matchStart + at }, bytes);
      if (other && other.confidence !== 'low' && other.start < c.end && other.end > c.start) return true;
    }
  }
  return false;
}

function fingerprintOf(secret: string): string {
  return 'sha256:' + toHex(sha256(new TextEncoder().encode(secret))).slice(0, 16);
}

function toFinding(win: ScanWindow, rule: TextRule, source: SourceView, c: Candidate, id: string): Finding {
  const { view } = source;
  const from = view.byteAt(c.start);
  let escaped = false;
  for (let i = c.start; i < c.end && !escaped; i++) escaped = isEscape(view, i);
  const form = source.form === 'ascii' ? '' : `-${source.form}`;
  const finding: Finding = {
    offset: win.base + from,
    length: view.byteAt(c.end) - from,
    kind: rule.kind,
    detector: id,
    confidence: c.confidence,
    encoding: `ascii${escaped ? source.escaping : ''}${form}${c.example ? '-example' : ''}`,
  };
  const fingerprint = rule.fingerprint === false ? undefined : fingerprintOf(c.secret);
  if (fingerprint) finding.fingerprint = fingerprint;
  if (c.confidence !== 'low') {
    finding.secret = fingerprint ? { kind: 'text-secret', text: c.secret, fingerprint } : { kind: 'text-secret', text: c.secret };
  }
  return finding;
}

/** One detector running `rules`; its anchors are the rules' anchors and their escaped spellings. */
export function createTokenDetector(rules: readonly TextRule[], id = 'token'): Detector {
  const anchors: string[] = [];
  const uses: AnchorUse[][] = [];
  const specific: SpecificAnchor[] = [];
  for (const rule of rules) {
    const fixed = rule.anchorOffset !== 'near';
    const compiled: CompiledRule = {
      rule,
      pattern: compile(rule.pattern, fixed),
      truncated: rule.truncated ? compile(rule.truncated.pattern, true) : null,
      follows: rule.follows ? compile(rule.follows, true) : null,
    };
    for (const anchor of rule.anchors) {
      if (!rule.yields) specific.push({ text: anchor, use: { rule: compiled, decodedLength: anchor.length } });
      for (const spelling of anchorSpellings(anchor)) {
        let index = anchors.indexOf(spelling);
        if (index < 0) {
          index = anchors.push(spelling) - 1;
          uses.push([]);
        }
        uses[index]!.push({ rule: compiled, decodedLength: anchor.length });
      }
    }
  }
  // Chars read each way: the longest match (before the anchor: the most any rule puts there) and
  // its lookarounds, within the window's margin.
  const reachOf = (list: readonly AnchorUse[], step: number): Reach => {
    const limit = Math.floor(MAX_MATCH_BYTES / 2 / step);
    const back = Math.max(...list.map(({ rule: { rule } }) => rule.maxBefore ?? rule.maxLength));
    const forward = Math.max(...list.map(({ rule: { rule } }) => rule.maxLength));
    return { back: Math.min(back + LOOKAROUND_CHARS, limit), forward: Math.min(forward + LOOKAROUND_CHARS, limit), limit };
  };

  return {
    id,
    anchors,
    detect(win: ScanWindow, hit: AnchorHit, anchor: number): Finding[] {
      let after: string[] | null = null;
      const list = uses[anchor]!.filter(({ rule: { rule, follows } }) => {
        if (rule.afterZero && !runFollowsZero(win.bytes, hit, rule.maxBefore ?? rule.maxLength)) return false;
        if (!follows) return true;
        after ??= charsAfter(win.bytes, hit, anchors[anchor]!.length);
        return after.some((text) => testAt(follows, text));
      });
      if (list.length === 0) return [];
      const views = viewsAround(win, hit, reachOf(list, hit.wide ? 2 : 1));
      const findings: Finding[] = [];
      for (const use of list) {
        // Each view may match: the most confident, then the widest in bytes, is what the bytes hold.
        let best: { source: SourceView; c: Candidate; bytes: number } | null = null;
        for (const source of views) {
          const c = matchAt(use, source.view, win.bytes);
          if (!c) continue;
          const bytes = source.view.byteAt(c.end) - source.view.byteAt(c.start);
          const rank = RANK[c.confidence] - (best ? RANK[best.c.confidence] : -1);
          if (rank > 0 || (rank === 0 && bytes > best!.bytes)) best = { source, c, bytes };
        }
        if (!best) continue;
        if (use.rule.rule.yields && claimedBySpecific(specific, best.source.view, best.c, win.bytes)) continue;
        findings.push(toFinding(win, use.rule.rule, best.source, best.c, id));
      }
      return findings;
    },
  };
}
