import { describe, expect, it } from 'vitest';
import type { DumpMap, Region } from '../../../src/engine/formats/dump-map.ts';
import { applyDumpMap, locate, protectStructure } from '../../../src/engine/region-policy.ts';
import { blobSource } from '../../../src/engine/source.ts';
import type { Finding } from '../../../src/engine/types.ts';

const region = (offset: number, length: number, kind: Region['kind'], extra: Partial<Region> = {}): Region => ({ offset, length, kind, ...extra });
const map: DumpMap = {
  summary: { format: 'test' },
  warnings: [],
  regions: [
    region(0, 100, 'structure'),
    region(100, 100, 'stack', { va: '0x7ffd0000', thread: 7 }),
    region(200, 50, 'registers', { thread: 7 }),
    region(250, 50, 'vector-registers', { thread: 7 }),
    region(300, 100, 'heap', { va: '0x55550000' }),
    region(400, 100, 'module', { va: '0x7f000000', module: '/usr/lib/libc.so.6' }),
  ],
};
const finding = (offset: number, length: number): Finding => ({ offset, length, kind: 'k', detector: 'd', confidence: 'high', encoding: 'e' });

describe('locate', () => {
  it('gives the virtual address of the byte itself, with module and thread', () => {
    expect(locate(map, 150)).toEqual({ kind: 'stack', va: '0x7ffd0032', thread: 7 });
    expect(locate(map, 401)).toEqual({ kind: 'module', va: '0x7f000001', module: '/usr/lib/libc.so.6' });
    expect(locate(map, 5)).toEqual({ kind: 'structure' });
  });
});

describe('protectStructure', () => {
  it('cuts structure and general registers out of a finding and keeps neighbouring memory whole', () => {
    const { findings, warnings } = protectStructure([finding(50, 300)], map);
    expect(findings.map((f) => [f.offset, f.length])).toEqual([[100, 100], [250, 100]]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/100 byte\(s\).*offset 50/);
  });
  it('drops a finding wholly inside structure, with a warning', () => {
    const { findings, warnings } = protectStructure([finding(10, 20)], map);
    expect(findings).toEqual([]);
    expect(warnings).toHaveLength(1);
  });
  it('cuts a low-confidence guess out of structure silently: there it is structure, not a secret', () => {
    const guess: Finding = { ...finding(90, 20), confidence: 'low' };
    expect(protectStructure([guess], map)).toEqual({ findings: [{ ...guess, offset: 100, length: 10 }], warnings: [] });
  });
  it('leaves findings in memory untouched and silent', () => {
    expect(protectStructure([finding(310, 150)], map)).toEqual({ findings: [finding(310, 150)], warnings: [] });
  });
});

describe('applyDumpMap policies', () => {
  const source = blobSource(new Blob([new Uint8Array(500)]));
  it('standard zeroes vector registers; keepVectorRegisters keeps them', async () => {
    const zeroed = await applyDumpMap(map, source, [], { policy: 'standard', keepVectorRegisters: false });
    expect(zeroed.policy.map((f) => [f.kind, f.offset, f.length])).toEqual([['vector-registers', 250, 50]]);
    const kept = await applyDumpMap(map, source, [], { policy: 'standard', keepVectorRegisters: true });
    expect(kept.policy).toEqual([]);
  });
  it('stacks-only zeroes heap but keeps stacks and module images', async () => {
    const { policy } = await applyDumpMap(map, source, [], { policy: 'stacks-only', keepVectorRegisters: true });
    expect(policy.map((f) => [f.kind, f.offset, f.length])).toEqual([['heap-memory', 300, 100]]);
  });
  it('places detector findings in their region', async () => {
    const { detected } = await applyDumpMap(map, source, [finding(420, 10)], { policy: 'standard', keepVectorRegisters: true });
    expect(detected[0]!.region).toEqual({ kind: 'module', va: '0x7f000014', module: '/usr/lib/libc.so.6' });
  });
});
