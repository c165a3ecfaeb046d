/** Runs a prime search over a buffer the way the pipeline will: chunk by chunk, through windows. */
import type { KeyObject } from 'node:crypto';
import type { RsaPublicKey } from '../../../src/engine/harvest/public-key.ts';
import type { PrimeSearch } from '../../../src/engine/primes/prime-search.ts';
import type { Finding } from '../../../src/engine/types.ts';
import { makeWindow, windowRange } from '../../../src/engine/window.ts';
import { big, rsaParts } from '../../fixtures/binary-keys.ts';

export function searchBuffer(search: PrimeSearch, file: Uint8Array, moduli: readonly RsaPublicKey[], chunkSize: number): Finding[] {
  const findings: Finding[] = [];
  for (let start = 0; start < file.length; start += chunkSize) {
    const end = Math.min(file.length, start + chunkSize);
    const { from, to } = windowRange(start, end, file.length);
    findings.push(...search(makeWindow(file.subarray(from, to), from, start, end, file.length), moduli));
  }
  return findings.sort((a, b) => a.offset - b.offset);
}

export function publicKeyOf(key: KeyObject): RsaPublicKey {
  const k = rsaParts(key);
  return { n: big(k.n), e: big(k.e), source: 'test' };
}

/** offset, length, encoding of each finding: what the truth lists. */
export const placed = (findings: readonly Finding[]) =>
  findings.map((f) => ({ offset: f.offset, length: f.length, encoding: f.encoding })).sort((a, b) => a.offset - b.offset);
