/** The text-secret rules (detectors.md §3.1) and the `token` detector that runs them. */
import type { TextRule } from './rule.ts';
import { aiRules } from './rules/ai.ts';
import { awsRules } from './rules/aws.ts';
import { azureRules } from './rules/azure.ts';
import { credentialRules } from './rules/credentials.ts';
import { githubRules } from './rules/github.ts';
import { googleRules } from './rules/google.ts';
import { paymentRules } from './rules/payments.ts';
import { registryRules } from './rules/registries.ts';
import { serviceRules } from './rules/services.ts';
import { slackRules } from './rules/slack.ts';
import { createTokenDetector } from './token-detector.ts';

/** Every P0 and P1 token rule. */
export const tokenRules: readonly TextRule[] = [
  ...awsRules,
  ...githubRules,
  ...registryRules,
  ...slackRules,
  ...paymentRules,
  ...googleRules,
  ...azureRules,
  ...aiRules,
  ...serviceRules,
  ...credentialRules,
];

export const token = createTokenDetector(tokenRules);
