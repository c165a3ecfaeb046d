/** The text-secret rules (detectors.md §3.1) and the `token` detector that runs them. */
import type { TextRule } from './rule.ts';
import { awsRules } from './rules/aws.ts';
import { githubRules } from './rules/github.ts';
import { createTokenDetector } from './token-detector.ts';

/** Every P0 and P1 token rule, in catalogue order. */
export const tokenRules: readonly TextRule[] = [...awsRules, ...githubRules];

export const token = createTokenDetector(tokenRules);
