/**
 * Detector `base64-der` (rule T2): a headerless PEM body, i.e. the base64 of a private key's DER with
 * no armour (environment variables, JSON configs, registry values), wrapped or not, with real or
 * escaped line breaks, in ASCII or UTF-16LE.
 *
 * Each anchor is the stretch of base64 that every key of one DER layout shares, whatever its size,
 * and sits a fixed number of chars after the start of the run. A hit is kept only if the run starts
 * exactly there and its decoded bytes classify as a private-key structure.
 */
import type { AnchorHit } from '../anchors.ts';
import { lineBreakAt, parseWidening, readTextRun, unescapeView, type TextView } from '../text/text-view.ts';
import type { Finding } from '../types.ts';
import { MAX_MATCH_BYTES, type ScanWindow } from '../window.ts';
import { classifyKeyDer, decodeBase64, derSequenceLength, isBase64Char } from './der-key-info.ts';
import type { Detector } from './detector.ts';

interface DerAnchor {
  /** The fixed base64 chars. */
  text: string;
  /** Where they sit, in chars from the start of the run. */
  offset: number;
}

/**
 * `LL` = length bytes, `x` = varies. Base64 turns each 3 bytes into 4 chars, so an anchor is the
 * run of chars that only fixed bytes feed; the chars before it (the outer length) vary with key size.
 */
const DER_ANCHORS: readonly DerAnchor[] = [
  // PKCS#1 RSAPrivateKey (and OpenSSL's DSAPrivateKey): 30 82 LL LL 02 01 00 02 8x
  // → `MII` x x [AQgw] `IBAAK`; RSA-1024 continues `B` (02 81), RSA-2048 and up `C` (02 82).
  { text: 'IBAAK', offset: 6 },
  // PKCS#8 RSA: 30 82 LL LL 02 01 00 30 0D 06 09 <rsaEncryption 2A864886F70D010101> 05 00 04 82
  { text: 'IBADANBgkqhkiG9w0BAQEFAASC', offset: 6 },
  // PKCS#8 EC (P-256, P-384, P-521, secp256k1 with the public key):
  // 30 81 LL 02 01 00 30 1x 06 07 <ecPublicKey 2A8648CE3D0201> 06 → `MIG`/`MIH` x `AgEAMB` x `GByqGSM49AgEG`
  { text: 'GByqGSM49AgEG', offset: 11 },
  // PKCS#8 EC without the public key (Java's encoding): 30 LL 02 01 00 30 1x 06 07 <ecPublicKey>
  // → `M` x x `CAQAwE` x `YHKoZIzj0CAQ`
  { text: 'YHKoZIzj0CAQ', offset: 10 },
  // SEC1 ECPrivateKey, short form (P-256 and secp256k1, or any curve without the public key):
  // 30 LL 02 01 01 04 → `M` x `CAQEE`
  { text: 'CAQEE', offset: 3 },
  // SEC1 ECPrivateKey, long form (P-384, P-521): 30 81 LL 02 01 01 04 → `MI` x x `AgEBB`
  { text: 'AgEBB', offset: 4 },
  // PKCS#8 Ed25519, X25519, Ed448, X448 (v0 and v1): 30 LL 02 01 0x 30 05 06 03 2B 65 xx
  // → `M` x x `CAQ` x `wBQYDK2V` (`w` Ed25519, `u` X25519, `x` Ed448, `v` X448)
  { text: 'wBQYDK2V', offset: 7 },
  // Encrypted PKCS#8, PBES2, long form: 30 82 LL LL 30 LL 06 09 <PBES2 2A864886F70D01050D> 30
  { text: 'BgkqhkiG9w0BBQ0w', offset: 8 },
  // Encrypted PKCS#8, PBES2, short form (small keys: EC P-256, Ed25519): 30 81 LL 30 LL 06 09 <PBES2> 30
  { text: 'CSqGSIb3DQEFDT', offset: 8 },
  // PKCS#12 PFX: 30 82 LL LL 02 01 03 30 82 → `MII` x x [AQgw] `IBAzCC`
  { text: 'IBAzCC', offset: 6 },
];

/** Chars read before the anchor beyond the fixed prefix: room to see what precedes the run. */
const LOOK_BEFORE = 16;

/** A DER outer header is at most 5 bytes (30 83 LL LL LL): 8 base64 chars decode 6. */
const HEADER_CHARS = 8;

/** The base64 run from `start`: chars to decode, where it ends, and whether it reached the view's end. */
function base64Run(text: string, start: number, totalBytes: number): { base64: string; end: number; hitEdge: boolean } {
  const needChars = Math.ceil((totalBytes * 4) / 3);
  const parts: string[] = [];
  let count = 0;
  let i = start;
  for (;;) {
    let j = i;
    while (j < text.length && isBase64Char(text.charCodeAt(j))) j++;
    parts.push(text.slice(i, j));
    count += j - i;
    let pad = j;
    while (pad < text.length && pad - j < 2 && text[pad] === '=') pad++;
    if (pad > j) return { base64: parts.join(''), end: pad, hitEdge: false };
    // One line break continues the run until the key is complete; a blank line or other text ends it.
    const brk = lineBreakAt(text, j);
    const next = j + brk;
    if (brk === 0 || count >= needChars || !isBase64Char(text.charCodeAt(next))) {
      return { base64: parts.join(''), end: j, hitEdge: count < needChars && next >= text.length };
    }
    i = next;
  }
}

/**
 * Where the run starts if the anchor sits exactly `offset` base64 chars into it: those chars must
 * all be base64. What precedes them does not matter: a freed buffer's key text often follows
 * leftover bytes that happen to be base64 characters, and the DER parse decides.
 */
function runStart(view: TextView, offset: number): number | null {
  const { text, origin } = view;
  const start = origin - offset;
  if (start < 0) return null;
  for (let i = start; i < origin; i++) if (!isBase64Char(text.charCodeAt(i))) return null;
  return start;
}

function scan(win: ScanWindow, view: TextView, offset: number): { value: Finding[]; ranOut: boolean } {
  const none = { value: [], ranOut: false };
  const { text } = view;
  const start = runStart(view, offset);
  if (start === null) return none;
  const header = decodeBase64(text.slice(start, start + HEADER_CHARS));
  const total = header && derSequenceLength(header);
  if (!total) return none;
  const run = base64Run(text, start, total);
  const der = decodeBase64(run.base64);
  const kind = der && classifyKeyDer(der);
  const ranOut = run.hitEdge && view.openAfter;
  if (!der || !kind) return { value: [], ranOut };
  const from = view.byteAt(start);
  const finding: Finding = {
    offset: win.base + from,
    length: view.byteAt(run.end) - from,
    kind,
    detector: 'base64-der',
    confidence: der.length >= total ? 'high' : 'medium',
    encoding: view.step === 2 ? 'base64-der-utf16le' : 'base64-der',
  };
  return { value: [finding], ranOut };
}

export const base64Der: Detector = {
  id: 'base64-der',
  anchors: DER_ANCHORS.map((a) => a.text),
  detect(win: ScanWindow, hit: AnchorHit, anchor: number): Finding[] {
    const { offset } = DER_ANCHORS[anchor]!;
    const back = offset + LOOK_BEFORE;
    const read = (limit: number) => unescapeView(readTextRun(win.bytes, hit.pos, hit.wide, back, limit));
    // Reject an anchor without the fixed prefix chars before reading the whole run.
    if (runStart(read(1), offset) === null) return [];
    const reach = Math.floor(MAX_MATCH_BYTES / (hit.wide ? 2 : 1)) - back;
    return parseWidening(read, reach, (view) => scan(win, view, offset));
  },
};
