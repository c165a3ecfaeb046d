/** GitHub tokens (detectors.md T6, T7). */
import { base62 } from '../../../crypto/base62.ts';
import { crc32 } from '../../../crypto/crc32.ts';
import type { TextRule } from '../rule.ts';

const ascii = (text: string) => new Uint8Array([...text].map((c) => c.charCodeAt(0)));

/**
 * True if the last 6 chars of a classic token body are base62(CRC-32 of the 30 random chars before
 * them), the layout GitHub's token format uses (third-party descriptions agree; detectors.md T6).
 */
export function hasCrc32Base62Checksum(body36: string): boolean {
  return base62(crc32(ascii(body36.slice(0, 30))), 6) === body36.slice(30);
}

export const githubRules: readonly TextRule[] = [
  {
    ref: 'T6',
    priority: 'P0',
    kind: 'github-token',
    anchors: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    pattern: /(?<![A-Za-z0-9_])gh[pousr]_([A-Za-z0-9]{36})(?![A-Za-z0-9_])/,
    maxLength: 40,
    confidence: 'high',
    // A wrong checksum: shaped like a token but not one GitHub issued; shown, not zeroed.
    validate: (_, m) => (hasCrc32Base62Checksum(m[1]!) ? 'high' : 'low'),
    truncated: { pattern: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{16,35}/, confidence: 'medium' },
  },
  {
    ref: 'T7',
    priority: 'P0',
    kind: 'github-token',
    anchors: ['github_pat_'],
    // 22 chars, `_`, 59 chars; no published checksum.
    pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9_])/,
    maxLength: 93,
    confidence: 'high',
    minEntropy: 4,
    truncated: { pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{20,58}/, confidence: 'medium' },
  },
  {
    ref: 'T8',
    priority: 'P0',
    kind: 'gitlab-token',
    anchors: ['glpat-', 'glrt-', 'glcbt-', 'gldt-', 'glft-', 'glsoat-', 'glptt-', 'GR1348941'],
    // Legacy tokens are 20 chars; routable ones are longer and end in `.` + 2 + 7 chars.
    pattern:
      /(?<![\w-])(?:(?:glpat|glrt|glcbt|gldt|glft|glsoat|glptt)-|GR1348941)[\w-]{20,300}(?:\.[0-9a-z]{2}[0-9a-z]{7})?(?![\w.-])/,
    maxLength: 320,
    confidence: 'high',
    minEntropy: 3,
    truncated: { pattern: /(?<![\w-])(?:glpat|glrt|gldt|glft|glsoat|glptt)-[\w-]{12,19}/, confidence: 'medium' },
  },
];
