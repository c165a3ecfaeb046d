/** Google API keys (detectors.md T12). */
import type { TextRule } from '../rule.ts';

export const googleRules: readonly TextRule[] = [
  {
    ref: 'T12',
    priority: 'P0',
    kind: 'google-api-key',
    anchors: ['AIza'],
    pattern: /(?<![\w-])AIza[\w-]{35}(?![\w-])/,
    maxLength: 39,
    confidence: 'high',
    minEntropy: 3.5,
    truncated: { pattern: /(?<![\w-])AIza[\w-]{24,34}/, confidence: 'medium' },
  },
];
