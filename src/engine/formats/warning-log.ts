/** How many warnings of one category are listed before the rest are only counted. */
const MAX_PER_CATEGORY = 8;

/**
 * Collects one-line warnings for the manifest. A hostile dump can produce one warning per
 * descriptor; repeats of a category are counted instead of listed so the manifest stays readable.
 */
export class WarningLog {
  private readonly lines: string[] = [];
  private readonly counts = new Map<string, number>();

  add(message: string, category = message): void {
    const seen = this.counts.get(category) ?? 0;
    this.counts.set(category, seen + 1);
    if (seen < MAX_PER_CATEGORY) this.lines.push(message);
  }

  list(): string[] {
    const omitted = [...this.counts].filter(([, n]) => n > MAX_PER_CATEGORY);
    return [...this.lines, ...omitted.map(([category, n]) => `${n - MAX_PER_CATEGORY} more warnings like: ${category}`)];
  }
}
