import { base64Der } from './base64-der.ts';
import type { Detector } from './detector.ts';
import { pem } from './pem.ts';
import { ppk } from './ppk.ts';

/** Detectors for private keys stored as text: PEM armour, headerless base64 DER, PuTTY key files. */
export const textKeyDetectors: readonly Detector[] = [pem, base64Der, ppk];
