/**
 * The user's own patterns (`--pattern`, the app's pattern box): each regex runs over every text
 * run of a window (ASCII and UTF-16LE at both parities, at least MIN_PATTERN_RUN_CHARS long) and
 * every match is zeroed whole, all bytes of each UTF-16 unit included. Compiled once per sweep
 * request, in the worker that runs it.
 *
 * A match is reported by every chunk whose owned range it touches (duplicates merge in the plan):
 * a match across a chunk edge is then found even when the two windows see its run from different
 * starting points. `^` and `$` (without the m flag) anchor at the ends of a text run.
 */
import { compileUserPattern } from '../user-input.ts';
import { textRuns } from '../text/text-view.ts';
import type { Finding } from '../types.ts';
import type { ScanWindow } from '../window.ts';
import type { WindowScanner } from './detector.ts';

export const USER_PATTERN_ID = 'user-pattern';

/** Shorter runs are not searched: random bytes are full of them, and a pattern rarely wants 3 chars. */
export const MIN_PATTERN_RUN_CHARS = 4;

export function createUserPatternScanner(patterns: readonly string[]): WindowScanner {
  const regexes = patterns.map((p, i) => compileUserPattern(p, i));
  return {
    id: USER_PATTERN_ID,
    scan(win: ScanWindow): Finding[] {
      const findings: Finding[] = [];
      for (const run of textRuns(win.bytes, win.ownStart, win.ownEnd, MIN_PATTERN_RUN_CHARS)) {
        for (const regex of regexes) {
          regex.lastIndex = 0;
          for (let m = regex.exec(run.text); m; m = regex.exec(run.text)) {
            // A pattern matching '' is refused, but one like \b still matches '' inside text: step past it.
            if (m[0].length === 0) {
              regex.lastIndex++;
              continue;
            }
            const from = run.byteAt(m.index);
            const to = run.byteAt(m.index + m[0].length);
            if (to <= win.ownStart || from >= win.ownEnd) continue;
            findings.push({
              offset: win.base + from,
              length: to - from,
              kind: USER_PATTERN_ID,
              detector: USER_PATTERN_ID,
              confidence: 'high',
              encoding: run.step === 2 ? 'text-utf16le' : 'text',
            });
          }
        }
      }
      return findings;
    },
  };
}
