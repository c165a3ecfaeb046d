/** A minimal DER writer: enough to rebuild a SubjectPublicKeyInfo byte-exactly as OpenSSL writes it. */
import { bigToBE } from './bigint.ts';

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** tag ‖ length ‖ contents. */
export function derTlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const body = concatBytes(...contents);
  return concatBytes(Uint8Array.from([tag, ...lengthBytes(body.length)]), body);
}

export const derSequence = (...contents: Uint8Array[]) => derTlv(0x30, ...contents);

/** INTEGER of an unsigned value: minimal, with a leading 00 when the top bit is set. */
export function derUnsigned(v: bigint): Uint8Array {
  const be = bigToBE(v);
  return derTlv(0x02, be[0]! & 0x80 ? concatBytes(Uint8Array.of(0), be) : be);
}

/** BIT STRING with no unused bits. */
export const derBitString = (bytes: Uint8Array) => derTlv(0x03, Uint8Array.of(0), bytes);

export const DER_NULL = Uint8Array.of(0x05, 0x00);
