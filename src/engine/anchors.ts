/**
 * Anchor search contract. Detectors name short ASCII literals ("anchors"); a finder reports every
 * place one occurs, in ASCII and in UTF-16LE (each character followed by a zero byte), at any byte
 * offset — so UTF-16 text at odd offsets is found too. The WebAssembly kernel and the plain-TS
 * reference both implement this interface and are checked against each other.
 */

/**
 * One anchor. A plain string is a text anchor: ASCII, found in ASCII and in UTF-16LE. A spec with
 * `textForms: false` is a byte string (latin1, one char per byte 0x00–0xFF) found only as it is.
 */
export type AnchorSpec = string | { bytes: string; textForms: false };

export interface AnchorHit {
  /** Index in the searched buffer of the anchor's first byte. */
  pos: number;
  /** Index into the anchor list the finder was built with. */
  anchor: number;
  /** True for the UTF-16LE form (2 bytes per character). */
  wide: boolean;
}

export interface AnchorFinder {
  /**
   * Every occurrence whose first byte lies in [from, to) and whose bytes all lie inside `bytes`,
   * sorted by pos, then anchor index, then ASCII before UTF-16LE.
   */
  find(bytes: Uint8Array, from: number, to: number): AnchorHit[];
}
