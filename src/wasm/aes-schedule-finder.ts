/**
 * The AES key schedule search of core.wasm (src/wasm/aes-schedule.as.ts) behind a plain-TS wrapper.
 * Its reference, which the tests hold it to, is findAesSchedulesReference
 * (src/engine/crypto/aes-key-schedule.ts); both report the same AesScheduleHit list.
 */
import { scheduleLength, type AesScheduleHit } from '../engine/crypto/aes-key-schedule.ts';
import { inputArea, kernelAllocator } from './kernel-memory.ts';

/** Raw exports of the schedule kernel in core.wasm; see aes-schedule.as.ts for each. */
export interface AesKernelExports {
  memory: WebAssembly.Memory;
  AES_SCAN_SLACK: WebAssembly.Global;
  alloc(size: number): number;
  aesNextSchedule(ptr: number, len: number, from: number, to: number): number;
  aesFoundVariants(): number;
}

export interface AesScheduleFinder {
  /** Schedules starting in [from, to) and ending by bytes.length, by position. */
  find(bytes: Uint8Array, from: number, to: number): AesScheduleHit[];
}

/** The longest schedule (AES-256): how far past `to` a hit may reach. */
const LONGEST = scheduleLength(32);

export function createWasmAesScheduleFinder(module: WebAssembly.Module): AesScheduleFinder {
  const kernel = new WebAssembly.Instance(module, {}).exports as unknown as AesKernelExports;
  const input = inputArea(kernel, kernelAllocator(kernel, 'AesScheduleFinder'), kernel.AES_SCAN_SLACK.value as number);
  return {
    find(bytes, from, to) {
      const start = Math.max(0, from);
      const end = Math.min(bytes.length, to);
      if (start >= end) return [];
      // Only the bytes a schedule starting in [start, end) can cover are copied in.
      const area = bytes.subarray(start, Math.min(bytes.length, end - 1 + LONGEST));
      const ptr = input.place(area);
      const hits: AesScheduleHit[] = [];
      for (let next = 0; ; ) {
        const pos = kernel.aesNextSchedule(ptr, area.length, next, end - start);
        if (pos < 0) return hits;
        hits.push({ pos: start + pos, variants: kernel.aesFoundVariants() >>> 0 });
        next = pos + 1;
      }
    },
  };
}
