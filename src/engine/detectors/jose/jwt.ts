/**
 * Detector `jwt` (rule T13): JOSE compact tokens — JWS (signed JWTs, `alg: none` included) and JWE —
 * in ASCII or UTF-16LE. A token is a bearer credential and its payload is personal data, so the
 * whole token is zeroed: high when every segment is there (header and payload JSON, a signature of
 * the algorithm's size), medium when it is cut short. For an HS256/HS384/HS512 token the key is
 * searched for around it (hmac-key-search.ts) and, when proven, zeroed and swept too.
 */
import type { AnchorHit } from '../../anchors.ts';
import { toHex } from '../../crypto/bigint.ts';
import { symmetricKeyFingerprint } from '../../crypto/fingerprint.ts';
import type { SecretMaterial } from '../../sweep/secret.ts';
import { parseWidening, readTextRun, type TextView } from '../../text/text-view.ts';
import type { Finding } from '../../types.ts';
import { MAX_MATCH_BYTES, type ScanWindow } from '../../window.ts';
import { reachAround } from '../binary/reach.ts';
import type { Detector } from '../detector.ts';
import { readCompactToken, type CompactToken } from './compact-token.ts';
import { isHmacAlg, searchHmacKey } from './hmac-key-search.ts';

/**
 * base64url of a JSON object's first bytes: `{"` (every compact serialiser), `{ "` and `{\n ` (a
 * pretty-printed header, as Microsoft's scanners also accept).
 */
const ANCHORS = ['eyJ', 'eyAi', 'ewog'];

/** Only base64url segments, dots and padding: the chars a token's text run can end on. */
const TOKEN_CHARS = /^[A-Za-z0-9_\-.=]*$/;

/** What one window learnt about HMAC keys, so copies of a token and tokens sharing a key cost less. */
interface WindowKeys {
  known: Uint8Array[];
  /** Per token (signing input and signature): the candidate values already tried. */
  tried: Map<string, Set<string>>;
}

const windowKeys = new WeakMap<ScanWindow, WindowKeys>();

function keysOf(win: ScanWindow): WindowKeys {
  let keys = windowKeys.get(win);
  if (!keys) windowKeys.set(win, (keys = { known: [], tried: new Map() }));
  return keys;
}

function readToken(win: ScanWindow, hit: AnchorHit): { token: CompactToken; view: TextView } | null {
  const reach = Math.floor(MAX_MATCH_BYTES / (hit.wide ? 2 : 1));
  const read = (limit: number) => readTextRun(win.bytes, hit.pos, hit.wide, 0, limit);
  return parseWidening(read, reach, (view) => {
    const token = readCompactToken(view.text);
    const ranOut = view.openAfter && (token ? token.atEdge : TOKEN_CHARS.test(view.text));
    return { value: token && { token, view }, ranOut };
  });
}

/** Findings for the HMAC key of a complete HS* token, if it is proven in the token's neighbourhood. */
function hmacKeyFindings(win: ScanWindow, token: CompactToken, start: number, end: number): Finding[] {
  const { alg, signingInput, signature } = token;
  if (!isHmacAlg(alg) || signingInput === undefined || signature === undefined) return [];
  const keys = keysOf(win);
  const id = `${signingInput}.${toHex(signature)}`;
  let tried = keys.tried.get(id);
  if (!tried) keys.tried.set(id, (tried = new Set()));
  const target = { alg, signingInput: Uint8Array.from(signingInput, (c) => c.charCodeAt(0)), signature };
  const result = searchHmacKey(win.bytes, { start, end }, reachAround(win, start), target, {
    base: win.base,
    knownKeys: keys.known,
    tried,
  });
  const key = result.key;
  if (key === null) return [];
  if (!keys.known.includes(key)) keys.known.push(key);
  return result.locations.map((at) => {
    const secret: SecretMaterial = at.text
      ? { kind: 'text-secret', text: String.fromCharCode(...key) }
      : { kind: 'symmetric-key', key };
    const finding: Finding = {
      offset: win.base + at.start,
      length: at.end - at.start,
      kind: 'hmac-key',
      detector: 'jwt',
      confidence: 'high',
      encoding: at.encoding,
      secret,
    };
    // A passphrase's hash would let anyone test guesses against the manifest: random keys only.
    if (!at.text) finding.fingerprint = symmetricKeyFingerprint(key);
    return finding;
  });
}

export const jwt: Detector = {
  id: 'jwt',
  anchors: ANCHORS,
  detect(win: ScanWindow, hit: AnchorHit): Finding[] {
    const read = readToken(win, hit);
    if (!read) return [];
    const { token, view } = read;
    const end = view.byteAt(token.end);
    const text = view.text.slice(0, token.end);
    const finding: Finding = {
      offset: win.base + hit.pos,
      length: end - hit.pos,
      kind: token.type === 'jwe' ? 'jwe' : 'jwt',
      detector: 'jwt',
      confidence: token.complete ? 'high' : 'medium',
      encoding: hit.wide ? 'ascii-utf16le' : 'ascii',
    };
    if (!token.complete) return [finding];
    finding.secret = { kind: 'text-secret', text };
    return [finding, ...hmacKeyFindings(win, token, hit.pos, end)];
  },
};
