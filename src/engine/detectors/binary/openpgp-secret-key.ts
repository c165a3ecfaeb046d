/**
 * Detector `openpgp-secret-key` (detectors.md S9): OpenPGP Secret-Key (tag 5) and Secret-Subkey
 * (tag 7) packets, version 4 (RFC 4880 §5.5.3) and version 6 (RFC 9580 §5.5.3), as gpg, gpg-agent
 * and OpenPGP libraries hold them (`gpg --export-secret-keys`, keyring files, decoded armour).
 *
 * Packet: header (old format CTB 0x94–0x96 / 0x9C–0x9E with a 1-, 2- or 4-byte length; new format
 * 0xC5 / 0xC7 with a 1-, 2- or 5-byte length), version, u32 creation time, algorithm, public fields
 * (v6: preceded by their u32 length), S2K usage, S2K parameters, secret fields, and for v4 keys
 * stored in the clear a 16-bit sum of the secret field bytes.
 *
 * Anchors sit inside the public fields at a fixed distance from the version byte: the exponent
 * 65537 as an MPI (`00 11 01 00 01`, after n) for RSA, the curve OID with its length byte for
 * ECDSA, ECDH and EdDSA, the algorithm and key length for the v6 X25519/X448/Ed25519/Ed448 forms.
 *
 * Confidence and kind:
 * - in the clear, checksum holding (v4) and the secret proven by maths (n = p·q with u = p⁻¹ mod q;
 *   d·G = Q; the seed deriving the public key): high, `rsa-private-key` / `ec-private-key` /
 *   `ed25519-private-key` / `x25519-private-key` / …, with the secret attached for the sweep;
 * - in the clear with only one of the two proofs: medium, the proven kind; cut by the end of the
 *   data, or secret fields that do not parse inside a packet header's length: medium,
 *   `openpgp-secret-key`;
 * - in the clear with neither: low;
 * - encrypted (S2K usage 253/254/255, the packet length delimiting the ciphertext): medium,
 *   `openpgp-secret-key` — the ciphertext can be attacked offline with the passphrase.
 * A packet in the clear whose header was overwritten is still found (its fields delimit it) from
 * its version byte on. The fingerprint is the SPKI of the public key (RSA, NIST curves, secp256k1,
 * Ed25519, X25519, Ed448, X448).
 * Not covered: DSA and Elgamal keys, RSA exponents other than 65537, version 3 and version 5
 * (LibrePGP) packets, Brainpool curves, the legacy Ed448/X448 OIDs, S2K usage values naming a cipher
 * directly (PGP 2.x), and encrypted packets without a header (nothing delimits their ciphertext).
 */
import type { AnchorHit } from '../../anchors.ts';
import { bigFromBE, bigToBE, bytesEqual } from '../../crypto/bigint.ts';
import { EC_CURVES, scalarMatchesPoint, type EcCurve } from '../../crypto/curves.ts';
import { ecFingerprint, okpFingerprint, rsaFingerprint } from '../../crypto/fingerprint.ts';
import { okpByAlgorithm, type OkpType } from '../../crypto/okp.ts';
import { checkRsa, rsaConfidence } from '../../crypto/rsa.ts';
import { rsaSecret } from '../../sweep/extract.ts';
import type { OkpKind, SecretMaterial } from '../../sweep/secret.ts';
import type { Confidence, Finding } from '../../types.ts';
import type { ScanWindow } from '../../window.ts';
import type { Detector } from '../detector.ts';
import { findingAt, reachAround, u32be, type Reach } from './reach.ts';

const DETECTOR = 'openpgp-secret-key';
/** Creation times from 1995 (OpenPGP predates it only as PGP 2.x's v3 keys) to 2100, in seconds. */
const EARLIEST_TIME = Date.UTC(1995, 0, 1) / 1000;
const LATEST_TIME = Date.UTC(2100, 0, 1) / 1000;
/** An encrypted RSA-16384 secret key packet is under 5 KiB. */
const MAX_BODY = 16 * 1024;

const RSA_ALGORITHMS = [1, 2, 3];
const ECDH = 18;
const ECDSA = 19;
const EDDSA_LEGACY = 22;

/** The v6 algorithms whose keys are raw byte strings (RFC 9580 §5.5.5.7–10). */
const NATIVE: ReadonlyMap<number, OkpType> = new Map([
  [25, okpByAlgorithm('x25519')],
  [26, okpByAlgorithm('x448')],
  [27, okpByAlgorithm('ed25519')],
  [28, okpByAlgorithm('ed448')],
]);

/** A curve named by OID in ECDH, ECDSA and EdDSALegacy keys. */
interface PgpCurve {
  oid: string;
  algorithms: readonly number[];
  /** Short-Weierstrass: point 04‖X‖Y, scalar d. */
  ec?: EcCurve;
  /** Curve25519 in its legacy form: point 40‖key; the X25519 secret MPI is the native scalar reversed. */
  okp?: OkpType;
}

const CURVES: readonly PgpCurve[] = [
  ...EC_CURVES.map((ec): PgpCurve => ({ oid: ec.oid, algorithms: [ECDH, ECDSA], ec })),
  { oid: '2b06010401da470f01', algorithms: [EDDSA_LEGACY], okp: okpByAlgorithm('ed25519') },
  { oid: '2b060104019755010501', algorithms: [ECDH], okp: okpByAlgorithm('x25519') },
];

/** Block size of the symmetric ciphers an S2K may name (IDEA, 3DES, CAST5, Blowfish; AES, Twofish, Camellia). */
const BLOCK_SIZES: ReadonlyMap<number, number> = new Map([
  [1, 8], [2, 8], [3, 8], [4, 8], [7, 16], [8, 16], [9, 16], [10, 16], [11, 16], [12, 16], [13, 16],
]);
/** IV size of the AEAD modes (EAX, OCB, GCM). */
const AEAD_IV_SIZES: ReadonlyMap<number, number> = new Map([[1, 16], [2, 15], [3, 12]]);
const HASHES = new Set([1, 2, 3, 8, 9, 10, 11, 12, 14]);
const S2K_USAGE_AEAD = 253;
const S2K_USAGE_SHA1 = 254;
const S2K_USAGE_CHECKSUM = 255;
/** GnuPG's S2K extension: a stub whose secret is absent (1001) or on a smartcard (1002). */
const S2K_GNU = 101;

const u16be = (bytes: Uint8Array, at: number) => (bytes[at]! << 8) | bytes[at + 1]!;

/** An MPI at `at`: the index range of its value bytes. Bit counts must be exact (no leading zeros). */
function mpi(bytes: Uint8Array, at: number, hi: number): { from: number; to: number } | 'cut' | null {
  if (at + 2 > hi) return 'cut';
  const bits = u16be(bytes, at);
  const length = (bits + 7) >> 3;
  if (bits === 0) return null;
  if (at + 2 + length > hi) return 'cut';
  const top = bytes[at + 2]!;
  if (top === 0 || 32 - Math.clz32(top) !== bits - 8 * (length - 1)) return null;
  return { from: at + 2, to: at + 2 + length };
}

type Range = { from: number; to: number };

/** Public fields: what the secret is checked against, and where the fields end. */
interface PublicKey {
  algorithm: number;
  end: number;
  rsa?: { n: bigint; e: bigint };
  curve?: PgpCurve;
  native?: OkpType;
  /** EC point or OKP public key (without the 0x40 prefix of the legacy form). */
  point?: Range;
  fingerprint?: string;
}

/** Reads consecutive MPIs; null on any failure (a cut counts: the public part must be whole). */
function mpis(bytes: Uint8Array, at: number, hi: number, count: number): Range[] | null {
  const out: Range[] = [];
  for (let i = 0; i < count; i++) {
    const m = mpi(bytes, at, hi);
    if (!m || m === 'cut') return null;
    out.push(m);
    at = m.to;
  }
  return out;
}

function publicFields(bytes: Uint8Array, at: number, hi: number, algorithm: number, version: number): PublicKey | null {
  const native = NATIVE.get(algorithm);
  if (native) {
    const end = at + native.publicLength;
    if (version !== 6 || end > hi) return null;
    const point = { from: at, to: end };
    return { algorithm, end, native, point, fingerprint: okpFingerprint(native.oid, bytes.slice(at, end)) };
  }
  if (RSA_ALGORITHMS.includes(algorithm)) {
    const fields = mpis(bytes, at, hi, 2);
    if (!fields) return null;
    const [n, e] = fields.map((m) => bigFromBE(bytes, m.from, m.to)) as [bigint, bigint];
    return { algorithm, end: fields[1]!.to, rsa: { n, e }, fingerprint: rsaFingerprint(n, e) };
  }
  const oidLength = bytes[at];
  if (oidLength === undefined || at + 1 + oidLength > hi) return null;
  const oid = Array.from(bytes.subarray(at + 1, at + 1 + oidLength), (b) => b.toString(16).padStart(2, '0')).join('');
  const curve = CURVES.find((c) => c.oid === oid && c.algorithms.includes(algorithm));
  const point = curve && mpis(bytes, at + 1 + oidLength, hi, 1)?.[0];
  if (!curve || !point) return null;
  let end = point.to;
  if (algorithm === ECDH) {
    // KDF parameters: length 3, reserved 1, hash, key-wrap cipher.
    if (end + 4 > hi || bytes[end] !== 3 || bytes[end + 1] !== 1 || !HASHES.has(bytes[end + 2]!) || !BLOCK_SIZES.has(bytes[end + 3]!)) return null;
    end += 4;
  }
  let fingerprint: string | undefined;
  const size = point.to - point.from;
  if (curve.ec) {
    if (bytes[point.from] !== 4 || size !== 1 + 2 * curve.ec.size) return null;
    fingerprint = ecFingerprint(curve.ec.oid, bytes.slice(point.from, point.to));
  } else if (curve.okp) {
    if (bytes[point.from] !== 0x40 || size !== 1 + curve.okp.publicLength) return null;
    point.from++;
    fingerprint = okpFingerprint(curve.okp.oid, bytes.slice(point.from, point.to));
  }
  return { algorithm, end, curve, point, fingerprint };
}

/** Packet headers of tag 5 or 7 ending right before the version byte at `v`: [header start, packet end]. */
function headersBefore(bytes: Uint8Array, v: number, lo: number): [number, number][] {
  const out: [number, number][] = [];
  const ctb = (at: number, values: readonly number[]) => at >= lo && values.includes(bytes[at]!);
  const add = (start: number, length: number) => {
    if (length >= 1 && length <= MAX_BODY) out.push([start, v + length]);
  };
  const NEW = [0xc5, 0xc7];
  if (ctb(v - 2, NEW) && bytes[v - 1]! < 192) add(v - 2, bytes[v - 1]!);
  if (ctb(v - 3, NEW) && bytes[v - 2]! >= 192 && bytes[v - 2]! < 224) add(v - 3, ((bytes[v - 2]! - 192) << 8) + bytes[v - 1]! + 192);
  if (ctb(v - 6, NEW) && bytes[v - 5] === 0xff) add(v - 6, u32be(bytes, v - 4));
  // Old format: 10 tttt ll, tag 5 (0x94) or 7 (0x9C), length type 0/1/2 = 1/2/4 length bytes.
  if (ctb(v - 2, [0x94, 0x9c])) add(v - 2, bytes[v - 1]!);
  if (ctb(v - 3, [0x95, 0x9d])) add(v - 3, u16be(bytes, v - 2));
  if (ctb(v - 5, [0x96, 0x9e])) add(v - 5, u32be(bytes, v - 4));
  return out;
}

/** End of the S2K parameters of an encrypted secret part starting at `s` (the usage byte), or null. */
function s2kParametersEnd(bytes: Uint8Array, s: number, hi: number, version: number): number | null {
  const usage = bytes[s]!;
  let at = s + 1;
  const byte = () => (at < hi ? bytes[at++]! : -1);
  const countAt = version === 6 ? at++ : -1;
  const block = BLOCK_SIZES.get(byte());
  if (block === undefined) return null;
  const ivSize = usage === S2K_USAGE_AEAD ? AEAD_IV_SIZES.get(byte()) : block;
  if (ivSize === undefined) return null;
  const specifierLengthAt = version === 6 ? at++ : -1;
  const specifier = at;
  const type = byte();
  if (type === 4) at += 16 + 3; // Argon2: salt, passes, parallelism, memory
  else {
    if (!HASHES.has(byte())) return null;
    if (type === 1) at += 8;
    else if (type === 3) at += 9;
    else if (type === S2K_GNU) return null; // a stub: no secret in this packet
    else if (type !== 0) return null;
  }
  if (version === 6 && (bytes[specifierLengthAt] !== at - specifier)) return null;
  at += ivSize;
  if (version === 6 && bytes[countAt] !== at - countAt - 1) return null;
  return at <= hi ? at : null;
}

interface SecretCheck {
  kind: string;
  confidence: Confidence;
  secret?: SecretMaterial;
}

/** Secret fields in the clear at `at`: their ranges (MPIs, or one raw key for the v6 native forms). */
function secretFields(bytes: Uint8Array, at: number, hi: number, pub: PublicKey): { fields: Range[]; end: number } | 'cut' | null {
  if (pub.native) {
    const end = at + pub.native.privateLength;
    return end > hi ? 'cut' : { fields: [{ from: at, to: end }], end };
  }
  const fields: Range[] = [];
  for (let i = 0; i < (pub.rsa ? 4 : 1); i++) {
    const m = mpi(bytes, at, hi);
    if (m === null || m === 'cut') return m;
    fields.push(m);
    at = m.to;
  }
  return { fields, end: at };
}

/** The maths on secret fields in the clear: kind, whether it proves the key, and the secret. */
function checkSecret(bytes: Uint8Array, pub: PublicKey, fields: Range[], checksumOk: boolean | null): SecretCheck {
  const int = (r: Range) => bigFromBE(bytes, r.from, r.to);
  if (pub.rsa) {
    const { n, e } = pub.rsa;
    const [d, p, q, u] = fields.map(int) as [bigint, bigint, bigint, bigint];
    // OpenPGP stores u = p⁻¹ mod q: with p and q swapped that is the usual q⁻¹ mod p, which is also
    // the value libgcrypt keeps in memory for the sweep to find.
    const check = checkRsa({ n, e, d, p: q, q: p, qinv: u });
    const confidence = rsaConfidence(check, checksumOk !== false);
    const secret = confidence === 'high' ? rsaSecret({ n, e, d, p: q, q: p, dp: d % (q - 1n), dq: d % (p - 1n), qi: u }) : null;
    return { kind: 'rsa-private-key', confidence, ...(secret ? { secret } : {}) };
  }
  const point = pub.point!;
  const value = fields[0]!;
  const ec = pub.curve?.ec;
  if (ec) {
    const d = int(value);
    const proven = value.to - value.from <= ec.size && scalarMatchesPoint(ec, d, bytes.subarray(point.from, point.to));
    const secret: SecretMaterial = { kind: 'ec-private-key', curve: ec.name, scalar: bigToBE(d, ec.size), fingerprint: pub.fingerprint! };
    return withProof('ec-private-key', proven, checksumOk, secret);
  }
  const okp = (pub.native ?? pub.curve?.okp)!;
  const kind = `${okp.algorithm}-private-key` as OkpKind;
  const size = value.to - value.from;
  if (size > okp.privateLength) return withProof(kind, false, checksumOk);
  // An MPI drops leading zero bytes; the legacy X25519 MPI is the native scalar reversed.
  const seed = new Uint8Array(okp.privateLength);
  seed.set(bytes.subarray(value.from, value.to), okp.privateLength - size);
  if (!pub.native && okp.algorithm === 'x25519') seed.reverse();
  const proven = bytesEqual(okp.derivePublic(seed), bytes.subarray(point.from, point.to));
  return withProof(kind, proven, checksumOk, { kind, seed, fingerprint: pub.fingerprint! });
}

/**
 * Both proofs: high, one: medium, none: low; with no checksum to check (v6), the maths decides alone.
 * The secret goes with high only.
 */
function withProof(kind: string, proven: boolean, checksumOk: boolean | null, secret?: SecretMaterial): SecretCheck {
  const proofs = Number(proven) + Number(checksumOk ?? proven);
  const confidence: Confidence = proofs === 2 ? 'high' : proofs === 1 ? 'medium' : 'low';
  return confidence === 'high' && secret ? { kind, confidence, secret } : { kind, confidence };
}

/** Sum of the bytes mod 2¹⁶ (RFC 4880 §5.5.3: over the secret fields with their MPI headers). */
function checksum(bytes: Uint8Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += bytes[i]!;
  return sum & 0xffff;
}

/** The packet whose version byte is at `v` and whose public fields start at `fields`, if it is one. */
function packetAt(reach: Reach, v: number, fields: number): Finding | null {
  const { bytes, lo, hi } = reach;
  if (v < lo || v + 6 > hi) return null;
  const version = bytes[v]!;
  const time = u32be(bytes, v + 1);
  if ((version !== 4 && version !== 6) || time < EARLIEST_TIME || time >= LATEST_TIME) return null;
  const algorithm = bytes[v + 5]!;
  const start = version === 6 ? v + 10 : v + 6;
  if (start !== fields || start > hi) return null;
  const pub = publicFields(bytes, start, hi, algorithm, version);
  if (!pub || (version === 6 && pub.end - start !== u32be(bytes, v + 6))) return null;
  const s = pub.end;
  if (s >= hi) return null;
  const headers = headersBefore(bytes, v, lo).filter(([, end]) => end > s + 1);
  const usage = bytes[s]!;
  const fingerprint = pub.fingerprint;
  const unproven = (from: number, to: number) =>
    findingAt(reach, from, to, { kind: 'openpgp-secret-key', detector: DETECTOR, confidence: 'medium', encoding: 'openpgp', fingerprint });

  if (usage === S2K_USAGE_SHA1 || usage === S2K_USAGE_CHECKSUM || usage === S2K_USAGE_AEAD) {
    const params = s2kParametersEnd(bytes, s, hi, version);
    // The ciphertext runs to the end of the packet: only a header says where that is.
    const header = params === null ? undefined : headers.find(([, end]) => end > params);
    return header ? unproven(header[0], Math.min(header[1], hi)) : null;
  }
  if (usage !== 0) return null;

  const secret = secretFields(bytes, s + 1, hi, pub);
  if (secret === null) {
    // Secret fields in the clear that do not parse: damaged, but the header still says which bytes hold them.
    const header = headers[0];
    return header ? unproven(header[0], Math.min(header[1], hi)) : null;
  }
  if (secret === 'cut' || (version === 4 && secret.end + 2 > hi)) {
    const header = headers.find(([, end]) => end > hi);
    return unproven(header ? header[0] : v, hi);
  }
  const end = version === 4 ? secret.end + 2 : secret.end;
  const checksumOk = version === 6 ? null : u16be(bytes, secret.end) === checksum(bytes, s + 1, secret.end);
  const check = checkSecret(bytes, pub, secret.fields, checksumOk);
  const header = headers.find(([, packetEnd]) => packetEnd === end);
  const finding = findingAt(reach, header ? header[0] : v, end, { kind: check.kind, detector: DETECTOR, confidence: check.confidence, encoding: 'openpgp', fingerprint });
  if (check.secret) finding.secret = check.secret;
  return finding;
}

/** Bytes of n an RSA key may have: 512 to 16384 bits. */
const RSA_MODULUS_BYTES: readonly [number, number] = [64, 2048];

interface PgpAnchor {
  bytes: string;
  /** [version byte, first public field] pairs the anchor at `pos` may belong to. */
  candidates(bytes: Uint8Array, pos: number, lo: number): [number, number][];
}

const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);
/** v4 puts the public fields 6 bytes after the version byte, v6 10 (after their u32 length). */
const bothVersions = (fields: number): [number, number][] => [[fields - 6, fields], [fields - 10, fields]];

const ANCHORS: readonly PgpAnchor[] = [
  {
    // e = 65537 after n (MPI `00 11 01 00 01`): walk back over every n length whose MPI header
    // agrees with it. The anchor leaves out the bit count's high zero byte, checked here: an anchor
    // starting with zero makes every position of a zero page a prefilter candidate.
    bytes: '\x11\x01\x00\x01',
    candidates(bytes, hitPos, lo) {
      const pos = hitPos - 1;
      const out: [number, number][] = [];
      if (pos < lo || bytes[pos] !== 0) return out;
      for (let length = RSA_MODULUS_BYTES[0]; length <= RSA_MODULUS_BYTES[1] && pos - length - 8 >= lo; length++) {
        const n = pos - length - 2;
        if ((u16be(bytes, n) + 7) >> 3 === length) out.push(...bothVersions(n));
      }
      return out;
    },
  },
  ...CURVES.map((c): PgpAnchor => {
    const oid = Uint8Array.from(c.oid.match(/../g)!, (h) => parseInt(h, 16));
    return { bytes: String.fromCharCode(oid.length) + latin1(oid), candidates: (_bytes, pos) => bothVersions(pos) };
  }),
  ...[...NATIVE].map(([algorithm, okp]): PgpAnchor => ({
    bytes: String.fromCharCode(algorithm, 0, 0, 0, okp.publicLength),
    candidates: (_bytes, pos) => [[pos - 5, pos + 5]],
  })),
];

export const openpgpSecretKey: Detector = {
  id: DETECTOR,
  anchors: [],
  rawAnchors: ANCHORS.map((a) => a.bytes),
  detect(win: ScanWindow, hit: AnchorHit, anchor: number): Finding[] {
    const reach = reachAround(win, hit.pos);
    for (const [v, fields] of ANCHORS[anchor]!.candidates(reach.bytes, hit.pos, reach.lo)) {
      const finding = packetAt(reach, v, fields);
      if (finding) return [finding];
    }
    return [];
  },
};
