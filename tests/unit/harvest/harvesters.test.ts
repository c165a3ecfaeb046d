import { generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  blobPublicHarvester,
  jwkPublicHarvester,
  pemPublicHarvester,
  pkcs1PublicHarvester,
  rsaHarvesters,
  spkiHarvester,
  sshPublicHarvester,
} from '../../../src/engine/harvest/index.ts';
import type { Harvester } from '../../../src/engine/harvest/public-key.ts';
import { capiPublicKeyBlob, cngRsaBlob, leFixed, plant, rsaParts, u32le } from '../../fixtures/binary-keys.ts';
import { rsaKey } from '../../fixtures/keys.ts';
import {
  authorizedKeysLine,
  certificateDer,
  indexIn,
  jwkOf,
  pemOf,
  pkcs1PublicOf,
  publicOf,
  spkiOf,
  sshRsaBlob,
} from '../../fixtures/rsa-public.ts';
import { CHUNK_SIZES } from '../../fixtures/scan-window.ts';
import { harvestBuffer } from './helpers.ts';

const utf16 = (s: string) => Buffer.from(s, 'utf16le');
const ascii = (s: string) => Buffer.from(s, 'latin1');
const jsonEscaped = (s: string) => ascii(JSON.stringify(s).slice(1, -1));

/** A copy of `bytes` with byte `at` replaced by `f(old)`. */
function tamper(bytes: Uint8Array, at: number, f: (b: number) => number): Buffer {
  const out = Buffer.from(bytes);
  out[at] = f(out[at]!) & 0xff;
  return out;
}

/** Index of the last length byte of the TLV whose tag is at `tag`. */
const lastLengthByte = (b: Uint8Array, tag: number) => tag + 1 + (b[tag + 1]! & 0x80 ? b[tag + 1]! & 0x7f : 0);

/** Index of n's last byte (big-endian copies) in `bytes`. */
const nLastBE = (bytes: Uint8Array, key: KeyObject) => indexIn(bytes, rsaParts(key).n) + rsaParts(key).n.length - 1;

interface Source {
  name: string;
  harvester: Harvester;
  source: string;
  make(key: KeyObject): Uint8Array;
  /** Copies that must yield nothing: n made even, a length that lies. */
  tampered(key: KeyObject, bytes: Uint8Array): Record<string, Uint8Array>;
}

const SOURCES: Source[] = [
  {
    name: 'SPKI DER',
    harvester: spkiHarvester,
    source: 'spki',
    make: spkiOf,
    tampered: (key, b) => ({ 'n even': tamper(b, nLastBE(b, key), (x) => x ^ 1), 'BIT STRING length lies': tamper(b, lastLengthByte(b, indexIn(b, Buffer.of(0x05, 0x00)) + 2), (x) => x + 1) }),
  },
  {
    name: 'X.509 certificate DER',
    harvester: spkiHarvester,
    source: 'spki',
    make: certificateDer,
    tampered: (key, b) => ({ 'n even': tamper(b, nLastBE(b, key), (x) => x ^ 1), 'SPKI length lies': tamper(b, indexIn(b, spkiOf(key)) + 3, (x) => x - 1) }),
  },
  {
    name: 'PKCS#1 RSAPublicKey DER',
    harvester: pkcs1PublicHarvester,
    source: 'pkcs1',
    make: pkcs1PublicOf,
    tampered: (key, b) => ({ 'n even': tamper(b, nLastBE(b, key), (x) => x ^ 1), 'e even': tamper(b, b.length - 1, (x) => x ^ 1), 'SEQUENCE length lies': tamper(b, b[1] === 0x81 ? 2 : 3, (x) => x + 2) }),
  },
  {
    name: 'PEM certificate',
    harvester: pemPublicHarvester,
    source: 'x509',
    make: (key) => ascii(pemOf('CERTIFICATE', certificateDer(key))),
    tampered: (key) => ({ 'n even': ascii(pemOf('CERTIFICATE', tamper(certificateDer(key), nLastBE(certificateDer(key), key), (x) => x ^ 1))) }),
  },
  {
    name: 'PEM public key, UTF-16LE, CRLF',
    harvester: pemPublicHarvester,
    source: 'spki',
    make: (key) => utf16(pemOf('PUBLIC KEY', spkiOf(key), '\r\n')),
    tampered: (key) => ({ 'n even': utf16(pemOf('PUBLIC KEY', tamper(spkiOf(key), nLastBE(spkiOf(key), key), (x) => x ^ 1))) }),
  },
  {
    name: 'PEM RSA public key, JSON-escaped',
    harvester: pemPublicHarvester,
    source: 'pkcs1',
    make: (key) => jsonEscaped(pemOf('RSA PUBLIC KEY', pkcs1PublicOf(key))),
    tampered: (key) => ({ 'label says RSA PUBLIC KEY, body is an SPKI with n even': ascii(pemOf('RSA PUBLIC KEY', tamper(spkiOf(key), nLastBE(spkiOf(key), key), (x) => x ^ 1))) }),
  },
  {
    name: 'CNG RSA1 blob',
    harvester: blobPublicHarvester,
    source: 'cng-rsapublic',
    make: (key) => cngRsaBlob(rsaParts(key), 'RSA1'),
    tampered: (key, b) => ({ 'n even': tamper(b, b.length - 1, (x) => x ^ 1), 'cbModulus lies': Buffer.concat([b.subarray(0, 12), u32le(rsaParts(key).n.length + 1), b.subarray(16)]) }),
  },
  {
    name: 'CAPI PUBLICKEYBLOB',
    harvester: blobPublicHarvester,
    source: 'capi-publickeyblob',
    make: (key) => capiPublicKeyBlob(rsaParts(key)),
    tampered: (key, b) => ({ 'n even': tamper(b, 20, (x) => x ^ 1), 'bitlen not whole bytes': Buffer.concat([b.subarray(0, 12), u32le(rsaParts(key).bits + 4), b.subarray(16)]) }),
  },
  {
    name: 'JWK',
    harvester: jwkPublicHarvester,
    source: 'jwk',
    make: (key) => ascii(jwkOf(key)),
    tampered: (key) => {
      const j = JSON.parse(jwkOf(key)) as { n: string; e: string };
      const even = Buffer.from(j.n, 'base64url');
      even[even.length - 1]! &= 0xfe;
      return { 'n even': ascii(JSON.stringify({ ...j, n: even.toString('base64url') })), 'kty EC': ascii(JSON.stringify({ ...j, kty: 'EC' })) };
    },
  },
  {
    name: 'JWK, UTF-16LE inside an escaped JSON string',
    harvester: jwkPublicHarvester,
    source: 'jwk',
    make: (key) => utf16(`{"jwks":"${JSON.stringify(JSON.parse(jwkOf(key))).replace(/"/g, '\\"')}"}`),
    tampered: (key) => ({ 'n not base64url': utf16(jwkOf(key).replace('"n":"', '"n":"%')) }),
  },
  {
    name: 'OpenSSH binary public key',
    harvester: sshPublicHarvester,
    source: 'ssh-rsa',
    make: sshRsaBlob,
    tampered: (key, b) => ({ 'n even': tamper(b, b.length - 1, (x) => x ^ 1), 'n length lies': tamper(b, indexIn(b, rsaParts(key).n) - 5, (x) => x + 1) }),
  },
  {
    name: 'OpenSSH authorized_keys line, UTF-16LE',
    harvester: sshPublicHarvester,
    source: 'ssh-rsa',
    make: (key) => utf16(authorizedKeysLine(key)),
    tampered: (key) => {
      const blob = sshRsaBlob(key);
      return { 'n even': utf16(`ssh-rsa ${tamper(blob, blob.length - 1, (x) => x ^ 1).toString('base64')} x\n`) };
    },
  },
];

describe.each(SOURCES)('$name', (src) => {
  it.each([1024, 2048])('positive, RSA-%i, at every chunk size', (bits) => {
    const key = rsaKey(bits);
    const file = plant(src.make(key)).bytes;
    const expected = [publicOf(key, src.source)];
    for (const size of [...CHUNK_SIZES, file.length + 1]) {
      expect(harvestBuffer(src.harvester, file, size), `chunk size ${size}`).toEqual(expected);
    }
    // Every harvester together reads it once (a PEM's body is text, a DER's RSAPublicKey has two anchors).
    expect(harvestBuffer(rsaHarvesters, file).map((k) => k.n)).toEqual([expected[0]!.n]);
  });

  it('truncated: cut in the middle of n, the rest zeroed, it yields nothing', () => {
    const bytes = src.make(rsaKey(1024));
    // Freed memory is typically zeroed. (A blob whose n is its last field and is followed by other
    // bytes cannot be told from a whole one: its harvest is a modulus no prime divides, which costs
    // search time and never a false finding.)
    const cut = Buffer.concat([bytes.subarray(0, Math.floor(bytes.length * 0.6)), Buffer.alloc(bytes.length)]);
    expect(harvestBuffer(src.harvester, plant(cut).bytes)).toEqual([]);
  });

  it('tampered copies yield nothing', () => {
    const key = rsaKey(1024);
    for (const [what, bytes] of Object.entries(src.tampered(key, src.make(key)))) {
      expect(harvestBuffer(src.harvester, plant(bytes).bytes), what).toEqual([]);
    }
  });
});

describe('harvest sanity', () => {
  it('the fixture certificate is one node:crypto accepts, with the key in it', () => {
    const key = rsaKey(2048);
    const cert = new X509Certificate(certificateDer(key));
    expect(cert.publicKey.export({ format: 'jwk' }).n).toBe(key.export({ format: 'jwk' }).n);
  });

  it('a PKCS#1 private key, and a 384-bit key, are not harvested as public keys', () => {
    const priv = rsaKey(2048).export({ type: 'pkcs1', format: 'der' });
    expect(harvestBuffer(rsaHarvesters, plant(priv).bytes)).toEqual([]);
    // Node refuses to make RSA keys below 512 bits: build a short SPKI-shaped JWK by hand.
    const small = JSON.stringify({ kty: 'RSA', n: Buffer.alloc(48, 0xab).toString('base64url'), e: 'AQAB' });
    expect(harvestBuffer(rsaHarvesters, plant(ascii(small)).bytes)).toEqual([]);
  });

  it('several keys in one buffer are all read, each once', () => {
    const keys = [rsaKey(1024), rsaKey(2048), generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey];
    const file = plant(certificateDer(keys[0]!), ascii(pemOf('CERTIFICATE', certificateDer(keys[0]!))), cngRsaBlob(rsaParts(keys[1]!), 'RSA1'), utf16(jwkOf(keys[2]!)), leFixed(rsaParts(keys[2]!).n, 128)).bytes;
    expect(harvestBuffer(rsaHarvesters, file).map((k) => k.n).sort()).toEqual(keys.map((k) => publicOf(k, '').n).sort());
  });
});
