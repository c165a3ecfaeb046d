/**
 * Text-secret rules as data (detectors.md §3.1). A rule names the anchors the WASM prefilter finds,
 * the pattern a match must fit, which part of the match is secret, and how to validate it; the one
 * `token` detector (token-detector.ts) runs every rule whose anchor hit. Adding a rule is one entry
 * in a rules/ module plus its fixture in tests/fixtures/tokens.ts.
 */
import type { Confidence } from '../../types.ts';

export interface TextRule {
  /** Row of the catalogue (detectors.md §3.1), e.g. `T6`; several rules may share one. */
  readonly ref: string;
  /** Release priority of the catalogue row: the README counts the P0 and P1 rules. */
  readonly priority: 'P0' | 'P1';
  /** Finding kind, e.g. `github-token`, `aws-access-key-id`. */
  readonly kind: string;
  /**
   * ASCII literals (exact bytes) every match contains, found in ASCII and UTF-16 text. A keyword
   * matched case-insensitively lists the case variants it needs. The engine adds the JSON- and
   * URL-escaped forms of anchors that hold `+`, `/` or `=`.
   */
  readonly anchors: readonly string[];
  /**
   * Chars between the start of a match and its anchor: a fixed count (0, the default, for prefixed
   * tokens; 76 for a signature at the end of an 88-char key), or `'near'` when the anchor sits
   * anywhere in the match (context patterns), which is then searched within `maxLength` of it.
   */
  readonly anchorOffset?: number | 'near';
  /**
   * What the decoded text right after the anchor must start with for the pattern to match (a rule
   * with a long reach: a header's `: Bearer`, a connection string's `=`). Tested on the few chars
   * after the hit (FOLLOWS_CHARS raw chars, as they are and decoded) before the text around it is
   * read, so a hit where it fails pays neither the rule nor its reach.
   */
  readonly follows?: RegExp;
  /** The match. Write it for decoded text; flags other than `i`/`s`/`u` are set by the engine. */
  readonly pattern: RegExp;
  /** Capture group holding the secret to zero (a value after its key); the whole match if absent. */
  readonly secretGroup?: number;
  /**
   * Longest match in decoded chars: bounds the text read after a hit (plus a few chars for
   * lookarounds, LOOKAROUND_CHARS), so a pattern must not match longer.
   */
  readonly maxLength: number;
  /**
   * Most chars of a match, or of the context its lookbehinds read, before its anchor, when not
   * `maxLength` (a variable's name before its long value): bounds the text read before a hit, which
   * every hit in long text pays.
   */
  readonly maxBefore?: number;
  /**
   * The match starts a text run right after a zero byte (a zero unit in UTF-16): NUL-separated
   * records such as environment blocks, and not the same text inside a script or source file.
   */
  readonly afterZero?: boolean;
  /**
   * A context rule (a password slot, a generic assignment) yields to the format rules: where its
   * match holds the anchor of a rule that does not yield, and that rule finds a secret there (high or
   * medium) overlapping this one, the bytes are that rule's, with its kind and checks.
   */
  readonly yields?: boolean;
  /** Confidence of a match that passes the checks and has no validator. */
  readonly confidence: Confidence;
  /** Fewest Shannon bits per char the secret must have (detectors.md §5.2). */
  readonly minEntropy?: number;
  /**
   * Checks the secret beyond its pattern (a checksum, a decoded length): returns the confidence, or
   * null to reject. `match` is the whole match, for rules that read their context.
   */
  readonly validate?: (secret: string, match: RegExpExecArray) => Confidence | null;
  /**
   * A token cut short by the end of its text (the bytes after it are not text, as when a buffer was
   * overwritten mid-token): matched from the same start when the pattern fails, and reported at this
   * confidence if it runs to the end of the text.
   */
  readonly truncated?: { pattern: RegExp; confidence: Confidence };
  /** False for low-entropy secrets (passwords): no fingerprint is reported for them. */
  readonly fingerprint?: boolean;
}
