import { regionAt, type DumpMap, type Region, type RegionKind } from './formats/dump-map.ts';
import { ENTROPY_DETECTOR_ID } from './detectors/entropy-islands.ts';
import type { ByteSource } from './source.ts';
import type { ByteRange, Finding, Policy, RegionRef } from './types.ts';

/** Bytes no detector and no policy may change: the dump must stay loadable and unwindable. */
const PROTECTED: ReadonlySet<RegionKind> = new Set(['structure', 'registers']);
/** What `stacks-only` keeps of the memory: enough to unwind and symbolize. */
const KEPT_BY_STACKS_ONLY: ReadonlySet<RegionKind> = new Set(['stack', 'module']);
const MEMORY: ReadonlySet<RegionKind> = new Set(['stack', 'module', 'heap', 'mapped-file', 'memory']);

const ENVIRONMENT_LABELS = new Set(['LinuxEnviron']);
/** Words of a variable name that say its value is a credential (zeroed under every policy). */
const SECRET_WORDS = new Set([
  'SECRET', 'SECRETS', 'TOKEN', 'TOKENS', 'PASSWORD', 'PASSWD', 'PASS', 'PASSPHRASE', 'PWD', 'CREDENTIAL',
  'CREDENTIALS', 'CREDS', 'KEY', 'APIKEY', 'PRIVATE', 'PRIVATEKEY', 'AUTH', 'AUTHORIZATION', 'COOKIE', 'DSN',
]);
/** Secret words spelt as two (CONNECTION_STRING, ConnectionStrings__Main): a DSN with its password. */
const SECRET_PHRASES = ['CONNECTIONSTRING'];
/** Secret words that are also caught glued to others (PGPASSWORD, dbPassword, HTPASSWD, MYSECRET). */
const SECRET_STEMS = ['PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'TOKEN', 'CREDENTIAL', 'APIKEY', 'PRIVATEKEY'];
/** Last words that make the value a location, not the secret itself (SSH_AUTH_SOCK, TLS_KEY_FILE). */
const LOCATION_WORDS = new Set(['SOCK', 'SOCKET', 'FILE', 'PATH', 'DIR', 'URL', 'HOST', 'PORT']);
/** Well-known names that contain a secret word but hold none. */
const NOT_SECRET = new Set(['PWD', 'OLDPWD']);

export function isSecretVariableName(name: string): boolean {
  const upper = name.toUpperCase();
  if (NOT_SECRET.has(upper)) return false;
  const words = upper.split(/[^A-Z0-9]+/).filter(Boolean);
  const secret = words.some((w) => SECRET_WORDS.has(w) || SECRET_STEMS.some((stem) => w.includes(stem)));
  const phrase = SECRET_PHRASES.some((p) => words.join('').includes(p));
  return (secret || phrase) && !LOCATION_WORDS.has(words[words.length - 1] ?? '');
}
const COMMAND_LINE_LABELS = new Set(['LinuxCmdLine', 'NT_PRPSINFO']);
/** Larger environment blocks are not parsed. */
const MAX_ENVIRONMENT_BYTES = 1024 * 1024;

export interface RegionOptions {
  policy: Policy;
  keepVectorRegisters: boolean;
}

/** Where file byte `offset` sits: its region's kind, and its own virtual address, module and thread. */
export function locate(map: DumpMap, offset: number): RegionRef {
  const r = regionAt(map, offset);
  const ref: RegionRef = { kind: r.kind };
  if (r.va !== undefined) ref.va = `0x${(BigInt(r.va) + BigInt(offset - r.offset)).toString(16)}`;
  if (r.module !== undefined) ref.module = r.module;
  if (r.thread !== undefined) ref.thread = r.thread;
  return ref;
}

const policyFinding = (r: Region, range: ByteRange, kind: string, encoding: string): Finding => ({
  offset: range.offset,
  length: range.length,
  kind,
  detector: 'policy',
  confidence: 'high',
  encoding,
  region: { kind: r.kind, ...(r.va !== undefined && { va: r.va }), ...(r.module !== undefined && { module: r.module }), ...(r.thread !== undefined && { thread: r.thread }) },
});

/**
 * What the policy zeroes whole, beyond the detectors' findings: saved vector registers (unless
 * kept), under `strict` environment values and command lines, under `stacks-only` all memory but
 * thread stacks and module images.
 */
export async function policyFindings(map: DumpMap, source: ByteSource, options: RegionOptions): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const r of map.regions) {
    if (r.kind === 'vector-registers' && !options.keepVectorRegisters) {
      out.push(policyFinding(r, r, 'vector-registers', 'registers'));
    } else if (options.policy === 'stacks-only' && MEMORY.has(r.kind) && !KEPT_BY_STACKS_ONLY.has(r.kind)) {
      out.push(policyFinding(r, r, `${r.kind}-memory`, 'memory'));
    } else if (options.policy === 'strict' && r.label && COMMAND_LINE_LABELS.has(r.label) && r.kind === 'text-stream') {
      out.push(policyFinding(r, r, 'command-line', 'text'));
    } else if (r.label && ENVIRONMENT_LABELS.has(r.label) && r.kind === 'text-stream') {
      if (r.length > MAX_ENVIRONMENT_BYTES) {
        // Too large to be a real environment and too large to parse: zeroed whole (fail closed).
        out.push({ ...policyFinding(r, r, 'environment-block', 'text'), detector: 'environment' });
        continue;
      }
      for (const v of await environmentValues(source, r)) {
        if (isSecretVariableName(v.name)) out.push({ ...policyFinding(r, v, 'environment-secret', 'text'), detector: 'environment' });
        else if (options.policy === 'strict') out.push(policyFinding(r, v, 'environment-value', 'text'));
      }
    }
  }
  return out;
}

/** The value bytes of a NUL-separated `NAME=value` block; names stay so the dump still reads. */
async function environmentValues(source: ByteSource, r: Region): Promise<(ByteRange & { name: string })[]> {
  const bytes = await source.read(r.offset, r.length);
  const values: (ByteRange & { name: string })[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0, start);
    if (end < 0) end = bytes.length;
    const eq = bytes.subarray(start, end).indexOf(0x3d);
    // An entry without `=` is not a variable we can split: its whole text counts as the value.
    const valueStart = eq < 0 ? start : start + eq + 1;
    const name = eq < 0 ? '' : String.fromCharCode(...bytes.subarray(start, start + Math.min(eq, 256)));
    if (end > valueStart) values.push({ offset: r.offset + valueStart, length: end - valueStart, name });
    start = end + 1;
  }
  return values;
}

/**
 * Findings in dump terms: each detector finding gets its region, the policy adds what it zeroes
 * whole, and protected bytes are cut out of both.
 */
export async function applyDumpMap(
  map: DumpMap,
  source: ByteSource,
  detected: readonly Finding[],
  options: RegionOptions,
): Promise<{ detected: Finding[]; policy: Finding[]; warnings: string[] }> {
  const located = withoutImageIslands(detected, map).map((f) => ({ ...f, region: locate(map, f.offset) }));
  const fromDetectors = protectStructure(located, map);
  const fromPolicy = protectStructure(await policyFindings(map, source, options), map);
  return { detected: fromDetectors.findings, policy: fromPolicy.findings, warnings: fromDetectors.warnings };
}

/**
 * Module images hold code and constants, not keys a process made (detectors.md §5.3.2): entropy
 * islands there are not reported.
 */
function withoutImageIslands(findings: readonly Finding[], map: DumpMap): Finding[] {
  return findings.filter((f) => f.detector !== ENTROPY_DETECTOR_ID || regionAt(map, f.offset).kind !== 'module');
}

/**
 * Cuts the protected bytes (structure, general registers) out of each finding, so no detector can
 * change them, and says which findings lost bytes that way.
 */
export function protectStructure(findings: readonly Finding[], map: DumpMap): { findings: Finding[]; warnings: string[] } {
  const kept: Finding[] = [];
  const warnings: string[] = [];
  for (const f of findings) {
    let at = f.offset;
    const end = f.offset + f.length;
    let lost = 0;
    let piece: Finding | null = null;
    while (at < end) {
      const r = regionAt(map, at);
      const stop = Math.min(end, r.offset + r.length);
      if (PROTECTED.has(r.kind)) {
        lost += stop - at;
        piece = null;
      } else if (piece) {
        // Unprotected regions side by side (a stack next to heap): one piece, not one per region.
        piece.length = stop - piece.offset;
      } else {
        piece = { ...f, offset: at, length: stop - at };
        kept.push(piece);
      }
      at = stop;
    }
    // A low-confidence guess (an entropy island) in structure is structure: GUIDs, hashes, timestamps.
    if (lost > 0 && f.confidence !== 'low') {
      warnings.push(`${lost} byte(s) of a ${f.kind} finding at offset ${f.offset} lie in dump structure or general registers and were left unchanged`);
    }
  }
  return { findings: kept, warnings };
}
