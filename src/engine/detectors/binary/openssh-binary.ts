/**
 * Detector `openssh-binary` (detectors.md S7): the binary `openssh-key-v1` private-key format (the
 * decoded body of `-----BEGIN OPENSSH PRIVATE KEY-----`), as ssh, ssh-add, ssh-keygen and git hold it
 * after reading a key file.
 *
 * Layout (big-endian u32 lengths): magic `openssh-key-v1\0`, string ciphername, string kdfname, string
 * kdfoptions, u32 nkeys, nkeys × string publickey, string private section (+ an AEAD tag for
 * chacha20-poly1305 and AES-GCM). Confidence:
 * - cipher `none`, checkint1 == checkint2 and a known key type at the start of the private section,
 *   whole blob present: high;
 * - encrypted (the ciphertext can be attacked offline, so it is zeroed), or cut by the end of the
 *   data once the private section's length is known: medium;
 * - cipher `none` with unequal checkints or an unknown key type: low.
 * The fingerprint is taken from the (unencrypted) first public key: RSA, ECDSA and Ed25519.
 */
import type { AnchorHit } from '../../anchors.ts';
import { bigFromBE } from '../../crypto/bigint.ts';
import { ecCurveByName, type EcCurveName } from '../../crypto/curves.ts';
import { ecFingerprint, okpFingerprint, rsaFingerprint } from '../../crypto/fingerprint.ts';
import { OID } from '../../crypto/oids.ts';
import type { Confidence, Finding } from '../../types.ts';
import type { ScanWindow } from '../../window.ts';
import type { Detector } from '../detector.ts';
import { bytesAre, findingAt, reachAround, u32be, type Reach } from './reach.ts';

const MAGIC = 'openssh-key-v1\0';

/** Cipher block size and AEAD tag length (sshkey.c's cipher table). */
const CIPHERS: Record<string, { block: number; tag: number }> = {
  none: { block: 8, tag: 0 },
  'aes128-cbc': { block: 16, tag: 0 },
  'aes192-cbc': { block: 16, tag: 0 },
  'aes256-cbc': { block: 16, tag: 0 },
  'aes128-ctr': { block: 16, tag: 0 },
  'aes192-ctr': { block: 16, tag: 0 },
  'aes256-ctr': { block: 16, tag: 0 },
  'aes128-gcm@openssh.com': { block: 16, tag: 16 },
  'aes256-gcm@openssh.com': { block: 16, tag: 16 },
  'chacha20-poly1305@openssh.com': { block: 8, tag: 16 },
  '3des-cbc': { block: 8, tag: 0 },
};

const KEY_TYPE = /^(ssh-(rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)(-cert-v01@openssh\.com)?$/;

const SSH_CURVES: Record<string, EcCurveName> = { nistp256: 'P-256', nistp384: 'P-384', nistp521: 'P-521' };

/** An SSH string at `at` within [at, limit): the range of its bytes, or 'cut' / null. */
export function sshString(bytes: Uint8Array, at: number, limit: number, hi: number, max: number): [number, number] | 'cut' | null {
  if (at + 4 > limit) return at + 4 > hi ? 'cut' : null;
  const length = u32be(bytes, at);
  if (length > max) return null;
  if (at + 4 + length > limit) return at + 4 + length > hi ? 'cut' : null;
  return [at + 4, at + 4 + length];
}

const latin1 = (bytes: Uint8Array, [from, to]: [number, number]) => String.fromCharCode(...bytes.subarray(from, to));

/** Fingerprint of an SSH public key blob (RSA, ECDSA, Ed25519), if it parses. */
function publicKeyFingerprint(bytes: Uint8Array, [from, to]: [number, number]): string | undefined {
  const type = sshString(bytes, from, to, to, 64);
  if (!Array.isArray(type)) return undefined;
  const name = latin1(bytes, type);
  const first = sshString(bytes, type[1], to, to, 4096);
  if (!Array.isArray(first)) return undefined;
  const second = sshString(bytes, first[1], to, to, 4096);
  if (name === 'ssh-ed25519') return first[1] - first[0] === 32 ? okpFingerprint(OID.ed25519, bytes.slice(...first)) : undefined;
  if (!Array.isArray(second)) return undefined;
  if (name === 'ssh-rsa') return rsaFingerprint(bigFromBE(bytes, ...second), bigFromBE(bytes, ...first));
  const curve = SSH_CURVES[latin1(bytes, first)];
  if (name.startsWith('ecdsa-sha2-') && curve && bytes[second[0]] === 4) {
    return ecFingerprint(ecCurveByName(curve).oid, bytes.slice(...second));
  }
  return undefined;
}

function opensshKey(reach: Reach, pos: number): Finding | null {
  const { bytes, hi } = reach;
  let at = pos + MAGIC.length;
  const read = (max: number) => {
    const s = sshString(bytes, at, hi, hi, max);
    if (Array.isArray(s)) at = s[1];
    return Array.isArray(s) ? s : null;
  };
  const cipherRange = read(64);
  const kdfRange = cipherRange && read(64);
  const kdfOptions = kdfRange && read(1024);
  if (!cipherRange || !kdfRange || !kdfOptions || at + 4 > hi) return null;
  const cipherName = latin1(bytes, cipherRange);
  const kdfName = latin1(bytes, kdfRange);
  if (!/^[a-z0-9@.-]{1,64}$/.test(cipherName) || !/^[a-z0-9@.-]{1,64}$/.test(kdfName)) return null;
  const cipher = CIPHERS[cipherName] ?? { block: 8, tag: 0 };
  const encrypted = cipherName !== 'none';
  if (!encrypted && (kdfName !== 'none' || kdfOptions[1] !== kdfOptions[0])) return null;
  const count = u32be(bytes, at);
  at += 4;
  if (count < 1 || count > 16) return null;
  let firstPublic: [number, number] | null = null;
  for (let i = 0; i < count; i++) {
    const pub = read(16 * 1024);
    if (!pub || pub[1] - pub[0] < 8) return null;
    firstPublic ??= pub;
  }
  // The private section: its length is all that is needed to know the blob's extent.
  if (at + 4 > hi) return null;
  const length = u32be(bytes, at);
  if (length === 0 || length > 64 * 1024 || length % cipher.block !== 0) return null;
  const section = at + 4;
  const end = section + length + cipher.tag;
  let confidence: Confidence = 'medium';
  if (end <= hi && !encrypted) {
    const typeRange = sshString(bytes, section + 8, section + length, hi, 64);
    const checkOk = u32be(bytes, section) === u32be(bytes, section + 4);
    confidence = checkOk && Array.isArray(typeRange) && KEY_TYPE.test(latin1(bytes, typeRange)) ? 'high' : 'low';
  }
  return findingAt(reach, pos, Math.min(end, hi), {
    kind: 'openssh-private-key',
    detector: 'openssh-binary',
    confidence,
    encoding: 'openssh-key-v1',
    fingerprint: firstPublic ? publicKeyFingerprint(bytes, firstPublic) : undefined,
  });
}

export const opensshBinary: Detector = {
  id: 'openssh-binary',
  anchors: [],
  rawAnchors: [MAGIC],
  detect(win: ScanWindow, hit: AnchorHit): Finding[] {
    if (!bytesAre(win.bytes, hit.pos, MAGIC)) return [];
    const finding = opensshKey(reachAround(win, hit.pos), hit.pos);
    return finding ? [finding] : [];
  },
};
