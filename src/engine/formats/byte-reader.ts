import type { ByteSource } from '../source.ts';

/**
 * The largest single structural read. Directories, descriptor tables and note segments are far
 * smaller in real dumps; a count that would need more is hostile or corrupt, and its bytes stay raw.
 */
const MAX_STRUCT_READ = 64 * 1024 * 1024;

/** A structure field read outside the bytes that were read: the caller skipped a length check. */
class OutOfBoundsError extends RangeError {
  constructor(what: string, pos: number, width: number, length: number) {
    super(`${what}: ${width}-byte read at ${pos} outside a ${length}-byte view`);
  }
}

/** Bounds-checked fixed-width reads over bytes taken from the file at `offset`. */
export class StructView {
  private readonly data: DataView;

  constructor(
    readonly bytes: Uint8Array,
    /** File offset of bytes[0]. */
    readonly offset: number,
    readonly littleEndian: boolean,
  ) {
    this.data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** True when [pos, pos + width) lies inside the view. */
  has(pos: number, width: number): boolean {
    return Number.isInteger(pos) && pos >= 0 && width >= 0 && pos + width <= this.bytes.length;
  }

  private check(pos: number, width: number): void {
    if (!this.has(pos, width)) throw new OutOfBoundsError('StructView', pos, width, this.bytes.length);
  }

  u8(pos: number): number {
    this.check(pos, 1);
    return this.data.getUint8(pos);
  }

  u16(pos: number): number {
    this.check(pos, 2);
    return this.data.getUint16(pos, this.littleEndian);
  }

  u32(pos: number): number {
    this.check(pos, 4);
    return this.data.getUint32(pos, this.littleEndian);
  }

  i32(pos: number): number {
    this.check(pos, 4);
    return this.data.getInt32(pos, this.littleEndian);
  }

  u64(pos: number): bigint {
    this.check(pos, 8);
    return this.data.getBigUint64(pos, this.littleEndian);
  }

  /** An unsigned 4- or 8-byte word (ELF `long`, pointer-sized fields). */
  word(pos: number, size: 4 | 8): bigint {
    return size === 8 ? this.u64(pos) : BigInt(this.u32(pos));
  }

  sub(pos: number, length: number): Uint8Array {
    this.check(pos, length);
    return this.bytes.subarray(pos, pos + length);
  }

  /** A view of [pos, pos + length), keeping file offsets and byte order. */
  slice(pos: number, length: number): StructView {
    return new StructView(this.sub(pos, length), this.offset + pos, this.littleEndian);
  }
}

/** A 64-bit file offset or size as a number, or undefined when it cannot be one exactly. */
export function safeNumber(value: bigint): number | undefined {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}

/** Reads structures from a ByteSource: only ranges wholly inside the file, and never huge ones. */
export class FileReader {
  constructor(
    private readonly source: ByteSource,
    readonly littleEndian = true,
  ) {}

  get size(): number {
    return this.source.size;
  }

  /** True when [offset, offset + length) lies inside the file. */
  contains(offset: number, length: number): boolean {
    return Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && offset + length <= this.size;
  }

  /**
   * [offset, offset + length) as a view, or undefined when the range is not wholly inside the file
   * or is larger than MAX_STRUCT_READ; callers turn undefined into a warning.
   */
  async view(offset: number, length: number): Promise<StructView | undefined> {
    if (!this.contains(offset, length) || length > MAX_STRUCT_READ) return undefined;
    const bytes = length === 0 ? new Uint8Array(0) : await this.source.read(offset, length);
    if (bytes.length !== length) return undefined;
    return new StructView(bytes, offset, this.littleEndian);
  }

  withByteOrder(littleEndian: boolean): FileReader {
    return new FileReader(this.source, littleEndian);
  }
}
