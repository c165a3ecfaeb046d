/** AWS credentials (detectors.md T4, T5). */
import type { TextRule } from '../rule.ts';

/** A key id: a 4-char type prefix and 16 base32 chars (A–Z, 2–7). */
const KEY_ID = '(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}';
/** A secret access key: 40 base64 chars standing alone. */
const SECRET = '(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])';
/** How far from its key id a secret is looked for (detectors.md T5). */
const NEAR = 512;
/** Random 40-char base64 has ~4.9 bits/char; hex digests and words fall below 4. */
const SECRET_ENTROPY = 4;

export const awsRules: readonly TextRule[] = [
  {
    ref: 'T4',
    priority: 'P0',
    kind: 'aws-access-key-id',
    // `A3T…` (very old) ids do not pay for a 3-char anchor.
    anchors: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    pattern: new RegExp(`(?<![A-Za-z0-9])${KEY_ID}(?![A-Za-z0-9])`),
    maxLength: 20,
    confidence: 'high',
    minEntropy: 3,
    truncated: { pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z2-7]{10,15}/, confidence: 'medium' },
  },
  {
    ref: 'T5',
    priority: 'P0',
    kind: 'aws-secret-access-key',
    // Credentials files, environment variables, STS JSON and SDK objects.
    // The first letter's case varies (`SecretAccessKey`, `secretAccessKey`): anchored after it.
    anchors: ['ecret_access_key', 'ECRET_ACCESS_KEY', 'ecretAccessKey'],
    anchorOffset: 1,
    pattern: new RegExp(`secret_?access_?key["']?[ \\t]*[:=][ \\t]*["']?${SECRET}`, 'i'),
    secretGroup: 1,
    maxLength: 80,
    confidence: 'high',
    minEntropy: SECRET_ENTROPY,
    // After its keyword, even a cut secret is a secret.
    truncated: {
      pattern: /secret_?access_?key["']?[ \t]*[:=][ \t]*["']?([A-Za-z0-9/+]{24,39})/i,
      confidence: 'medium',
    },
  },
  {
    ref: 'T5',
    priority: 'P0',
    kind: 'aws-secret-access-key',
    // The secret after its key id in the same text (a credentials line, a CSV row, a log line).
    anchors: ['AKIA', 'ASIA'],
    pattern: new RegExp(`(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z2-7]{16}(?![A-Za-z0-9])[^]{1,${NEAR}}?${SECRET}`),
    secretGroup: 1,
    maxLength: 20 + NEAR + 40,
    confidence: 'medium',
    minEntropy: SECRET_ENTROPY,
  },
  {
    ref: 'T5',
    priority: 'P0',
    kind: 'aws-secret-access-key',
    // The secret before its key id.
    anchors: ['AKIA', 'ASIA'],
    anchorOffset: 'near',
    pattern: new RegExp(`${SECRET}[^]{1,${NEAR}}?(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z2-7]{16}(?![A-Za-z0-9])`),
    secretGroup: 1,
    maxLength: 20 + NEAR + 40,
    confidence: 'medium',
    minEntropy: SECRET_ENTROPY,
  },
];
