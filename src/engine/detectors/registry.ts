import { base64Der } from './base64-der.ts';
import type { Detector } from './detector.ts';
import { pem } from './pem.ts';
import { ppk } from './ppk.ts';
import { token } from './tokens/index.ts';

/**
 * Detectors for secrets stored as text: PEM armour, headerless base64 DER, PuTTY key files, and the
 * token rules (API keys, access tokens, connection-string keys).
 */
export const textKeyDetectors: readonly Detector[] = [pem, base64Der, ppk, token];
