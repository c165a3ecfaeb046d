/**
 * The anchor lists the engine compiles. A byte anchor that starts with a zero byte turns every
 * position of a zero page into a prefilter candidate (the kernel's nibble tables cannot tell it
 * from its bucket mates there): a 661 MB Node core was harvested at 59 MB/s until one was removed.
 */
import { describe, expect, it } from 'vitest';
import { allDetectors } from '../../../src/engine/engine.ts';
import { rsaHarvesters } from '../../../src/engine/harvest/index.ts';

describe('anchor lists', () => {
  it('no byte anchor of a detector or harvester starts with a zero byte', () => {
    for (const user of [...allDetectors, ...rsaHarvesters]) {
      for (const anchor of user.rawAnchors ?? []) expect(anchor.charCodeAt(0), `${user.id}: ${JSON.stringify(anchor)}`).not.toBe(0);
    }
  });
});
