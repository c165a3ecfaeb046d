import type { HashFactory } from './hash.ts';
import type { Manifest } from './manifest-types.ts';
import { isRedactedUnder, mergeRanges } from './plan.ts';
import type { JobOptions } from './job-types.ts';
import { DEFAULT_CHUNK_SIZE, scanChunks, userVerificationSweep, type ChunkScanner } from './pipeline.ts';
import { rangesAreZero } from './sanitized-stream.ts';
import type { ByteSource } from './source.ts';

export interface VerifyRequest {
  sanitized: ByteSource;
  manifest: Manifest;
  scanners: readonly ChunkScanner[];
  createHash: HashFactory;
  chunkSize?: number;
  /** The user's own secrets and patterns, which must be absent too. */
  user?: Pick<JobOptions, 'secrets' | 'patterns'>;
}

/**
 * Checks a sanitized file against its manifest: same size and SHA-256, every listed range zero,
 * and a fresh scan finds nothing the manifest's policy would have zeroed, nor any of the user's
 * secrets or pattern matches. Returns the problems.
 */
export async function verifySanitized(req: VerifyRequest): Promise<string[]> {
  const { sanitized, manifest } = req;
  const userSweep = userVerificationSweep(req.user ?? {});
  const chunkSize = req.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (sanitized.size !== manifest.output.size) {
    return [`size is ${sanitized.size} bytes but the manifest says ${manifest.output.size}`];
  }
  const problems: string[] = [];
  const ranges = mergeRanges(manifest.redactions);
  const hash = req.createHash();
  let nonZero = 0;
  for (let offset = 0; offset < sanitized.size; offset += chunkSize) {
    const bytes = await sanitized.read(offset, chunkSize);
    hash.update(bytes);
    if (!rangesAreZero(bytes, offset, ranges)) nonZero++;
  }
  const sha256 = hash.digestHex();
  if (sha256 !== manifest.output.sha256) problems.push(`SHA-256 is ${sha256} but the manifest says ${manifest.output.sha256}`);
  if (nonZero > 0) problems.push(`${nonZero} chunk(s) hold non-zero bytes inside redacted ranges`);
  const leftovers = (await scanChunks(req.scanners, sanitized.size, chunkSize, () => {}, undefined, userSweep ?? undefined)).findings.filter((f) =>
    isRedactedUnder(manifest.policy, f.confidence),
  );
  if (leftovers.length > 0) {
    problems.push(`${leftovers.length} secret(s) found in the file (first: ${leftovers[0]!.kind} at offset ${leftovers[0]!.offset})`);
  }
  return problems;
}
