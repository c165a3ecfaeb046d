/**
 * Harvesters of RSA public keys stored as text, in ASCII or UTF-16LE and inside JSON/C string
 * escapes (text-view): PEM certificates, CSRs and public keys; JWK `"kty":"RSA"` objects; OpenSSH
 * `ssh-rsa` public keys, binary (`00 00 00 07 ssh-rsa`) and base64 (`AAAAB3NzaC1yc2E`).
 */
import type { AnchorHit } from '../anchors.ts';
import { bigFromBE } from '../crypto/bigint.ts';
import { sshString } from '../detectors/binary/openssh-binary.ts';
import { reachAround } from '../detectors/binary/reach.ts';
import { BASE64_LINE, decodeBase64, isBase64Char } from '../detectors/der-key-info.ts';
import { lineBreakAt, lineEnd, parseWidening, readTextRun, unescapeView, type TextView } from '../text/text-view.ts';
import { MAX_MATCH_BYTES, type ScanWindow } from '../window.ts';
import type { Harvester, RsaPublicKey } from './public-key.ts';
import { rsaKeysInDer, rsaPublicKey } from './rsa-public-der.ts';

/** The text from the anchor on, escapes decoded, at most `limit` chars. */
function textFrom(win: ScanWindow, hit: AnchorHit, back: number, limit: number): TextView {
  return unescapeView(readTextRun(win.bytes, hit.pos, hit.wide, back, limit));
}

/** Chars the harvesters may read from an anchor: as far as a detector may reach. */
const reachChars = (hit: AnchorHit) => Math.floor(MAX_MATCH_BYTES / (hit.wide ? 2 : 1));

// ---------------------------------------------------------------- PEM

const PEM_LABELS: Record<string, string> = {
  CERTIFICATE: 'x509',
  'X509 CERTIFICATE': 'x509',
  'TRUSTED CERTIFICATE': 'x509',
  'CERTIFICATE REQUEST': 'csr',
  'NEW CERTIFICATE REQUEST': 'csr',
  'PUBLIC KEY': 'spki',
  'RSA PUBLIC KEY': 'pkcs1',
};

/** The base64 body of the block whose BEGIN line starts `text` (at `BEGIN `), up to its END line. */
function pemBlock(text: string): { label: string; base64: string; ranOut: boolean } | null {
  const close = text.indexOf('-----', 6);
  const label = close < 0 ? '' : text.slice(6, close);
  if (!(label in PEM_LABELS)) return null;
  let base64 = '';
  for (let i = close + 5; ; ) {
    const e = lineEnd(text, i);
    const line = text.slice(i, e).trim();
    if (line.startsWith('-----END ')) return { label, base64, ranOut: false };
    if (line !== '' && !BASE64_LINE.test(line)) return { label, base64, ranOut: false };
    base64 += line;
    const brk = lineBreakAt(text, e);
    if (brk === 0) return { label, base64, ranOut: e === text.length };
    i = e + brk;
  }
}

export const pemPublicHarvester: Harvester = {
  id: 'pem-public',
  anchors: ['BEGIN CERTIFICATE', 'BEGIN X509 CERTIFICATE', 'BEGIN TRUSTED CERTIFICATE', 'BEGIN NEW CERTIFICATE REQUEST', 'BEGIN PUBLIC KEY', 'BEGIN RSA PUBLIC KEY'],
  harvest(win: ScanWindow, hit: AnchorHit): RsaPublicKey[] {
    const block = parseWidening(
      (limit) => textFrom(win, hit, 0, limit),
      reachChars(hit),
      (view) => {
        const value = pemBlock(view.text);
        return { value, ranOut: (value?.ranOut ?? false) && view.openAfter };
      },
    );
    const der = block && decodeBase64(block.base64);
    return der ? rsaKeysInDer(der, PEM_LABELS[block.label]!) : [];
  },
};

// ---------------------------------------------------------------- JWK

/** Chars read before `"kty` for the object's opening brace, and after it for the rest. */
const JWK_BACK = 4096;
const JWK_FORWARD = 16 * 1024;

/** Index just past the `}` closing the object that opens at `start`, or -1 (JSON strings respected). */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

const base64url = (s: unknown) => (typeof s === 'string' && /^[A-Za-z0-9_-]+$/.test(s) ? decodeBase64(s.replace(/-/g, '+').replace(/_/g, '/')) : null);

export const jwkPublicHarvester: Harvester = {
  id: 'jwk-public',
  // `"kty` also matches inside an escaped JSON string (`\"kty\"`), which text-view decodes.
  anchors: ['"kty'],
  harvest(win: ScanWindow, hit: AnchorHit): RsaPublicKey[] {
    const view = textFrom(win, hit, JWK_BACK, JWK_FORWARD);
    const start = view.text.lastIndexOf('{', view.origin);
    const end = start < 0 ? -1 : objectEnd(view.text, start);
    if (end < 0) return [];
    let jwk: Record<string, unknown>;
    try {
      jwk = JSON.parse(view.text.slice(start, end)) as Record<string, unknown>;
    } catch {
      return [];
    }
    if (jwk === null || jwk.kty !== 'RSA') return [];
    const n = base64url(jwk.n);
    const e = base64url(jwk.e);
    const key = n && e && n.length > 0 && e.length > 0 ? rsaPublicKey(bigFromBE(n), bigFromBE(e), 'jwk') : null;
    return key ? [key] : [];
  },
};

// ---------------------------------------------------------------- OpenSSH

/**
 * The key type string's length (u32 BE 7) and text. The anchor leaves out the length's three zero
 * bytes, checked at a hit: an anchor starting with zeros matches every zero page in the prefilter.
 */
const SSH_RSA = '\x07ssh-rsa';
const SSH_LENGTH_ZEROS = 3;
/** Bytes of the largest mpint we accept (a 16384-bit modulus and its sign byte). */
const MAX_MPINT = 16384 / 8 + 1;
/** Base64 chars of the largest ssh-rsa public key blob. */
const MAX_SSH_BASE64 = 4 * Math.ceil((11 + 4 + 9 + 4 + MAX_MPINT) / 3);

/** An SSH mpint as an unsigned value, or null if negative, cut or too long. */
function mpint(bytes: Uint8Array, at: number, hi: number): { value: bigint; end: number } | null {
  const s = sshString(bytes, at, hi, hi, MAX_MPINT);
  if (!Array.isArray(s) || s[1] === s[0] || bytes[s[0]]! & 0x80) return null;
  return { value: bigFromBE(bytes, s[0], s[1]), end: s[1] };
}

/** The ssh-rsa public key blob at `pos`: string "ssh-rsa", mpint e, mpint n. */
function sshRsaAt(bytes: Uint8Array, pos: number, hi: number): RsaPublicKey | null {
  const e = mpint(bytes, pos + SSH_LENGTH_ZEROS + SSH_RSA.length, hi);
  const n = e && mpint(bytes, e.end, hi);
  return n && rsaPublicKey(n.value, e.value, 'ssh-rsa');
}

export const sshPublicHarvester: Harvester = {
  id: 'ssh-rsa-public',
  // base64 of `00 00 00 07 ssh-rsa` at the start of a key blob (authorized_keys, known_hosts).
  anchors: ['AAAAB3NzaC1yc2E'],
  rawAnchors: [SSH_RSA],
  harvest(win: ScanWindow, hit: AnchorHit, anchor: number): RsaPublicKey[] {
    if (anchor === 1) {
      const { bytes, lo, hi } = reachAround(win, hit.pos);
      const start = hit.pos - SSH_LENGTH_ZEROS;
      const key = start >= lo && bytes[start] === 0 && bytes[start + 1] === 0 && bytes[start + 2] === 0 ? sshRsaAt(bytes, start, hi) : null;
      return key ? [key] : [];
    }
    const { text } = textFrom(win, hit, 0, MAX_SSH_BASE64);
    let end = 0;
    while (end < text.length && isBase64Char(text.charCodeAt(end))) end++;
    const blob = decodeBase64(text.slice(0, end));
    const key = blob && sshRsaAt(blob, 0, blob.length);
    return key ? [key] : [];
  },
};
