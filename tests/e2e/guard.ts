/**
 * Every e2e test runs under this guard: "nothing leaves the machine" is checked on every page
 * load, upload and download, not in one dedicated test that could pass while others leak. It also
 * checks that each worker the page started was terminated by the end (one worker per job).
 */

import { test as base, expect, type Page } from '@playwright/test';

declare global {
  interface Window {
    __liveWorkers: Set<Worker>;
  }
}

/**
 * Runs in the page before its scripts. Counts only the page's own workers; Playwright's
 * page.workers() is not used because its close events for terminated workers sometimes arrive
 * seconds late.
 */
function trackWorkers(): void {
  const live = new Set<Worker>();
  window.__liveWorkers = live;
  window.Worker = class extends window.Worker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      live.add(this);
    }
    override terminate(): void {
      live.delete(this);
      super.terminate();
    }
  };
}

export const test = base.extend<{ guard: void }>({
  guard: [
    async ({ context }, use) => {
      const problems: string[] = [];
      context.on('request', (request) => {
        const url = new URL(request.url());
        if (url.protocol === 'blob:' || url.protocol === 'data:') return;
        if (url.hostname !== '127.0.0.1') problems.push(`request left the machine: ${request.url()}`);
      });
      context.on('response', (response) => {
        if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
      });
      context.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
      });
      context.on('weberror', (error) => problems.push(`uncaught in page: ${error.error().message}`));
      await context.addInitScript(trackWorkers);

      await use();

      expect(problems, 'requests off 127.0.0.1, HTTP errors and console errors').toEqual([]);
      for (const page of context.pages()) {
        expect(await liveWorkers(page), 'workers left running').toBe(0);
      }
    },
    { auto: true },
  ],
});

export { expect };

/** Workers the page started and has not terminated. */
export function liveWorkers(page: Page): Promise<number> {
  return page.evaluate(() => window.__liveWorkers.size);
}
