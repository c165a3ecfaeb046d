/**
 * What every wrapper of a core.wasm kernel needs: allocation within the stub runtime's limits, and
 * an input area the scanned bytes are copied into (with the slack the kernel may read past them).
 */

/** Under the stub runtime's per-block limit (1 GiB less a header); larger requests trap. */
export const MAX_ALLOCATION = 2 ** 30 - 16;

export interface KernelMemory {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
}

/** `alloc` of `kernel` with a clear error for an oversized request or exhausted memory; `who` names the caller. */
export function kernelAllocator(kernel: KernelMemory, who: string): (size: number) => number {
  return (size) => {
    if (size > MAX_ALLOCATION) {
      throw new RangeError(`${who}: ${size} bytes exceed the kernel's ${MAX_ALLOCATION}-byte limit; pass smaller chunks`);
    }
    try {
      return kernel.alloc(size) >>> 0;
    } catch (cause) {
      throw new Error(`${who}: out of WebAssembly memory allocating ${size} bytes`, { cause });
    }
  };
}

/**
 * A reusable input area: `load(bytes)` copies bytes into kernel memory followed by `slack` readable
 * bytes and returns where they start. The area only grows (the stub runtime never frees).
 */
export function kernelInput(kernel: KernelMemory, alloc: (size: number) => number, slack: number): { load(bytes: Uint8Array): number } {
  let input = 0;
  let inputCap = 0;
  return {
    load(bytes) {
      const need = bytes.length + slack;
      if (need > inputCap) {
        // Doubling bounds what the never-freeing allocator leaks when inputs keep growing.
        const size = Math.max(need, Math.min(MAX_ALLOCATION, 2 * inputCap));
        input = alloc(size);
        inputCap = size;
      }
      // The view is made after any alloc: growing wasm memory detaches the previous buffer.
      new Uint8Array(kernel.memory.buffer, input, bytes.length).set(bytes);
      return input;
    },
  };
}
