/** Package-registry tokens (detectors.md T9, T34). */
import type { TextRule } from '../rule.ts';
import { hasCrc32Base62Checksum } from './github.ts';

export const registryRules: readonly TextRule[] = [
  {
    ref: 'T9',
    priority: 'P0',
    kind: 'npm-token',
    anchors: ['npm_'],
    // Same layout as a GitHub classic token: 30 random chars and their CRC-32 in base62.
    pattern: /(?<![A-Za-z0-9_])npm_([A-Za-z0-9]{36})(?![A-Za-z0-9_])/,
    maxLength: 40,
    confidence: 'high',
    validate: (_, m) => (hasCrc32Base62Checksum(m[1]!) ? 'high' : 'low'),
    truncated: { pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{20,35}/, confidence: 'medium' },
  },
  {
    ref: 'T34',
    priority: 'P1',
    kind: 'pypi-token',
    // A macaroon whose first bytes encode the location `pypi.org`.
    anchors: ['pypi-AgEIcHlwaS5vcmc'],
    pattern: /(?<![\w-])pypi-AgEIcHlwaS5vcmc[\w-]{50,1000}/,
    maxLength: 1100,
    confidence: 'high',
    minEntropy: 4,
  },
  {
    ref: 'T34',
    priority: 'P1',
    kind: 'nuget-api-key',
    // NuGet.org API keys: `oy2` and 43 lowercase base32 chars (Microsoft's SEC101/031).
    anchors: ['oy2'],
    pattern: /(?<![A-Za-z0-9_])oy2[a-z2-7]{43}(?![A-Za-z0-9_])/,
    maxLength: 46,
    confidence: 'medium',
    minEntropy: 3.8,
  },
];
