/**
 * Window scanner `aes-schedule` (detectors.md S15): expanded AES-128/192/256 key schedules, forward
 * and decryption schedules, in FIPS and word-swapped byte order, found at any byte offset by the
 * core.wasm kernel. The schedule is its own proof (every word follows from the key by the
 * expansion recurrence; a chance match is about 2^-1280 for AES-128), so findings are high
 * confidence. Each covers exactly the schedule's bytes; a schedule starting in the owned range is
 * reported whole even where it runs into the right context. The key read back from it becomes an
 * `aes-key` secret, so the derived sweep zeroes the raw key wherever else it lies.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../crypto/bigint.ts';
import {
  AES_SCHEDULE_VARIANTS,
  keyFromSchedule,
  scheduleLength,
  variantEncoding,
} from '../../crypto/aes-key-schedule.ts';
import type { Finding } from '../../types.ts';
import type { ScanWindow } from '../../window.ts';
import type { WindowScanner } from '../detector.ts';
import { createWasmAesScheduleFinder } from '../../../wasm/aes-schedule-finder.ts';

export const AES_SCHEDULE_ID = 'aes-schedule';

/** `sha256:` + the first 16 hex digits of SHA-256(key): names a symmetric key without revealing it. */
export function aesKeyFingerprint(key: Uint8Array): string {
  return 'sha256:' + toHex(sha256(key)).slice(0, 16);
}

export function createAesScheduleScanner(kernel: WebAssembly.Module): WindowScanner {
  const finder = createWasmAesScheduleFinder(kernel);
  return {
    id: AES_SCHEDULE_ID,
    scan(win: ScanWindow): Finding[] {
      const findings: Finding[] = [];
      for (const { pos, variants } of finder.find(win.bytes, win.ownStart, win.ownEnd)) {
        AES_SCHEDULE_VARIANTS.forEach((variant, i) => {
          if (!(variants & (1 << i))) return;
          const key = keyFromSchedule(win.bytes, pos, variant);
          const fingerprint = aesKeyFingerprint(key);
          findings.push({
            offset: win.base + pos,
            length: scheduleLength(variant.keyBytes),
            kind: 'aes-key-schedule',
            detector: AES_SCHEDULE_ID,
            confidence: 'high',
            encoding: variantEncoding(variant),
            fingerprint,
            secret: { kind: 'aes-key', key, fingerprint },
          });
        });
      }
      return findings;
    },
  };
}
