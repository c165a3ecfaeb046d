/**
 * The extent of one Java serialization stream (java.io.ObjectOutputStream, "Object Serialization
 * Stream Protocol", grammar of §6.4): magic `AC ED`, version 5, one content. A JCEKS secret-key entry
 * is such a stream (a SealedObject) with no length in front of it, so parsing it is the only way to
 * know where the entry ends.
 *
 * Only the grammar is followed: class descriptors (kept by handle, as later references need their
 * field lists), objects with their field values, arrays, strings, enums, block data in annotations.
 * Nothing is interpreted. Custom readObject formats are covered by the annotation grammar; an
 * Externalizable class without block data cannot be delimited and is refused.
 */

const STREAM_MAGIC = 0xaced;
const STREAM_VERSION = 5;
const BASE_HANDLE = 0x7e0000;
const MAX_DEPTH = 32;

const TC = {
  NULL: 0x70, REFERENCE: 0x71, CLASSDESC: 0x72, OBJECT: 0x73, STRING: 0x74, ARRAY: 0x75, CLASS: 0x76,
  BLOCKDATA: 0x77, ENDBLOCKDATA: 0x78, BLOCKDATALONG: 0x7a, LONGSTRING: 0x7c, PROXYCLASSDESC: 0x7d, ENUM: 0x7e,
} as const;

const SC_WRITE_METHOD = 0x01;
const SC_SERIALIZABLE = 0x02;
const SC_EXTERNALIZABLE = 0x04;
const SC_BLOCK_DATA = 0x08;

/** Bytes of a primitive field or array element, by type code. */
const PRIMITIVE_SIZES: Readonly<Record<string, number>> = { B: 1, C: 2, D: 8, F: 4, I: 4, J: 8, S: 2, Z: 1 };

interface ClassDesc {
  name: string;
  flags: number;
  /** Type codes of the serialized fields, in stream order. */
  fields: string[];
  superDesc: ClassDesc | null;
}

/** Thrown out of the recursive descent: the data ran out, or the bytes are not a stream. */
class Stop {
  constructor(readonly cut: boolean) {}
}

class StreamReader {
  private readonly handles: (ClassDesc | null)[] = [];
  private depth = 0;

  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
    private readonly limit: number,
    private readonly avail: number,
  ) {}

  /** Claims `n` bytes at pos: past the data is a cut, past the limit (with data there) is a refusal. */
  private take(n: number): number {
    const at = this.pos;
    if (n < 0 || at + n > Math.min(this.limit, this.avail)) throw new Stop(at + n > this.avail && this.avail < this.limit);
    this.pos += n;
    return at;
  }

  private u8(): number {
    return this.bytes[this.take(1)]!;
  }

  private u16(): number {
    const at = this.take(2);
    return (this.bytes[at]! << 8) | this.bytes[at + 1]!;
  }

  private u32(): number {
    const at = this.take(4);
    return ((this.bytes[at]! << 24) | (this.bytes[at + 1]! << 16) | (this.bytes[at + 2]! << 8) | this.bytes[at + 3]!) >>> 0;
  }

  private utf(): string {
    const at = this.take(this.u16());
    return String.fromCharCode(...this.bytes.subarray(at, this.pos));
  }

  private newHandle(desc: ClassDesc | null): void {
    this.handles.push(desc);
  }

  private reference(): ClassDesc | null {
    const index = this.u32() - BASE_HANDLE;
    if (index < 0 || index >= this.handles.length) throw new Stop(false);
    return this.handles[index]!;
  }

  stream(): void {
    if (this.u16() !== STREAM_MAGIC || this.u16() !== STREAM_VERSION) throw new Stop(false);
    this.content();
  }

  private content(): void {
    if (++this.depth > MAX_DEPTH) throw new Stop(false);
    const tag = this.u8();
    switch (tag) {
      case TC.NULL:
        break;
      case TC.REFERENCE:
        this.reference();
        break;
      case TC.CLASSDESC:
      case TC.PROXYCLASSDESC:
        this.pos--;
        this.classDesc();
        break;
      case TC.OBJECT: {
        const desc = this.classDesc();
        if (!desc) throw new Stop(false);
        this.newHandle(null);
        this.classData(desc);
        break;
      }
      case TC.STRING:
        this.newHandle(null);
        this.take(this.u16());
        break;
      case TC.LONGSTRING: {
        this.newHandle(null);
        const high = this.u32();
        if (high !== 0) throw new Stop(false);
        this.take(this.u32());
        break;
      }
      case TC.ARRAY:
        this.array();
        break;
      case TC.CLASS:
        this.classDesc();
        this.newHandle(null);
        break;
      case TC.ENUM:
        this.classDesc();
        this.newHandle(null);
        this.content();
        break;
      default:
        throw new Stop(false);
    }
    this.depth--;
  }

  private array(): void {
    const desc = this.classDesc();
    if (!desc || !desc.name.startsWith('[')) throw new Stop(false);
    this.newHandle(null);
    const size = this.u32();
    const element = PRIMITIVE_SIZES[desc.name[1] ?? ''];
    if (element !== undefined && desc.name.length === 2) {
      this.take(size * element);
      return;
    }
    // Each element takes at least one byte, so a bogus size runs into the limit and stops.
    for (let i = 0; i < size; i++) this.content();
  }

  private classDesc(): ClassDesc | null {
    const tag = this.u8();
    if (tag === TC.NULL) return null;
    if (tag === TC.REFERENCE) {
      const desc = this.reference();
      if (!desc) throw new Stop(false);
      return desc;
    }
    if (tag === TC.PROXYCLASSDESC) {
      const desc: ClassDesc = { name: '', flags: SC_SERIALIZABLE, fields: [], superDesc: null };
      this.newHandle(desc);
      const interfaces = this.u32();
      for (let i = 0; i < interfaces; i++) this.utf();
      this.annotation();
      desc.superDesc = this.classDesc();
      return desc;
    }
    if (tag !== TC.CLASSDESC) throw new Stop(false);
    const name = this.utf();
    this.take(8); // serialVersionUID
    const desc: ClassDesc = { name, flags: 0, fields: [], superDesc: null };
    this.newHandle(desc);
    desc.flags = this.u8();
    const count = this.u16();
    for (let i = 0; i < count; i++) {
      const type = String.fromCharCode(this.u8());
      this.utf();
      if (type === 'L' || type === '[') this.content(); // the field's class name (a string or a reference)
      else if (PRIMITIVE_SIZES[type] === undefined) throw new Stop(false);
      desc.fields.push(type);
    }
    this.annotation();
    desc.superDesc = this.classDesc();
    return desc;
  }

  /** Class or object annotation: contents and block data up to TC_ENDBLOCKDATA. */
  private annotation(): void {
    for (;;) {
      const tag = this.bytes[this.take(1)]!;
      if (tag === TC.ENDBLOCKDATA) return;
      if (tag === TC.BLOCKDATA) this.take(this.u8());
      else if (tag === TC.BLOCKDATALONG) this.take(this.u32());
      else {
        this.pos--;
        this.content();
      }
    }
  }

  /** Field values of each class of the object, from the topmost superclass down. */
  private classData(desc: ClassDesc): void {
    const chain: ClassDesc[] = [];
    for (let d: ClassDesc | null = desc; d; d = d.superDesc) {
      if (chain.length > MAX_DEPTH) throw new Stop(false);
      chain.unshift(d);
    }
    for (const d of chain) {
      if (d.flags & SC_EXTERNALIZABLE) {
        if (!(d.flags & SC_BLOCK_DATA)) throw new Stop(false);
        this.annotation();
        continue;
      }
      if (!(d.flags & SC_SERIALIZABLE)) continue;
      for (const type of d.fields) {
        const size = PRIMITIVE_SIZES[type];
        if (size !== undefined) this.take(size);
        else this.content();
      }
      if (d.flags & SC_WRITE_METHOD) this.annotation();
    }
  }
}

/**
 * The end of the serialization stream starting at `at`: 'cut' if the data (available up to `avail`)
 * ends inside it, null if the bytes are not a stream or it would run past `limit`.
 */
export function serializedStreamEnd(bytes: Uint8Array, at: number, limit: number, avail: number): number | 'cut' | null {
  const reader = new StreamReader(bytes, at, limit, avail);
  try {
    reader.stream();
    return reader.pos;
  } catch (e) {
    if (e instanceof Stop) return e.cut ? 'cut' : null;
    throw e;
  }
}
