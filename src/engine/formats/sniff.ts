import type { ByteSource } from '../source.ts';

export interface SniffResult {
  /** `minidump`, `elf-core`, `elf`, `hprof`, `microdump`, `gzip`, `zip`, `zstd`, or `raw`. */
  format: string;
  warnings: string[];
}

const SIGNATURES: { format: string; magic: number[]; note?: string }[] = [
  { format: 'minidump', magic: [0x4d, 0x44, 0x4d, 0x50] },
  { format: 'elf', magic: [0x7f, 0x45, 0x4c, 0x46] },
  { format: 'hprof', magic: [...'JAVA PROFILE '].map((c) => c.charCodeAt(0)) },
  { format: 'gzip', magic: [0x1f, 0x8b], note: 'compressed' },
  { format: 'zip', magic: [0x50, 0x4b, 0x03, 0x04], note: 'compressed' },
  { format: 'zstd', magic: [0x28, 0xb5, 0x2f, 0xfd], note: 'compressed' },
];

const ET_CORE = 4;
/**
 * Breakpad microdumps are text written to the Android log, so each line may carry a logcat prefix
 * ("W/google-breakpad( 3728): "); the marker is looked for in the first lines, not at offset 0.
 */
const MICRODUMP_MARKER = '-----BEGIN BREAKPAD MICRODUMP-----';
const SNIFF_BYTES = 4096;

/** Names the container format from the first bytes. */
export async function sniffFormat(source: ByteSource): Promise<SniffResult> {
  const head = await source.read(0, Math.min(SNIFF_BYTES, source.size));
  const sig = SIGNATURES.find((s) => s.magic.length <= head.length && s.magic.every((b, i) => head[i] === b));
  if (!sig) {
    const text = new TextDecoder('latin1').decode(head);
    return { format: text.includes(MICRODUMP_MARKER) ? 'microdump' : 'raw', warnings: [] };
  }
  if (sig.format === 'elf') {
    const littleEndian = head[5] !== 2;
    const type = littleEndian ? head[16]! | (head[17]! << 8) : (head[16]! << 8) | head[17]!;
    return { format: type === ET_CORE ? 'elf-core' : 'elf', warnings: [] };
  }
  const warnings =
    sig.note === 'compressed'
      ? [`${sig.format}-compressed input is scanned as raw bytes: secrets inside the compressed data are not seen; decompress it first`]
      : [];
  return { format: sig.format, warnings };
}
