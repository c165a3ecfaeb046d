/**
 * Incremental SHA-256 on the WebAssembly kernel (src/wasm/sha256.as.ts): for the browser, where
 * WebCrypto has no incremental digest and pure JS is the bottleneck of a job.
 */

import type { HashFactory, IncrementalHash } from '../engine/hash.ts';

/** Raw exports of sha256.wasm; see sha256.as.ts for the meaning of each. */
export interface Sha256KernelExports {
  memory: WebAssembly.Memory;
  SLOT_SIZE: WebAssembly.Global;
  alloc(size: number): number;
  reset(slot: number): void;
  update(slot: number, ptr: number, len: number): void;
  finish(slot: number): void;
}

/** A HashFactory that also reports how many state slots its wasm instance holds. */
export type WasmSha256Factory = HashFactory & {
  /** `live`: slots held by hashes not yet digested; `allocated`: slots ever taken from wasm memory. */
  slots(): { live: number; allocated: number };
};

/**
 * Bytes copied into wasm memory per kernel call. A larger update is fed in pieces of this size, so
 * the instance's memory stays near this plus the slots, whatever the callers' chunk size.
 */
export const INPUT_PIECE = 1 << 20;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A factory of SHA-256 hashes that share one instance of `module` (compiled sha256.wasm).
 *
 * Each hash owns a state slot in the instance's memory. `digestHex()` finishes the hash and
 * returns its slot to a free list, after which `update` and `digestHex` throw (as node:crypto's Hash does), so code written against either behaves alike. A
 * hash dropped without a digest gets its slot back when it is garbage-collected.
 *
 * Memory: the instance holds one INPUT_PIECE input buffer plus SLOT_SIZE (128) bytes per slot; a
 * slot is reused, never freed, so the slots allocated are the most hashes ever alive at once.
 */
export function createWasmSha256(module: WebAssembly.Module): WasmSha256Factory {
  const kernel = new WebAssembly.Instance(module, {}).exports as unknown as Sha256KernelExports;
  const slotSize = kernel.SLOT_SIZE.value as number;

  const alloc = (size: number): number => {
    try {
      return kernel.alloc(size) >>> 0;
    } catch (cause) {
      throw new Error(`SHA-256: out of WebAssembly memory allocating ${size} bytes`, { cause });
    }
  };

  const input = alloc(INPUT_PIECE);
  // Re-made whenever wasm memory grows: growing detaches the old buffer (its length drops to 0).
  let heap = new Uint8Array(kernel.memory.buffer);
  const memoryBytes = (): Uint8Array => {
    if (heap.byteLength === 0) heap = new Uint8Array(kernel.memory.buffer);
    return heap;
  };

  const free: number[] = [];
  let allocated = 0;
  let live = 0;
  const takeSlot = (): number => {
    live++;
    const slot = free.pop();
    if (slot !== undefined) return slot;
    allocated++;
    return alloc(slotSize);
  };
  const releaseSlot = (slot: number): void => {
    live--;
    free.push(slot);
  };
  // Returns the slots of hashes that were dropped undigested (an aborted job, say).
  const dropped = new FinalizationRegistry<number>(releaseSlot);

  class WasmSha256 implements IncrementalHash {
    #slot: number;

    constructor(slot: number) {
      this.#slot = slot;
      dropped.register(this, slot, this);
    }

    #liveSlot(what: string): number {
      if (this.#slot < 0) throw new Error(`SHA-256: ${what}() after digestHex()`);
      return this.#slot;
    }

    update(bytes: Uint8Array): void {
      const slot = this.#liveSlot('update');
      for (let at = 0; at < bytes.length; at += INPUT_PIECE) {
        const piece = bytes.length <= INPUT_PIECE ? bytes : bytes.subarray(at, at + INPUT_PIECE);
        memoryBytes().set(piece, input);
        kernel.update(slot, input, piece.length);
      }
    }

    digestHex(): string {
      const slot = this.#liveSlot('digestHex');
      kernel.finish(slot);
      const digest = memoryBytes().subarray(slot, slot + 32);
      let hex = '';
      for (let i = 0; i < 32; i++) hex += HEX[digest[i]];
      this.#slot = -1;
      dropped.unregister(this);
      releaseSlot(slot);
      return hex;
    }
  }

  const factory = (): IncrementalHash => {
    const slot = takeSlot();
    kernel.reset(slot);
    return new WasmSha256(slot);
  };
  return Object.assign(factory, { slots: () => ({ live, allocated }) });
}
