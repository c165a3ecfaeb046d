/** AWS credentials (detectors.md T4, T5). */
import type { TextRule } from '../rule.ts';

export const awsRules: readonly TextRule[] = [
  {
    ref: 'T4',
    priority: 'P0',
    kind: 'aws-access-key-id',
    anchors: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'],
    // Key ids are base32 (A–Z, 2–7) after a 4-char type prefix.
    pattern: /(?<![A-Za-z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/,
    maxLength: 20,
    confidence: 'high',
    minEntropy: 3,
    truncated: { pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z2-7]{10,15}/, confidence: 'medium' },
  },
];
