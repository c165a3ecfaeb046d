/**
 * Memory handling shared by the wrappers of core.wasm's kernels: the module's never-freeing stub
 * allocator, the buffer each wrapper copies the bytes it searches into, and the range it searches.
 */

/** Under the stub runtime's per-block limit (1 GiB less a header); larger requests trap. */
const MAX_ALLOCATION = 2 ** 30 - 16;

export interface KernelMemory {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
}

/** `kernel.alloc` with a clear error (naming `user`) instead of a trap when memory runs out. */
export function kernelAllocator(kernel: KernelMemory, user: string): (size: number) => number {
  return (size) => {
    if (size > MAX_ALLOCATION) {
      throw new RangeError(`${user}: ${size} bytes exceed the kernel's ${MAX_ALLOCATION}-byte limit; pass smaller chunks`);
    }
    try {
      return kernel.alloc(size) >>> 0;
    } catch (cause) {
      throw new Error(`${user}: out of WebAssembly memory allocating ${size} bytes`, { cause });
    }
  };
}

/**
 * A buffer in kernel memory that searched bytes are copied into, followed by `slack` bytes the
 * kernel may read past them. It grows by doubling, which bounds what the never-freeing allocator
 * leaks when inputs keep growing. `place` returns the buffer's address.
 */
export function inputArea(kernel: KernelMemory, alloc: (size: number) => number, slack: number): { place(bytes: Uint8Array): number } {
  let input = 0;
  let inputCap = 0;
  return {
    place(bytes) {
      const need = bytes.length + slack;
      if (need > inputCap) {
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

/** [from, to) clipped to the buffer; `to` may be Infinity. */
export function clipRange(length: number, from: number, to: number): [number, number] {
  if (Number.isNaN(from) || Number.isNaN(to)) throw new RangeError('find(): from and to must be numbers');
  return [Math.max(0, Math.ceil(from)), Math.min(length, Math.ceil(to))];
}
