/**
 * Test dumps made at test time (no committed file may hold a real-looking key) and the checks
 * every sanitized output must pass, in a form that works on a Buffer or streamed from a file.
 */

import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect } from '@playwright/test';
import type { Manifest } from '../../src/engine/manifest-types.ts';
import * as keys from '../fixtures/keys.ts';

export type KeyEncoding = 'ascii' | 'utf16le';

/** A PEM private key written into a dump at `offset`. */
export interface PlantedKey {
  offset: number;
  bytes: Buffer;
  /** Bytes from the BEGIN line through the end of the base64 body: none of them may survive. */
  secretLength: number;
  /**
   * The encoded base64 body lines, each of which must be gone from the whole output. (The BEGIN
   * line is the same for every key of a type, so it is checked only where the key was planted.)
   */
  needles: Buffer[];
}

export const rsaPem = (): string => keys.rsaPem(2048, 'pkcs8');
export const ecPem = (): string => keys.ecPem('P-256', 'sec1');

export function plant(pem: string, encoding: KeyEncoding, offset: number): PlantedKey {
  const endLine = pem.lastIndexOf('-----END');
  const bodyLines = pem
    .slice(0, endLine)
    .split('\n')
    .filter((line) => line.length > 0 && !line.startsWith('-----'));
  return {
    offset,
    bytes: Buffer.from(pem, encoding),
    secretLength: Buffer.byteLength(pem.slice(0, endLine), encoding),
    needles: bodyLines.map((line) => Buffer.from(line, encoding)),
  };
}

/** `size` random bytes with the keys written in. */
export function randomDump(size: number, keys: readonly PlantedKey[]): Buffer {
  const dump = randomBytes(size);
  for (const key of keys) key.bytes.copy(dump, key.offset);
  return dump;
}

/**
 * Writes a sparse `size`-byte dump to disk with the keys in it: the holes read as zeros, so even
 * a 2 GiB file costs no disk space or time to make, yet the engine must still read every byte.
 */
export async function writeSparseDump(path: string, size: number, keys: readonly PlantedKey[]): Promise<void> {
  const file = await open(path, 'w');
  try {
    await file.truncate(size);
    for (const key of keys) await file.write(key.bytes, 0, key.bytes.length, key.offset);
  } finally {
    await file.close();
  }
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 16 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function checkManifestShape(manifest: Manifest, input: { name: string; size: number; sha256: string }): void {
  expect(manifest.schema).toBe('dumpscrub.manifest/1');
  expect(manifest.tool.name).toBe('dumpscrub');
  expect(manifest.input.name).toBe(input.name);
  expect(manifest.input.size).toBe(input.size);
  expect(manifest.input.sha256).toBe(input.sha256);
  expect(manifest.output.size).toBe(input.size);
  expect(manifest.verified).toBe(true);
}

/**
 * Compares one aligned piece of input and output (`base` = file offset of both): inside a
 * redaction every byte is zero, outside it every byte equals the input.
 */
export function checkPiece(input: Buffer, output: Buffer, base: number, manifest: Manifest): void {
  expect(output.length).toBe(input.length);
  const ranges = manifest.redactions
    .map((r) => [Math.max(r.offset, base) - base, Math.min(r.offset + r.length, base + input.length) - base] as const)
    .filter(([from, to]) => to > from)
    .sort((x, y) => x[0] - y[0]);
  let at = 0;
  for (const [from, to] of ranges) {
    if (from > at) expectSame(input, output, at, from, base);
    const kept = output.subarray(from, to).findIndex((byte) => byte !== 0);
    expect(kept, `redacted range [${base + from}, ${base + to}) not zeroed at ${base + from + kept}`).toBe(-1);
    at = Math.max(at, to);
  }
  if (at < input.length) expectSame(input, output, at, input.length, base);
}

function expectSame(input: Buffer, output: Buffer, from: number, to: number, base: number): void {
  if (input.subarray(from, to).equals(output.subarray(from, to))) return;
  let i = from;
  while (input[i] === output[i]) i++;
  expect(output[i], `byte at ${base + i} changed outside every redaction`).toBe(input[i]);
}

/** The planted key bytes inside this piece are zero, and no line of it appears anywhere in it. */
export function checkKeysGone(output: Buffer, base: number, keys: readonly PlantedKey[]): void {
  for (const key of keys) {
    const from = Math.max(key.offset, base) - base;
    const to = Math.min(key.offset + key.secretLength, base + output.length) - base;
    if (to > from) {
      const left = output.subarray(from, to).findIndex((b) => b !== 0);
      expect(left, `planted key at ${key.offset} still has a byte at ${base + from + left}`).toBe(-1);
    }
    for (const needle of key.needles) {
      const found = output.indexOf(needle);
      expect(found, `a line of the key planted at ${key.offset} is still in the output at ${base + found}`).toBe(-1);
    }
  }
}

/**
 * Streams input and output side by side (constant memory, whatever the size) through checkPiece
 * and checkKeysGone. Pieces overlap by `needleSpan` so a key line across a boundary is still seen.
 */
export async function checkFiles(inputPath: string, outputPath: string, manifest: Manifest, keys: readonly PlantedKey[]): Promise<void> {
  const piece = 32 << 20;
  const needleSpan = 4096;
  const [input, output] = await Promise.all([open(inputPath), open(outputPath)]);
  try {
    const size = (await input.stat()).size;
    expect((await output.stat()).size).toBe(size);
    const a = Buffer.alloc(piece + needleSpan);
    const b = Buffer.alloc(piece + needleSpan);
    for (let base = 0; base < size; base += piece) {
      const n = Math.min(piece + needleSpan, size - base);
      await Promise.all([input.read(a, 0, n, base), output.read(b, 0, n, base)]);
      checkPiece(a.subarray(0, n), b.subarray(0, n), base, manifest);
      checkKeysGone(b.subarray(0, n), base, keys);
    }
  } finally {
    await Promise.all([input.close(), output.close()]);
  }
}

/** Big generated dumps go to tests/.tmp (git-ignored); each test deletes what it wrote. */
export async function tmpDir(): Promise<string> {
  const dir = fileURLToPath(new URL('../.tmp/', import.meta.url));
  await mkdir(dir, { recursive: true });
  return dir;
}

/** How the findings table prints an offset. */
export function hexOffset(offset: number): string {
  return `0x${offset.toString(16).padStart(8, '0')}`;
}
