/**
 * The user's own secrets and patterns (`--secret-file`, `--pattern`, the app's secrets box):
 * checked once, before any work, by the same rules in the CLI, the app and the engine. Messages
 * name a secret by its position only: a secret never appears in a message, a log or the manifest.
 */
import { FULL_SWEEP_MIN_CHARS } from './sweep/text-needles.ts';

/** Shorter secrets are refused: a few bytes occur by chance all over a dump. */
export const MIN_USER_SECRET_CHARS = 4;

const chars = (text: string) => [...text].length;

/** Why the secrets cannot be used (one line), or null when they can. */
export function userSecretsProblem(secrets: readonly string[]): string | null {
  const short = secrets.findIndex((s) => chars(s) < MIN_USER_SECRET_CHARS);
  if (short < 0) return null;
  return `secret #${short + 1} is shorter than ${MIN_USER_SECRET_CHARS} characters: it would match unrelated bytes everywhere, so it is refused`;
}

/** The manifest warning for secrets short enough to be swept only as literal text, or null. */
export function shortSecretsWarning(secrets: readonly string[]): string | null {
  const short = secrets.filter((s) => chars(s) < FULL_SWEEP_MIN_CHARS).length;
  if (short === 0) return null;
  return `${short} user secret(s) shorter than ${FULL_SWEEP_MIN_CHARS} characters were searched only as literal text (not URL/JSON/base64/hex), and may have matched unrelated bytes`;
}

/** Flags a pattern may carry as `/re/flags`; `g` is always added, `y` would stop at the first gap. */
const ALLOWED_FLAGS = /^[gimsuv]*$/;

/**
 * A pattern as the user wrote it: `/re/flags` or a bare regex. Compiled with the `g` flag plus the
 * user's flags; throws a one-line message if it is empty, invalid or matches the empty string
 * (it would match everywhere).
 */
export function compileUserPattern(pattern: string, index = 0): RegExp {
  const name = `pattern #${index + 1}`;
  const literal = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  const source = literal ? literal[1]! : pattern;
  const flags = literal ? literal[2]! : '';
  if (source === '') throw new Error(`${name} is empty`);
  if (!ALLOWED_FLAGS.test(flags)) throw new Error(`${name} has flags "${flags}": only g, i, m, s, u and v are allowed`);
  let regex: RegExp;
  try {
    regex = new RegExp(source, [...new Set(`g${flags}`)].join(''));
  } catch (error) {
    // V8 says "Invalid regular expression: /source/flags: reason": keep only the reason.
    const reason = (error as Error).message.split(': ').pop();
    throw new Error(`${name} is not a valid regular expression (${reason})`);
  }
  if (new RegExp(regex.source, regex.flags.replace('g', '')).test('')) throw new Error(`${name} matches the empty string`);
  return regex;
}

/** Why a pattern cannot be used (one line), or null when it can. */
export function userPatternProblem(pattern: string, index = 0): string | null {
  try {
    compileUserPattern(pattern, index);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The first problem with the user's secrets or patterns, or null. */
export function userInputProblem(secrets: readonly string[], patterns: readonly string[]): string | null {
  return userSecretsProblem(secrets) ?? patterns.map((p, i) => userPatternProblem(p, i)).find((p) => p !== null) ?? null;
}
