/** Slack tokens and webhook URLs (detectors.md T10). */
import type { TextRule } from '../rule.ts';

export const slackRules: readonly TextRule[] = [
  {
    ref: 'T10',
    priority: 'P0',
    kind: 'slack-token',
    anchors: ['xoxb-', 'xoxp-', 'xoxe-', 'xoxa-', 'xoxo-', 'xoxs-', 'xoxr-', 'xapp-'],
    pattern: new RegExp(
      '(?<![A-Za-z0-9-])(?:' +
        [
          'xoxb-[0-9]{10,13}-[0-9]{10,13}-[a-zA-Z0-9-]{16,64}', // bot
          'xox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9-]{28,34}', // user, refresh
          'xox[aros]-[0-9]{1,13}-[0-9]{1,13}-[0-9]{1,13}-[a-fA-F0-9]{16,64}', // legacy
          'xox[ar]-2-[a-zA-Z0-9-]{20,200}', // configuration tokens
          'xapp-[0-9]-[A-Z0-9]{8,20}-[0-9]{8,20}-[a-z0-9]{32,80}', // app-level
        ].join('|') +
        ')(?![A-Za-z0-9-])',
    ),
    maxLength: 220,
    confidence: 'high',
    minEntropy: 3,
    truncated: { pattern: /(?<![A-Za-z0-9-])xox[bpe]-[0-9]{10,13}-[0-9]{10,13}-[a-zA-Z0-9-]{8,}/, confidence: 'medium' },
  },
  {
    ref: 'T10',
    priority: 'P0',
    kind: 'slack-webhook-url',
    anchors: ['hooks.slack.com'],
    // The path after the host is the credential; the host stays readable.
    pattern: /hooks\.slack\.com\/((?:services|workflows|triggers)\/[A-Za-z0-9+/]{43,56})(?![A-Za-z0-9+/])/,
    secretGroup: 1,
    maxLength: 80,
    confidence: 'high',
    minEntropy: 3,
  },
];
