import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chachaState } from '../../../../src/engine/detectors/binary/chacha-state.ts';
import { chachaState as stateOf, expectBinaryRedacted, plant, randomKey, salsaState, scanBinary } from '../../../fixtures/binary-keys.ts';

const scan = (bytes: Uint8Array) => scanBinary(chachaState, bytes, bytes.length + 1);

describe('chacha-state', () => {
  it('finds ChaCha20 states with 256- and 128-bit keys and Salsa20 states: medium, the 64-byte state', () => {
    const parts = [stateOf(randomKey(32)), stateOf(randomKey(16)), salsaState(randomKey(32)), salsaState(randomKey(16))];
    const file = plant(...parts);
    const findings = expectBinaryRedacted(chachaState, file.bytes, parts.map((_, i) => file.range(i)));
    expect(findings.map((f) => [f.offset, f.length, f.kind, f.confidence, f.encoding])).toEqual([
      [file.at[0], 64, 'chacha-key', 'medium', 'chacha-state'],
      [file.at[1], 64, 'chacha-key', 'medium', 'chacha-state'],
      [file.at[2], 64, 'salsa20-key', 'medium', 'salsa20-state'],
      [file.at[3], 64, 'salsa20-key', 'medium', 'salsa20-state'],
    ]);
  });

  it('finds states with random keys (the gate passes ≥ 99 % of them)', () => {
    const parts = Array.from({ length: 20 }, () => stateOf(randomBytes(32)));
    const found = scan(plant(...parts).bytes).length;
    expect(found).toBeGreaterThanOrEqual(17);
  });

  it('rejects the constants in read-only data, low-entropy key words and a 16-byte key not repeated', () => {
    const rodata = Buffer.from('expand 32-byte kexpand 16-byte k\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0');
    const lowKey = stateOf(Buffer.alloc(32, 0x11));
    const notRepeated = Buffer.concat([Buffer.from('expand 16-byte k'), randomKey(32), randomBytes(16)]);
    const text = Buffer.from('the expansion of expanded expa words');
    expect(scan(plant(rodata, lowKey, notRepeated, text).bytes)).toEqual([]);
  });

  it('a state cut by the end of the data after its key: medium up to the end; inside the key: nothing', () => {
    const s = stateOf(randomKey(32));
    const afterKey = Buffer.concat([randomBytes(13), s.subarray(0, 50)]);
    expect(expectBinaryRedacted(chachaState, afterKey, [[13, afterKey.length]]).map((f) => f.confidence)).toEqual(['medium']);
    expect(scan(Buffer.concat([randomBytes(13), s.subarray(0, 40)]))).toEqual([]);
  });
});
