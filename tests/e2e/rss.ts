import { readdirSync, readFileSync } from 'node:fs';

/**
 * Resident memory (bytes) of the Chromium this test worker launched, with all its descendants:
 * browser, zygotes, renderers, GPU/utility processes, and so every worker of the page. Read from
 * /proc; Playwright's Browser object does not expose the process.
 */
export function chromiumRss(): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(`/proc/${entry}/stat`);
    if (stat === null) continue;
    // The command name in parentheses may contain spaces; the fields after it are "state ppid ...".
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  // Playwright runs in this process and spawns the browser as its direct child.
  const queue = (children.get(process.pid) ?? []).filter((pid) => readProc(`/proc/${pid}/cmdline`)?.includes('chromium'));
  let total = 0;
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readProc(`/proc/${pid}/status`) ?? '')?.[1];
    total += Number(kb ?? 0) * 1024;
    queue.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** A process can exit between listing /proc and reading it. */
function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Samples chromiumRss every 250 ms until stopped; the peak is what a job costs at worst. */
export function sampleRss(): { stop(): number } {
  let peak = chromiumRss();
  const timer = setInterval(() => {
    peak = Math.max(peak, chromiumRss());
  }, 250);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, chromiumRss());
    },
  };
}
