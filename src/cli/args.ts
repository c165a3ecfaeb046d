import { parseArgs } from 'node:util';
import { POLICIES, type Policy } from '../engine/types.ts';
import { userPatternProblem } from '../engine/user-input.ts';

/** A mistake in how the CLI was called, or an input it cannot read: exit 2, one line, no stack. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The user's own secrets (files to read, one secret a line) and patterns, for every command. */
export interface UserOptions {
  secretFiles: string[];
  patterns: string[];
}

export type Command =
  | ({ name: 'sanitize'; dump: string; output?: string; manifest?: string; policy: Policy; verify: boolean; keepVectorRegisters: boolean; json: boolean; chunkSize?: number } & UserOptions)
  | ({ name: 'scan'; dump: string; json: boolean; chunkSize?: number } & UserOptions)
  | ({ name: 'verify'; sanitized: string; manifest: string; json: boolean; chunkSize?: number } & UserOptions)
  | { name: 'help' }
  | { name: 'version' };

export const USAGE = `Usage:
  dumpscrub sanitize <dump> [-o <out>] [--manifest <file>] [--policy standard|strict|stacks-only]
                            [--secret-file <file>]... [--pattern <regex>]...
                            [--keep-vector-registers] [--no-verify] [--json]
  dumpscrub scan <dump> [--secret-file <file>]... [--pattern <regex>]... [--json]
  dumpscrub verify <sanitized> --manifest <file> [--secret-file <file>]... [--pattern <regex>]... [--json]

  --secret-file <file>  your own secrets, one per line (at least 4 characters; under 8 only the
                        literal text is searched): zeroed in every encoding (UTF-16, URL, JSON,
                        base64, hex); verify checks they are absent. Never printed or written.
  --pattern <regex>     a JavaScript regex, or /regex/flags (i, m, s, u, v): every match in ASCII
                        or UTF-16LE text is zeroed. Repeatable.

Exit codes: 0 done (sanitized and verified / nothing found), 1 secrets found (scan) or
verification failed, 2 usage or input error.`;

export function parseCommand(argv: readonly string[]): Command {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') return { name: 'help' };
  if (name === '--version' || name === '-V') return { name: 'version' };
  if (name !== 'sanitize' && name !== 'scan' && name !== 'verify') {
    throw new UsageError(`unknown command "${name}" (expected sanitize, scan or verify; see dumpscrub --help)`);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      strict: true,
      options: {
        output: { type: 'string', short: 'o' },
        manifest: { type: 'string' },
        policy: { type: 'string', default: 'standard' },
        'no-verify': { type: 'boolean', default: false },
        'keep-vector-registers': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'secret-file': { type: 'string', multiple: true, default: [] },
        pattern: { type: 'string', multiple: true, default: [] },
        // Undocumented: lets tests exercise chunk boundaries through the real CLI.
        'chunk-size': { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`${name} takes exactly one file (got ${positionals.length})`);
  const file = positionals[0]!;
  const chunkSize = values['chunk-size'] === undefined ? undefined : Number(values['chunk-size']);
  if (chunkSize !== undefined && !(Number.isSafeInteger(chunkSize) && chunkSize > 0)) {
    throw new UsageError('--chunk-size must be a positive integer');
  }
  const patterns = values.pattern;
  const problem = patterns.map((p, i) => userPatternProblem(p, i)).find((p) => p !== null);
  if (problem) throw new UsageError(`--pattern: ${problem}`);
  const user: UserOptions = { secretFiles: values['secret-file'], patterns };
  const onlyFor = (option: string, allowed: boolean) => {
    if (!allowed) throw new UsageError(`--${option} does not apply to ${name}`);
  };

  if (name === 'scan') {
    if (values.output !== undefined) onlyFor('output', false);
    if (values.manifest !== undefined) onlyFor('manifest', false);
    if (values['no-verify']) onlyFor('no-verify', false);
    if (values['keep-vector-registers']) onlyFor('keep-vector-registers', false);
    return { name, dump: file, json: values.json, chunkSize, ...user };
  }
  if (name === 'verify') {
    if (values.output !== undefined) onlyFor('output', false);
    if (values.manifest === undefined) throw new UsageError('verify needs --manifest <file>');
    return { name, sanitized: file, manifest: values.manifest, json: values.json, chunkSize, ...user };
  }
  const policy = values.policy as Policy;
  if (!POLICIES.includes(policy)) throw new UsageError(`unknown policy "${values.policy}" (expected ${POLICIES.join(', ')})`);
  return {
    name,
    dump: file,
    output: values.output,
    manifest: values.manifest,
    policy,
    verify: !values['no-verify'],
    keepVectorRegisters: values['keep-vector-registers'],
    json: values.json,
    chunkSize,
    ...user,
  };
}
