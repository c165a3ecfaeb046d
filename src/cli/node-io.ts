/** Node adapters for the engine: file reads, native SHA-256, the worker pool, the temp-file sink. */
import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { IncrementalHash } from '../engine/hash.ts';
import type { ChunkScanner, OutputSink } from '../engine/pipeline.ts';
import type { ByteSource } from '../engine/source.ts';
import { MIN_USER_SECRET_CHARS, userSecretsProblem } from '../engine/user-input.ts';
import { UsageError } from './args.ts';
import type { NodeScanWorkerApi } from '../../workers/node-scan.worker.ts';

export function nodeSha256(): IncrementalHash {
  const h = createHash('sha256');
  return { update: (b) => void h.update(b), digestHex: () => h.digest('hex') };
}

const describe = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (error as Error).message;
};

/**
 * The secrets in `--secret-file`s: one per line, CRLF tolerated, blank lines skipped. An unreadable
 * file or a secret too short to search is a usage error naming the file and line, never the secret.
 */
export async function readSecretFiles(paths: readonly string[]): Promise<string[]> {
  const secrets: string[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(`cannot read secret file ${path}: ${code === 'EISDIR' ? 'is a directory' : describe(error)}`);
    }
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    for (const [i, line] of lines.entries()) {
      if (line.trim() === '') continue;
      if (userSecretsProblem([line])) {
        throw new UsageError(`secret file ${path} line ${i + 1}: a secret must be at least ${MIN_USER_SECRET_CHARS} characters long`);
      }
      secrets.push(line);
    }
  }
  return secrets;
}

/** Opens a regular, readable file or explains in one line why not. */
export async function openInput(path: string): Promise<{ handle: FileHandle; source: ByteSource }> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${describe(error)}`);
  }
  if (info.isDirectory()) throw new UsageError(`${path} is a directory, not a dump file`);
  if (!info.isFile()) throw new UsageError(`${path} is not a regular file`);
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${describe(error)}`);
  }
  return { handle, source: fileHandleSource(handle, info.size, path) };
}

/** Positional reads from an open file: one read per request, straight into a fresh buffer. */
export function fileHandleSource(handle: FileHandle, size: number, path: string): ByteSource {
  return {
    size,
    async read(offset, length) {
      const want = Math.max(0, Math.min(length, size - offset));
      const buffer = new Uint8Array(want);
      let got = 0;
      while (got < want) {
        const { bytesRead } = await handle.read(buffer, got, want - got, offset + got);
        if (bytesRead === 0) throw new Error(`read error: ${path} ended at ${offset + got} bytes (was it truncated while reading?)`);
        got += bytesRead;
      }
      return buffer;
    },
  };
}

/** One worker_threads scanner per core; the CLI's own module is the worker script. */
export function startNodePool(workerScript: URL): { scannersFor(path: string): ChunkScanner[]; stop(): Promise<void> } {
  const size = Math.max(1, Math.min(8, availableParallelism()));
  const workers = Array.from({ length: size }, () => new Worker(workerScript));
  const remotes = workers.map((w) => Comlink.wrap<NodeScanWorkerApi>(nodeEndpoint(w)));
  return {
    scannersFor: (path) => remotes.map((r) => ({ scan: (start, end, sweep) => r.scan(path, start, end, sweep) })),
    stop: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * Writes the sanitized stream to a hidden temp file beside the destination; `commit` renames it
 * into place only after the job succeeded, `discard` removes it, so no partial output ever exists
 * under the real name.
 */
export async function tempFileSink(destination: string, verifyWith: (path: string) => ChunkScanner[]) {
  const tempPath = join(dirname(destination), `.${basename(destination)}.${randomBytes(6).toString('hex')}.partial`);
  let handle: FileHandle;
  try {
    handle = await open(tempPath, 'wx');
  } catch (error) {
    throw new UsageError(`cannot write ${destination}: ${describe(error)}`);
  }
  let closed = false;
  const close = async () => {
    if (!closed) {
      closed = true;
      await handle.close();
    }
  };
  const sink: OutputSink = {
    streamsBytes: true,
    async write(chunk) {
      let written = 0;
      while (written < chunk.length) {
        const { bytesWritten } = await handle.write(chunk, written, chunk.length - written);
        written += bytesWritten;
      }
    },
    async finish() {
      await handle.sync();
      await close();
      return verifyWith(tempPath);
    },
  };
  return {
    sink,
    commit: () => rename(tempPath, destination),
    discard: async () => {
      await close().catch(() => {});
      await rm(tempPath, { force: true });
    },
  };
}
