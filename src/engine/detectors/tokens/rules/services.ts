/** Developer-service tokens (detectors.md T30, T32, T33, T35, T36). */
import { isBech32 } from '../../../crypto/bech32.ts';
import type { TextRule } from '../rule.ts';

/** A prefixed token: `prefix` + `body` (a regex), bounded by chars the body cannot hold. */
function prefixed(
  ref: string,
  kind: string,
  prefix: string,
  body: string,
  length: number,
  boundary = 'A-Za-z0-9_-',
): TextRule {
  const literal = prefix.replace(/[.]/g, '\\.');
  return {
    ref,
    priority: 'P1',
    kind,
    anchors: [prefix],
    pattern: new RegExp(`(?<![${boundary}])${literal}${body}(?![${boundary}])`),
    maxLength: length,
    confidence: 'high',
    minEntropy: 3,
  };
}

export const serviceRules: readonly TextRule[] = [
  prefixed('T30', 'sendgrid-api-key', 'SG.', '[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}', 69),
  {
    ...prefixed('T32', 'vault-token', 'hvs.', '[\\w-]{90,120}', 124),
    truncated: { pattern: /(?<![A-Za-z0-9_-])hvs\.[\w-]{40,89}/, confidence: 'medium' },
  },
  {
    ...prefixed('T32', 'vault-token', 'hvb.', '[\\w-]{138,300}', 304),
    truncated: { pattern: /(?<![A-Za-z0-9_-])hvb\.[\w-]{60,137}/, confidence: 'medium' },
  },
  {
    ref: 'T32',
    priority: 'P1',
    kind: 'terraform-cloud-token',
    anchors: ['.atlasv1.'],
    anchorOffset: 14,
    pattern: /(?<![a-z0-9])[a-z0-9]{14}\.atlasv1\.[a-z0-9_=-]{60,70}(?![a-z0-9_=-])/,
    maxLength: 93,
    confidence: 'high',
    minEntropy: 3,
  },
  prefixed('T33', 'databricks-token', 'dapi', '[a-f0-9]{32}(?:-[0-9])?', 38),
  prefixed('T35', 'digitalocean-token', 'doo_v1_', '[a-f0-9]{64}', 71),
  prefixed('T35', 'digitalocean-token', 'dop_v1_', '[a-f0-9]{64}', 71),
  prefixed('T35', 'docker-hub-token', 'dckr_pat_', '[A-Za-z0-9_-]{27}', 36),
  prefixed('T35', 'grafana-token', 'glsa_', '[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}', 46),
  prefixed('T35', 'sentry-token', 'sntryu_', '[a-f0-9]{64}', 71),
  prefixed('T35', 'postman-api-key', 'PMAK-', '[a-f0-9]{24}-[a-f0-9]{34}', 64),
  prefixed('T35', 'linear-api-key', 'lin_api_', '[a-zA-Z0-9]{40}', 48),
  prefixed('T35', 'doppler-token', 'dp.pt.', '[a-zA-Z0-9]{43}', 49),
  prefixed('T35', 'pulumi-token', 'pul-', '[a-f0-9]{40}', 44),
  prefixed('T35', '1password-service-account-token', 'ops_eyJ', '[a-zA-Z0-9+/]{250,4000}={0,3}', 4010, 'A-Za-z0-9+/=_-'),
  {
    ref: 'T36',
    priority: 'P1',
    kind: 'age-secret-key',
    anchors: ['AGE-SECRET-KEY-1'],
    pattern: /(?<![A-Za-z0-9-])AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}(?![A-Za-z0-9])/,
    maxLength: 74,
    confidence: 'high',
    // A bad checksum: shaped like a key but not one; shown for review.
    validate: (secret) => (isBech32(secret) ? 'high' : 'low'),
    truncated: { pattern: /(?<![A-Za-z0-9-])AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{30,57}/, confidence: 'medium' },
  },
];
