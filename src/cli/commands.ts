import { readFile, writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { JobOptions, JobProgress } from '../engine/job-types.ts';
import { manifestProblems, toManifestEntry } from '../engine/manifest.ts';
import type { Manifest } from '../engine/manifest-types.ts';
import { sanitize, scanOnly } from '../engine/pipeline.ts';
import type { DumpSummary } from '../engine/formats/dump-map.ts';
import type { Finding } from '../engine/types.ts';
import { verifySanitized } from '../engine/verify.ts';
import { USER_PATTERN_ID } from '../engine/detectors/user-pattern.ts';
import { USER_SECRET_KIND } from '../engine/sweep/sweep-detector.ts';
import { UsageError, type Command } from './args.ts';
import { nodeSha256, openInput, readSecretFiles, startNodePool, tempFileSink } from './node-io.ts';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Progress lines go to stderr only when it is a terminal. */
  progress?: (p: JobProgress) => void;
  /** Aborted on Ctrl-C: the job stops within one chunk and leaves no output behind. */
  signal?: AbortSignal;
  workerScript: URL;
}

/** `crash.dmp` → `crash.sanitized.dmp`; `core` → `core.sanitized`. */
export function defaultOutputPath(dump: string): string {
  const ext = extname(basename(dump));
  return ext ? `${dump.slice(0, -ext.length)}.sanitized${ext}` : `${dump}.sanitized`;
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** `minidump amd64 Windows, 12 threads, 40 modules, 2 memory ranges, 5 MiB of memory` */
function describeDump(s: DumpSummary, size: number): string {
  const parts = [[s.format, s.arch, s.os].filter(Boolean).join(' ')];
  if (s.process) parts.push(`process ${s.process}`);
  if (s.threads !== undefined) parts.push(`${s.threads} thread(s)`);
  if (s.modules !== undefined) parts.push(`${s.modules} module(s)`);
  if (s.memoryRanges !== undefined) parts.push(`${s.memoryRanges} memory range(s), ${s.memoryBytes ?? 0} bytes of memory`);
  parts.push(`${size} bytes`);
  return parts.join(', ');
}
const where = (f: Finding) => {
  const r = f.region;
  if (!r || r.kind === 'raw') return '';
  const detail = [r.va && `va ${r.va}`, r.module, r.thread !== undefined && `thread ${r.thread}`].filter(Boolean).join(', ');
  return ` in ${r.kind}${detail ? ` (${detail})` : ''}`;
};
const describeFinding = (f: Finding) =>
  `  ${hex(f.offset).padStart(12)}  ${String(f.length).padStart(7)}  ${f.confidence.padEnd(6)}  ${f.kind} (${f.encoding})${where(f)}`;

export async function run(cmd: Exclude<Command, { name: 'help' | 'version' }>, io: Io): Promise<number> {
  const user: UserSecrets = { secrets: await readSecretFiles(cmd.secretFiles), patterns: cmd.patterns };
  const pool = startNodePool(io.workerScript);
  try {
    if (cmd.name === 'scan') return await runScan(cmd, io, pool, user);
    if (cmd.name === 'verify') return await runVerify(cmd, io, pool, user);
    return await runSanitize(cmd, io, pool, user);
  } finally {
    await pool.stop();
  }
}

type Pool = ReturnType<typeof startNodePool>;
/** The user's own secrets and patterns, as read from the command line and the secret files. */
type UserSecrets = Required<Pick<JobOptions, 'secrets' | 'patterns'>>;

async function runScan(cmd: Extract<Command, { name: 'scan' }>, io: Io, pool: Pool, user: UserSecrets): Promise<number> {
  const { handle, source } = await openInput(cmd.dump);
  try {
    const { map, warnings, plan } = await scanOnly({
      input: source,
      scanners: pool.scannersFor(cmd.dump),
      options: { policy: 'standard', chunkSize: cmd.chunkSize, ...user },
      onProgress: io.progress,
      signal: io.signal,
    });
    if (cmd.json) {
      const input = { name: basename(cmd.dump), size: source.size, format: map.summary.format, summary: map.summary, warnings };
      io.out(JSON.stringify({ input, findings: plan.redact.map(toManifestEntry), review: plan.review.map(toManifestEntry) }, null, 2));
    } else {
      for (const w of warnings) io.err(`warning: ${w}`);
      io.out(`${cmd.dump}: ${describeDump(map.summary, source.size)}, ${plan.redact.length} to zero, ${plan.review.length} for review`);
      for (const f of [...plan.redact, ...plan.review]) io.out(describeFinding(f));
    }
    return plan.redact.length > 0 ? 1 : 0;
  } finally {
    await handle.close();
  }
}

async function runSanitize(cmd: Extract<Command, { name: 'sanitize' }>, io: Io, pool: Pool, user: UserSecrets): Promise<number> {
  const { handle, source } = await openInput(cmd.dump);
  const outputPath = cmd.output ?? defaultOutputPath(cmd.dump);
  const manifestPath = cmd.manifest ?? `${outputPath}.manifest.json`;
  if ([outputPath, manifestPath].includes(cmd.dump)) throw new UsageError('the output must not overwrite the input');
  const output = await tempFileSink(outputPath, (path) => pool.scannersFor(path));
  try {
    const { manifest } = await sanitize({
      name: basename(cmd.dump),
      input: source,
      inputScanners: pool.scannersFor(cmd.dump),
      sink: output.sink,
      createHash: nodeSha256,
      options: { policy: cmd.policy, verify: cmd.verify, keepVectorRegisters: cmd.keepVectorRegisters, chunkSize: cmd.chunkSize, ...user },
      onProgress: io.progress,
      signal: io.signal,
    });
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    await output.commit();
    if (cmd.json) {
      io.out(JSON.stringify(manifest, null, 2));
    } else {
      for (const w of manifest.input.warnings) io.err(`warning: ${w}`);
      const zeroed = manifest.redactions.reduce((n, r) => n + r.length, 0);
      io.out(`${outputPath}: ${manifest.redactions.length} secret(s) zeroed (${zeroed} bytes), ${manifest.review.length} for review, ${manifest.verified ? 'verified' : 'NOT verified (--no-verify)'}`);
      if (manifest.userInput) {
        const { secrets, patterns } = manifest.userInput;
        const copies = manifest.redactions.filter((r) => r.kind === USER_SECRET_KIND || r.kind === USER_PATTERN_ID).length;
        io.out(`your ${secrets} secret(s) and ${patterns} pattern(s): ${copies} cop(ies) zeroed`);
      }
      io.out(`manifest: ${manifestPath}`);
    }
    return 0;
  } catch (error) {
    await output.discard();
    if ((error as Error).message.startsWith('verification failed')) {
      io.err(`dumpscrub: ${(error as Error).message}; no output written`);
      return 1;
    }
    throw error;
  } finally {
    await handle.close();
  }
}

async function runVerify(cmd: Extract<Command, { name: 'verify' }>, io: Io, pool: Pool, user: UserSecrets): Promise<number> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(cmd.manifest, 'utf8')) as Manifest;
  } catch (error) {
    throw new UsageError(`cannot read manifest ${cmd.manifest}: ${(error as Error).message.split('\n')[0]}`);
  }
  const shapeProblems = manifestProblems(manifest);
  if (shapeProblems.length > 0) throw new UsageError(`${cmd.manifest}: ${shapeProblems[0]}`);
  const { handle, source } = await openInput(cmd.sanitized);
  try {
    const problems = await verifySanitized({
      sanitized: source,
      manifest,
      scanners: pool.scannersFor(cmd.sanitized),
      createHash: nodeSha256,
      chunkSize: cmd.chunkSize,
      user,
    });
    if (cmd.json) io.out(JSON.stringify({ verified: problems.length === 0, problems }, null, 2));
    else if (problems.length === 0) io.out(`${cmd.sanitized}: verified against ${cmd.manifest}`);
    else for (const p of problems) io.err(`dumpscrub: ${cmd.sanitized}: ${p}`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    await handle.close();
  }
}
