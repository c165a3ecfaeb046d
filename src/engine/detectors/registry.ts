import { base64Der } from './base64-der.ts';
import type { Detector } from './detector.ts';
import { jwk } from './jose/jwk.ts';
import { jwt } from './jose/jwt.ts';
import { pem } from './pem.ts';
import { ppk } from './ppk.ts';
import { token } from './tokens/index.ts';

/**
 * Detectors for secrets stored as text: PEM armour, headerless base64 DER, PuTTY key files, JOSE
 * tokens (and the HMAC keys that sign them), JSON Web Keys, and the token rules (API keys, access
 * tokens, connection-string keys).
 */
export const textKeyDetectors: readonly Detector[] = [pem, base64Der, ppk, jwt, jwk, token];
