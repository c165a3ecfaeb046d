/** AI platform API keys (detectors.md T27, T28, T29). */
import type { TextRule } from '../rule.ts';

export const aiRules: readonly TextRule[] = [
  {
    ref: 'T27',
    priority: 'P0',
    kind: 'openai-api-key',
    // `T3BlbkFJ` (base64 of "OpenAI") sits between two random halves, after a prefix of any length.
    anchors: ['T3BlbkFJ'],
    anchorOffset: 'near',
    pattern:
      /(?<![\w-])sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{58,74}T3BlbkFJ[A-Za-z0-9_-]{58,74}|[a-zA-Z0-9]{20}T3BlbkFJ[a-zA-Z0-9]{20})(?![\w-])/,
    maxLength: 170,
    confidence: 'high',
  },
  {
    ref: 'T28',
    priority: 'P0',
    kind: 'anthropic-api-key',
    anchors: ['sk-ant-'],
    pattern: /(?<![\w-])sk-ant-(?:api03|admin01)-[a-zA-Z0-9_-]{93}AA(?![\w-])/,
    maxLength: 110,
    confidence: 'high',
    truncated: { pattern: /(?<![\w-])sk-ant-(?:api03|admin01)-[a-zA-Z0-9_-]{40,94}/, confidence: 'medium' },
  },
  {
    ref: 'T29',
    priority: 'P1',
    kind: 'huggingface-token',
    anchors: ['hf_'],
    pattern: /(?<![A-Za-z0-9_])hf_[A-Za-z]{34}(?![A-Za-z0-9_])/,
    maxLength: 37,
    confidence: 'high',
    minEntropy: 3.5,
  },
];
