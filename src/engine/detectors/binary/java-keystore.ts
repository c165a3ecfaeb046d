/**
 * Detector `java-keystore` (detectors.md S6): Java KeyStore files (JKS, `FE ED FE ED`, version 1 or
 * 2) and JCEKS (`CE CE CE CE`, version 2), as a JVM holds them after reading a store.
 *
 * Layout (big-endian): magic, u32 version, u32 count, `count` entries, then a 20-byte SHA-1 keyed by
 * the store password (so it cannot be checked here). Each entry: u32 tag, alias (u16 length +
 * modified UTF-8), u64 creation date in ms, then
 * - tag 1, private key: u32 length + EncryptedPrivateKeyInfo DER, u32 chain length, certificates;
 * - tag 2, trusted certificate: one certificate;
 * - tag 3, secret key (JCEKS only): a Java-serialized SealedObject (no length: parsed to its end).
 * A certificate is, from version 2 on, a type string (`X.509`) then u32 length + DER.
 *
 * The keys are encrypted, but a store is a credential (its password is often weak or sits nearby),
 * so the whole store is zeroed: magic through the last entry plus the trailer. Entries are read
 * until one does not parse, past the count if need be (a damaged count must not leave entries
 * behind), and the 20 bytes after the last one are zeroed as the trailer. A store cut by the end of
 * the data, or an entry damaged after its alias and date, is zeroed through what parsed (the
 * damaged entry's key bytes included when their size was read). Confidence: medium for a complete
 * store (entries as counted, then a trailer) or one where a key entry was reached; low otherwise.
 * The fingerprint is the SPKI of the first certificate of the store's private-key entry, if it has
 * exactly one key entry.
 */
import type { AnchorHit } from '../../anchors.ts';
import { spkiFingerprint } from '../../crypto/fingerprint.ts';
import type { Finding } from '../../types.ts';
import { MAX_MATCH_BYTES, type ScanWindow } from '../../window.ts';
import type { Detector } from '../detector.ts';
import { DerCursor, readAlgorithmIdentifier, readTlv } from './der-reader.ts';
import { serializedStreamEnd } from './java-serialization.ts';
import { findingAt, reachAround, u32be, type Reach } from './reach.ts';

const DETECTOR = 'java-keystore';
const MAX_ENTRIES = 10_000;
const MAX_CHAIN = 100;
const MAX_ALIAS_BYTES = 1023;
const MAX_CERT_TYPE_BYTES = 64;
const TRAILER_BYTES = 20;
/**
 * A JCEKS SealedObject holds one wrapped symmetric key and a few class and algorithm names: a few
 * hundred bytes. Parsing stops at the first bound; one that cannot be parsed is zeroed up to the second.
 */
const MAX_SEALED_OBJECT_BYTES = 16 * 1024;
const DAMAGED_SEALED_OBJECT_BYTES = 1024;
/** Creation dates from 1995 (Java's first release) to 2100, in ms. */
const EARLIEST_DATE = Date.UTC(1995, 0, 1);
const LATEST_DATE = Date.UTC(2100, 0, 1);

type StoreType = 'jks' | 'jceks';

const TAG_PRIVATE_KEY = 1;
const TAG_TRUSTED_CERT = 2;
const TAG_SECRET_KEY = 3;

/** How far one field parsed: its end, 'cut' when the data ends inside it, null when it is wrong. */
type FieldEnd = number | 'cut' | null;

const u16be = (bytes: Uint8Array, at: number) => (bytes[at]! << 8) | bytes[at + 1]!;

/** True if bytes[from, to) are modified UTF-8 (Java's DataOutput.writeUTF): no NUL, no 4-byte forms. */
function isModifiedUtf8(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; ) {
    const b = bytes[i]!;
    const extra = b >= 0x01 && b < 0x80 ? 0 : (b & 0xe0) === 0xc0 ? 1 : (b & 0xf0) === 0xe0 ? 2 : -1;
    if (extra < 0 || i + extra >= to) return false;
    for (let k = 1; k <= extra; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return false;
    i += extra + 1;
  }
  return true;
}

/** A writeUTF string of 1..max bytes at `at` passing `valid`. */
function utfString(bytes: Uint8Array, at: number, hi: number, max: number, valid: (from: number, to: number) => boolean): FieldEnd {
  if (at + 2 > hi) return 'cut';
  const length = u16be(bytes, at);
  if (length < 1 || length > max) return null;
  const end = at + 2 + length;
  if (end > hi) return 'cut';
  return valid(at + 2, end) ? end : null;
}

/** u32 length + that many bytes, which must be one DER TLV accepted by `valid` filling them exactly. */
function sizedDer(bytes: Uint8Array, at: number, hi: number, valid: (start: number, end: number) => boolean): { end: FieldEnd; sized: number | null } {
  if (at + 4 > hi) return { end: 'cut', sized: null };
  const length = u32be(bytes, at);
  const start = at + 4;
  const end = start + length;
  if (length < 2 || length > MAX_MATCH_BYTES) return { end: null, sized: null };
  if (end > hi) return { end: 'cut', sized: end };
  const tlv = readTlv(bytes, start, end, end);
  const ok = tlv !== null && tlv !== 'cut' && tlv.tag === 0x30 && tlv.end === end && valid(start, end);
  return { end: ok ? end : null, sized: end };
}

/** EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING }. */
function isEncryptedPrivateKeyInfo(bytes: Uint8Array, start: number, end: number): boolean {
  const outer = readTlv(bytes, start, end, end);
  if (!outer || outer === 'cut') return false;
  const c = DerCursor.over(bytes, outer, end);
  const alg = c.take(0x30);
  return alg !== null && readAlgorithmIdentifier(bytes, alg, end) !== null && c.take(0x04) !== null && c.done;
}

/** The SubjectPublicKeyInfo of an X.509 certificate, as an index range, if it parses. */
function certificateSpki(bytes: Uint8Array, start: number, end: number): [number, number] | null {
  const cert = readTlv(bytes, start, end, end);
  if (!cert || cert === 'cut') return null;
  const tbs = DerCursor.over(bytes, cert, end).take(0x30);
  if (!tbs) return null;
  const c = DerCursor.over(bytes, tbs, end);
  if (c.peekTag() === 0xa0) c.take(0xa0);
  // serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
  if (!c.take(0x02) || !c.take(0x30) || !c.take(0x30) || !c.take(0x30) || !c.take(0x30)) return null;
  const spki = c.take(0x30);
  return spki ? [spki.start, spki.end] : null;
}

interface Entry {
  /** End of what parsed (the whole entry when `state` is 'whole'). */
  end: number;
  state: 'whole' | 'cut' | 'damaged';
  /** A private or secret key entry whose key bytes were reached. */
  key: boolean;
  /** Index range of the first certificate's DER (private-key entries). */
  firstCert?: [number, number];
}

class StoreParser {
  constructor(
    readonly bytes: Uint8Array,
    readonly hi: number,
    readonly type: StoreType,
    readonly version: number,
  ) {}

  /** One certificate: type string (version 2), u32 length, DER. */
  certificate(at: number): { end: FieldEnd; sized: number | null; der?: [number, number] } {
    const { bytes, hi } = this;
    let from = at;
    if (this.version === 2) {
      const typeEnd = utfString(bytes, at, hi, MAX_CERT_TYPE_BYTES, (f, t) => bytes.subarray(f, t).every((b) => b > 0x20 && b < 0x7f));
      if (typeof typeEnd !== 'number') return { end: typeEnd, sized: null };
      from = typeEnd;
    }
    const der = sizedDer(bytes, from, hi, () => true);
    return typeof der.end === 'number' ? { ...der, der: [from + 4, der.end] } : der;
  }

  entry(at: number): Entry | null {
    const { bytes, hi } = this;
    if (at + 4 > hi) return { end: hi, state: 'cut', key: false };
    const tag = u32be(bytes, at);
    if (tag !== TAG_PRIVATE_KEY && tag !== TAG_TRUSTED_CERT && !(tag === TAG_SECRET_KEY && this.type === 'jceks')) return null;
    const aliasEnd = utfString(bytes, at + 4, hi, MAX_ALIAS_BYTES, (f, t) => isModifiedUtf8(bytes, f, t));
    if (aliasEnd === null) return null;
    if (aliasEnd === 'cut' || aliasEnd + 8 > hi) return { end: hi, state: 'cut', key: false };
    const date = u32be(bytes, aliasEnd) * 2 ** 32 + u32be(bytes, aliasEnd + 4);
    if (date < EARLIEST_DATE || date >= LATEST_DATE) return null;
    const body = aliasEnd + 8;
    if (tag === TAG_TRUSTED_CERT) return this.settle(this.certificate(body), body, false);
    if (tag === TAG_SECRET_KEY) {
      const end = serializedStreamEnd(bytes, body, body + MAX_SEALED_OBJECT_BYTES, hi);
      // An object that cannot be delimited: zero as far as such an object can reach.
      if (end === null) return { end: Math.min(hi, body + DAMAGED_SEALED_OBJECT_BYTES), state: 'damaged', key: true };
      return end === 'cut' ? { end: hi, state: 'cut', key: true } : { end, state: 'whole', key: true };
    }
    const protectedKey = sizedDer(bytes, body, hi, (s, e) => isEncryptedPrivateKeyInfo(bytes, s, e));
    if (typeof protectedKey.end !== 'number') return this.settle(protectedKey, body, true);
    let next = protectedKey.end;
    if (next + 4 > hi) return { end: hi, state: 'cut', key: true };
    const chain = u32be(bytes, next);
    if (chain > MAX_CHAIN) return { end: next, state: 'damaged', key: true };
    next += 4;
    let firstCert: [number, number] | undefined;
    for (let i = 0; i < chain; i++) {
      const cert = this.certificate(next);
      if (typeof cert.end !== 'number') return this.settle(cert, next, true);
      firstCert ??= cert.der;
      next = cert.end;
    }
    return firstCert ? { end: next, state: 'whole', key: true, firstCert } : { end: next, state: 'whole', key: true };
  }

  /**
   * An entry whose last field ended at `field` (or failed there): cut by the data, damaged (its
   * declared bytes kept when their size was known, as they likely hold the key anyway), or whole.
   */
  private settle(field: { end: FieldEnd; sized: number | null }, start: number, key: boolean): Entry {
    if (field.end === 'cut') return { end: this.hi, state: 'cut', key };
    if (field.end === null) return { end: field.sized !== null && field.sized <= this.hi ? field.sized : start, state: 'damaged', key };
    return { end: field.end, state: 'whole', key };
  }
}

function keystore(reach: Reach, pos: number, type: StoreType): Finding | null {
  const { bytes, hi } = reach;
  if (pos + 12 > hi) return null;
  const version = u32be(bytes, pos + 4);
  const count = u32be(bytes, pos + 8);
  if ((type === 'jks' ? version !== 1 && version !== 2 : version !== 2) || count > MAX_ENTRIES) return null;
  const parser = new StoreParser(bytes, hi, type, version);
  let at = pos + 12;
  let entries = 0;
  let keyReached = false;
  let trailerFollows = false;
  const keyCerts: ([number, number] | undefined)[] = [];
  let end: number;
  // Entries are read until one does not parse, past the count if need be: a damaged count must not
  // leave entries behind.
  for (;;) {
    const entry = entries < MAX_ENTRIES ? parser.entry(at) : null;
    if (!entry) {
      // Not even a first entry after a magic number and two small words: not a store.
      if (entries === 0 && count > 0) return null;
      // The integrity trailer after the last entry lets a password be tested offline: zeroed too.
      end = Math.min(at + TRAILER_BYTES, hi);
      trailerFollows = true;
      break;
    }
    keyReached ||= entry.key;
    if (entry.state !== 'whole') {
      end = entry.end;
      break;
    }
    if (entry.key) keyCerts.push(entry.firstCert);
    entries++;
    at = entry.end;
  }
  const complete = trailerFollows && entries === count;
  const cert = keyCerts.length === 1 ? keyCerts[0] : undefined;
  const spki = cert ? certificateSpki(bytes, ...cert) : null;
  return findingAt(reach, pos, end, {
    kind: 'java-keystore',
    detector: DETECTOR,
    confidence: complete || keyReached ? 'medium' : 'low',
    encoding: type,
    fingerprint: spki ? spkiFingerprint(bytes.subarray(...spki)) : undefined,
  });
}

const ANCHORS: readonly [string, StoreType][] = [
  ['\xfe\xed\xfe\xed', 'jks'],
  ['\xce\xce\xce\xce', 'jceks'],
];

export const javaKeystore: Detector = {
  id: DETECTOR,
  anchors: [],
  rawAnchors: ANCHORS.map(([magic]) => magic),
  detect(win: ScanWindow, hit: AnchorHit, anchor: number): Finding[] {
    const finding = keystore(reachAround(win, hit.pos), hit.pos, ANCHORS[anchor]![1]);
    return finding ? [finding] : [];
  },
};
