/** The secrets box as a list: one secret per line, CRLF tolerated, blank lines skipped (as `--secret-file`). */
export function secretLines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line.trim() !== '');
}
