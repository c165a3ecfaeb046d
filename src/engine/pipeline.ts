import { CANCELLED, type JobOptions, type JobProgress } from './job-types.ts';
import type { HashFactory } from './hash.ts';
import { buildManifest } from './manifest.ts';
import type { Manifest } from './manifest-types.ts';
import { isRedactedUnder, planRedactions, type RedactionPlan } from './plan.ts';
import { ProgressMeter } from './progress.ts';
import { sanitizedChunks, type SanitizedChunk } from './sanitized-stream.ts';
import { parseDump, type DumpMap } from './formats/dump-map.ts';
import { ENTROPY_DETECTOR_ID } from './detectors/entropy-islands.ts';
import { applyDumpMap, protectStructure } from './region-policy.ts';
import type { ByteSource } from './source.ts';
import type { RsaPublicKey } from './harvest/public-key.ts';
import type { SecretMaterial } from './sweep/secret.ts';
import { shortSecretsWarning, userInputProblem } from './user-input.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import type { ByteRange, Finding } from './types.ts';

export const DEFAULT_CHUNK_SIZE = 16 * 1024 * 1024;

/**
 * The derived sweep of one job: every confirmed key's secret values and the user's own secrets,
 * searched in all their encodings, and the user's patterns. `only` skips the ordinary detectors
 * (the sweep pass); without it both run (verify).
 */
export interface SweepRequest {
  /** Identifies the request, so a worker compiles its needles once (a hash: it never holds a secret). */
  id: string;
  secrets: SecretMaterial[];
  /** The user's patterns as they wrote them (compileUserPattern), compiled by each worker. */
  patterns: string[];
  only: boolean;
  /** Public moduli whose private key is unknown: the prime search looks for their factors. */
  moduli?: RsaPublicKey[];
}

/** What one chunk yields: findings to zero or review, and public keys for the prime search. */
export interface ChunkResult {
  findings: Finding[];
  publicKeys: RsaPublicKey[];
  /** What a bounded search left undone in the chunk (for the manifest's warnings). */
  warnings: string[];
}

/** Scans one owned range of a file (with its context window); one per worker in the pool. */
export interface ChunkScanner {
  scan(start: number, end: number, sweep?: SweepRequest): Promise<ChunkResult>;
}

/**
 * Where the sanitized bytes go. A file sink (Node) needs every byte written in order; a Blob sink
 * (browser) composes the output itself from slices of the input, so nothing is streamed to it.
 */
export interface OutputSink {
  readonly streamsBytes: boolean;
  /** Called for every chunk, in order, when `streamsBytes`. */
  write(chunk: Uint8Array): Promise<void>;
  /** After the last write: scanners over the finished output, used to verify it. */
  finish(ranges: readonly ByteRange[]): Promise<ChunkScanner[]>;
}

export function cancelledError(): Error {
  const error = new Error('Cancelled: no output was produced');
  error.name = CANCELLED;
  return error;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw cancelledError();
}

/**
 * Scans [0, size) in chunks spread over the scanners. Each scanner takes the next chunk when it is
 * free; on cancellation or the first error no new chunk starts, the ones in flight finish (so
 * cancellation takes effect within one chunk), and the job fails as a whole.
 */
export async function scanChunks(
  scanners: readonly ChunkScanner[],
  size: number,
  chunkSize: number,
  onBytesDone: (done: number) => void,
  signal?: AbortSignal,
  sweep?: SweepRequest,
): Promise<ChunkResult> {
  if (scanners.length === 0) throw new Error('no scanner available');
  const count = Math.ceil(size / chunkSize);
  const findings: Finding[] = [];
  const publicKeys: RsaPublicKey[] = [];
  const warnings: string[] = [];
  let next = 0;
  let done = 0;
  let failed = false;
  const worker = async (scanner: ChunkScanner) => {
    while (next < count && !failed && !signal?.aborted) {
      const start = next++ * chunkSize;
      const end = Math.min(size, start + chunkSize);
      try {
        const result = await scanner.scan(start, end, sweep);
        findings.push(...result.findings);
        publicKeys.push(...result.publicKeys);
        warnings.push(...result.warnings);
      } catch (error) {
        failed = true;
        throw error;
      }
      done += end - start;
      onBytesDone(done);
    }
  };
  const outcomes = await Promise.allSettled(scanners.map(worker));
  const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (rejected) throw rejected.reason;
  throwIfAborted(signal);
  return { findings, publicKeys, warnings };
}

export interface SanitizeRequest {
  name: string;
  input: ByteSource;
  inputScanners: readonly ChunkScanner[];
  sink: OutputSink;
  createHash: HashFactory;
  options: JobOptions;
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
}

export interface SanitizeResult {
  manifest: Manifest;
  plan: RedactionPlan;
}

/**
 * The whole job: sniff, pass 1 (detect), plan, pass 2 (write the sanitized stream and hash both
 * sides), then verify by scanning the finished output again. Any failure or a verification that
 * finds something the policy should have zeroed rejects: the caller must then discard the output.
 */
export async function sanitize(req: SanitizeRequest): Promise<SanitizeResult> {
  const { input, options, signal, sink } = req;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  // A Blob sink needs no write pass unless verification is off: its output hash then runs alone.
  const writes = sink.streamsBytes || !options.verify;
  const meter = new ProgressMeter(input.size, 2 + (writes ? 1 : 0) + (options.verify ? 1 : 0), req.onProgress ?? (() => {}));
  const both = pairedProgress((d) => meter.update(d));

  const user = checkedUserInput(options);
  const map = await parseDump(input);
  meter.start('scan');
  // The input hash runs on this thread while the pool scans: the two passes overlap.
  const [pass1, inputSha256] = await Promise.all([
    scanChunks(req.inputScanners, input.size, chunkSize, both.first, signal),
    hashStream(sanitizedChunks(input, [], chunkSize), 'input', req.createHash, both.second, signal),
  ]);
  const found = pass1.findings;
  meter.start('sweep');
  const { findings: swept, warnings: sweepWarnings, sweep } = await sweepPasses(req.inputScanners, input.size, chunkSize, pass1, user, (d) => meter.update(d), signal);
  const searchWarnings = [...pass1.warnings, ...sweepWarnings];
  const { plan, warnings } = await planForDump(map, input, [...found, ...swept], options, [...user.warnings, ...searchWarnings]);
  const outputHash = (onDone: (d: number) => void) =>
    plan.ranges.length === 0
      ? Promise.resolve(inputSha256)
      : hashStream(sanitizedChunks(input, plan.ranges, chunkSize), 'output', req.createHash, onDone, signal);

  let outputSha256: Promise<string> | null = null;
  if (writes) {
    meter.start('write');
    outputSha256 = Promise.resolve(
      sink.streamsBytes ? await writeSanitized(req, plan.ranges, chunkSize, meter, signal) : await outputHash((d) => meter.update(d)),
    );
  }
  const verifiers = await sink.finish(plan.ranges);

  if (options.verify) {
    meter.start('verify');
    const progress = pairedProgress((d) => meter.update(d));
    // A Blob sink's output hash overlaps the verification scan.
    outputSha256 ??= outputHash(progress.second);
    // Every detector and every derived encoding of the confirmed keys must come up empty.
    const [{ findings: after }] = await Promise.all([
      scanChunks(verifiers, input.size, chunkSize, writes ? (d) => meter.update(d) : progress.first, signal, sweep ? { ...sweep, only: false } : undefined),
      outputSha256,
    ]);
    // Bytes in protected structure were never zeroed (and are warned about): only the rest counts.
    // Entropy islands are judged by their surroundings, and zeroing changes those: a run next to a
    // zeroed island gains a zero border and becomes an island of its own. Every island of the input
    // was planned, so new ones in the output are not leftovers.
    const leftovers = protectStructure(after, map).findings.filter(
      (f) => f.detector !== ENTROPY_DETECTOR_ID && isRedactedUnder(options.policy, f.confidence),
    );
    if (leftovers.length > 0) {
      const first = leftovers[0]!;
      throw new Error(
        `verification failed: ${leftovers.length} finding(s) remain after redaction (first: ${first.kind} at offset ${first.offset})`,
      );
    }
  }

  const manifest = buildManifest({
    policy: options.policy,
    input: { name: req.name, size: input.size, sha256: inputSha256, format: map.summary.format, summary: map.summary, warnings },
    output: { size: input.size, sha256: await outputSha256! },
    plan,
    verified: options.verify,
    userInput: user.counts,
  });
  return { manifest, plan };
}

/** The user's secrets and patterns, refused (one line, no secret in it) before any work if unusable. */
interface UserInput {
  secrets: string[];
  patterns: string[];
  warnings: string[];
  /** For the manifest: how many were applied, nothing else about them. */
  counts?: { secrets: number; patterns: number };
}

function checkedUserInput(options: Pick<JobOptions, 'secrets' | 'patterns'>): UserInput {
  const secrets = [...new Set(options.secrets ?? [])];
  const patterns = [...new Set(options.patterns ?? [])];
  const problem = userInputProblem(secrets, patterns);
  if (problem) throw new Error(problem);
  const warning = shortSecretsWarning(secrets);
  return {
    secrets,
    patterns,
    warnings: warning ? [warning] : [],
    counts: secrets.length + patterns.length > 0 ? { secrets: secrets.length, patterns: patterns.length } : undefined,
  };
}

/**
 * The user's secrets and patterns alone, as a verification sweep (the ordinary detectors run too):
 * null when there are none. Throws a one-line message if they are unusable.
 */
export function userVerificationSweep(options: Pick<JobOptions, 'secrets' | 'patterns'>): SweepRequest | null {
  const user = checkedUserInput(options);
  const secrets = secretsOf([], user);
  return secrets.size === 0 && user.patterns.length === 0 ? null : { ...sweepOf(secrets, user.patterns), only: false };
}

/** The secrets the findings confirmed and the user's own, each once, by secretId. */
function secretsOf(findings: readonly Finding[], user?: UserInput): Map<string, SecretMaterial> {
  const secrets = new Map<string, SecretMaterial>();
  const userSecrets = (user?.secrets ?? []).map((text): SecretMaterial => ({ kind: 'text-secret', text, origin: 'user' }));
  const confirmed = findings.flatMap((f) => (f.secret ? [f.secret] : []));
  // User secrets last: one a detector also confirmed is swept once, and reported as the user's.
  for (const secret of [...confirmed, ...userSecrets]) {
    const id = secretId(secret);
    const known = secrets.get(id);
    if (!known) {
      secrets.set(id, secret);
    } else if (secret.kind === 'text-secret' && secret.origin === 'user') {
      secrets.set(id, secret);
    } else {
      // The same key found in several encodings: one sweep, with every DER form's text lines.
      secrets.set(id, { ...known, ders: [...(known.ders ?? []), ...(secret.ders ?? [])] });
    }
  }
  return secrets;
}

/** Each harvested modulus once, without those whose private key pass 1 already proved. */
function unprovenModuli(publicKeys: readonly RsaPublicKey[], secrets: ReadonlyMap<string, SecretMaterial>): RsaPublicKey[] {
  const moduli = new Map<bigint, RsaPublicKey>();
  for (const key of publicKeys) if (!secrets.has(`rsa:${key.n.toString(16)}`)) moduli.set(key.n, key);
  return [...moduli.values()];
}

/** A sweep request; its id is a hash, so it never holds a secret. */
function sweepOf(secrets: ReadonlyMap<string, SecretMaterial>, patterns: string[], moduli: RsaPublicKey[] = []): SweepRequest {
  const id = hexOf(sha256(new TextEncoder().encode(JSON.stringify([[...secrets.keys()], patterns, moduli.map((m) => m.n.toString(16))]))));
  return { id, secrets: [...secrets.values()], patterns, only: true, ...(moduli.length > 0 ? { moduli } : {}) };
}

/**
 * The derived sweep after pass 1: every confirmed key's and user secret's other encodings, the
 * user's patterns, and the prime search for the moduli no key was found for. A factor found there
 * proves a key pass 1 could not see (bignum limbs only), and its other values get a sweep of their
 * own. Returns what both found, and the sweep of every secret for verification (null when none).
 */
async function sweepPasses(
  scanners: readonly ChunkScanner[],
  size: number,
  chunkSize: number,
  pass1: ChunkResult,
  user: UserInput,
  onBytesDone: (done: number) => void,
  signal?: AbortSignal,
): Promise<{ findings: Finding[]; warnings: string[]; sweep: SweepRequest | null }> {
  const secrets = secretsOf(pass1.findings, user);
  const moduli = unprovenModuli(pass1.publicKeys, secrets);
  if (secrets.size === 0 && moduli.length === 0 && user.patterns.length === 0) return { findings: [], warnings: [], sweep: null };
  const first = await scanChunks(scanners, size, chunkSize, onBytesDone, signal, sweepOf(secrets, user.patterns, moduli));
  const factored = new Map([...secretsOf(first.findings)].filter(([id]) => !secrets.has(id)));
  const second = factored.size > 0 ? await scanChunks(scanners, size, chunkSize, () => {}, signal, sweepOf(factored, [])) : { findings: [], warnings: [] };
  return {
    findings: [...first.findings, ...second.findings],
    warnings: [...first.warnings, ...second.warnings],
    sweep: sweepOf(new Map([...secrets, ...factored]), user.patterns),
  };
}

const hexOf = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** One key confirmed by several copies (its PEM and its DER) is swept once. */
function secretId(secret: SecretMaterial): string {
  switch (secret.kind) {
    case 'rsa-private-key':
      return `rsa:${secret.n.toString(16)}`;
    case 'ec-private-key':
      return `ec:${secret.curve}:${hexOf(secret.scalar)}`;
    case 'aes-key':
    case 'symmetric-key':
      return `${secret.kind}:${hexOf(secret.key)}`;
    case 'text-secret':
      return `text:${secret.text}`;
    default:
      return `${secret.kind}:${hexOf(secret.seed)}`;
  }
}

/** Two passes over the same bytes reported as one: progress is the slower pass's. */
function pairedProgress(report: (done: number) => void): { first: (d: number) => void; second: (d: number) => void } {
  let a = 0;
  let b = 0;
  return {
    first: (d) => report(Math.min((a = d), b)),
    second: (d) => report(Math.min(a, (b = d))),
  };
}

/** SHA-256 of one side of a sanitized stream, in order. */
async function hashStream(
  chunks: AsyncIterable<SanitizedChunk>,
  side: 'input' | 'output',
  createHash: HashFactory,
  onBytesDone: (done: number) => void,
  signal?: AbortSignal,
): Promise<string> {
  const hash = createHash();
  for await (const chunk of chunks) {
    throwIfAborted(signal);
    hash.update(chunk[side]);
    onBytesDone(chunk.offset + chunk.input.length);
  }
  return hash.digestHex();
}

/** Pass 2 for a file sink: every sanitized chunk written in order, hashed as it goes. */
async function writeSanitized(
  req: SanitizeRequest,
  ranges: readonly ByteRange[],
  chunkSize: number,
  meter: ProgressMeter,
  signal?: AbortSignal,
): Promise<string> {
  const hash = req.createHash();
  for await (const chunk of sanitizedChunks(req.input, ranges, chunkSize)) {
    throwIfAborted(signal);
    hash.update(chunk.output);
    await req.sink.write(chunk.output);
    meter.update(chunk.offset + chunk.input.length);
  }
  return hash.digestHex();
}

export interface ScanRequest {
  input: ByteSource;
  scanners: readonly ChunkScanner[];
  options: Pick<JobOptions, 'policy' | 'chunkSize' | 'keepVectorRegisters' | 'secrets' | 'patterns'>;
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
}

/** Pass 1 and the sweep: what would be redacted and what is for review. Writes nothing. */
export async function scanOnly(req: ScanRequest): Promise<{ map: DumpMap; warnings: string[]; plan: RedactionPlan }> {
  const meter = new ProgressMeter(req.input.size, 1, req.onProgress ?? (() => {}));
  const user = checkedUserInput(req.options);
  const map = await parseDump(req.input);
  const chunkSize = req.options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const pass1 = await scanChunks(req.scanners, req.input.size, chunkSize, (d) => meter.update(d), req.signal);
  const { findings: swept, warnings: sweepWarnings } = await sweepPasses(req.scanners, req.input.size, chunkSize, pass1, user, () => {}, req.signal);
  const extra = [...user.warnings, ...pass1.warnings, ...sweepWarnings];
  return { map, ...(await planForDump(map, req.input, [...pass1.findings, ...swept], req.options, extra)) };
}

/** Detector findings placed in the dump, plus what the policy zeroes whole, as one plan. */
async function planForDump(
  map: DumpMap,
  input: ByteSource,
  findings: readonly Finding[],
  options: Pick<JobOptions, 'policy' | 'keepVectorRegisters'>,
  extraWarnings: readonly string[],
): Promise<{ plan: RedactionPlan; warnings: string[] }> {
  const placed = await applyDumpMap(map, input, findings, {
    policy: options.policy,
    keepVectorRegisters: options.keepVectorRegisters ?? false,
  });
  return { plan: planRedactions(placed.detected, options.policy, placed.policy), warnings: [...map.warnings, ...placed.warnings, ...extraWarnings] };
}
