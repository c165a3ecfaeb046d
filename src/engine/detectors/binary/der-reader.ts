/**
 * Bounded DER reading over raw memory for the binary key detectors. Unlike der-key-info.ts (which
 * classifies a decoded buffer from its start), this reads at arbitrary indices of a window, tells
 * "the bytes are wrong" from "the bytes ran out", and enforces DER's minimal-length rule, which keeps
 * chance matches in random memory rare.
 */

export interface Tlv {
  tag: number;
  /** Index of the tag byte. */
  start: number;
  contentStart: number;
  /** Declared end of the contents (may lie past the available bytes). */
  end: number;
}

/**
 * The TLV header at `at` inside a parent ending at `limit`, with data available up to `avail`.
 * 'cut' if the header itself is past `avail`; null if there is no valid header (high tag numbers,
 * indefinite or non-minimal lengths, lengths over 4 bytes) or its contents overrun the parent.
 */
export function readTlv(bytes: Uint8Array, at: number, limit: number, avail: number): Tlv | 'cut' | null {
  if (at >= limit) return null;
  if (at + 2 > avail) return 'cut';
  const tag = bytes[at]!;
  if ((tag & 0x1f) === 0x1f) return null;
  const first = bytes[at + 1]!;
  let length = first;
  let header = 2;
  if (first >= 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) return null;
    if (at + 2 + count > avail) return 'cut';
    if (bytes[at + 2] === 0) return null;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[at + 2 + i]!;
    if (count === 1 && length < 0x80) return null;
    header = 2 + count;
  }
  const end = at + header + length;
  return end > limit ? null : { tag, start: at, contentStart: at + header, end };
}

/** A DER TLV with the given tag whose header ends exactly at `contentStart`, starting at most 6 bytes before it. */
export function headersEndingAt(bytes: Uint8Array, contentStart: number, tag: number, lo: number): number[] {
  const starts: number[] = [];
  for (let s = contentStart - 2; s >= Math.max(lo, contentStart - 6); s--) {
    if (bytes[s] !== tag) continue;
    const t = readTlv(bytes, s, Number.MAX_SAFE_INTEGER, contentStart);
    if (t && t !== 'cut' && t.contentStart === contentStart) starts.push(s);
  }
  return starts;
}

/**
 * Sequential reader over the contents of one constructed TLV. `cut` records that a read failed
 * because data ran out (at `avail`), as opposed to the bytes not being what was expected.
 */
export class DerCursor {
  cut = false;
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    readonly end: number,
    readonly avail: number,
  ) {}

  static over(bytes: Uint8Array, tlv: Tlv, avail: number): DerCursor {
    return new DerCursor(bytes, tlv.contentStart, tlv.end, avail);
  }

  get done(): boolean {
    return this.pos === this.end;
  }

  /** The tag of the next TLV, or null if none is there (end of contents or out of data). */
  peekTag(): number | null {
    if (this.pos >= this.end) return null;
    if (this.pos >= this.avail) {
      this.cut = true;
      return null;
    }
    return this.bytes[this.pos]!;
  }

  /** The next TLV if its tag is `tag` and its header is available; moves past it. Contents may be cut. */
  open(tag: number): Tlv | null {
    const t = readTlv(this.bytes, this.pos, this.end, this.avail);
    if (t === 'cut') {
      this.cut = true;
      return null;
    }
    if (!t || t.tag !== tag) return null;
    this.pos = t.end;
    return t;
  }

  /** The next TLV if its tag is `tag` and its contents are all available; moves past it. */
  take(tag: number): Tlv | null {
    const before = this.pos;
    const t = this.open(tag);
    if (t && t.end > this.avail) {
      this.cut = true;
      this.pos = before;
      return null;
    }
    return t;
  }

  /**
   * The next INTEGER if it is a positive, minimally encoded value wholly available: the index range
   * of its magnitude (without the sign byte).
   */
  takeUnsigned(): [number, number] | null {
    const t = this.take(0x02);
    if (!t || t.end === t.contentStart) return null;
    const b = this.bytes;
    let from = t.contentStart;
    if (b[from]! & 0x80) return null;
    if (b[from] === 0 && t.end - from > 1) {
      if (!(b[from + 1]! & 0x80)) return null;
      from++;
    }
    return [from, t.end];
  }

  /** The next INTEGER if it is exactly the one-byte value `value`. */
  takeSmall(value: number): boolean {
    const before = this.pos;
    const t = this.take(0x02);
    if (t && t.end - t.contentStart === 1 && this.bytes[t.contentStart] === value) return true;
    if (t) this.pos = before;
    return false;
  }

  /** Hex of the next OID's contents, if the next TLV is a complete OID. */
  takeOid(): string | null {
    const t = this.take(0x06);
    if (!t || t.end === t.contentStart || t.end - t.contentStart > 32) return null;
    let hex = '';
    for (let i = t.contentStart; i < t.end; i++) hex += this.bytes[i]!.toString(16).padStart(2, '0');
    return hex;
  }
}

/** True if bytes[at, …) hold the OID TLV 06 LL <hex>. */
export function oidAt(bytes: Uint8Array, at: number, hex: string): boolean {
  const n = hex.length / 2;
  if (at < 0 || at + 2 + n > bytes.length || bytes[at] !== 0x06 || bytes[at + 1] !== n) return false;
  for (let i = 0; i < n; i++) if (bytes[at + 2 + i] !== parseInt(hex.slice(2 * i, 2 * i + 2), 16)) return false;
  return true;
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }, whole and nothing after. */
export function readAlgorithmIdentifier(bytes: Uint8Array, alg: Tlv, avail: number): { oid: string; params: Tlv | null } | null {
  const ac = DerCursor.over(bytes, alg, avail);
  const oid = ac.takeOid();
  if (!oid) return null;
  if (ac.done) return { oid, params: null };
  const tag = ac.peekTag();
  const params = tag === null ? null : ac.take(tag);
  return params && ac.done ? { oid, params } : null;
}
