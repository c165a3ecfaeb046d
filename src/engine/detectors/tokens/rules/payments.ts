/** Payment and commerce API keys (detectors.md T11, T31). */
import type { TextRule } from '../rule.ts';

export const paymentRules: readonly TextRule[] = [
  {
    ref: 'T11',
    priority: 'P0',
    kind: 'stripe-secret-key',
    // Secret and restricted keys only: publishable keys (`pk_`) are public by design.
    anchors: ['k_live_', 'k_test_', 'k_prod_'],
    anchorOffset: 1,
    pattern: /(?<![A-Za-z0-9_])[sr]k_(?:live|test|prod)_[a-zA-Z0-9]{10,99}(?![A-Za-z0-9_])/,
    maxLength: 107,
    confidence: 'high',
    minEntropy: 3,
  },
  {
    ref: 'T31',
    priority: 'P1',
    kind: 'shopify-token',
    anchors: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    pattern: /(?<![A-Za-z0-9_])shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![A-Za-z0-9_])/,
    maxLength: 38,
    confidence: 'high',
    minEntropy: 3,
  },
];
