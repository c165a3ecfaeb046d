#!/usr/bin/env node
// The CLI is built by `npm run build` into dist-cli/ (Node cannot run the TypeScript sources).
import { existsSync } from 'node:fs';
const entry = new URL('../dist-cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('dumpscrub: the CLI is not built yet; run `npm run build` first\n');
  process.exit(2);
}
await import(entry.href);
