#!/usr/bin/env node
// The installed command: runs the bundled server (in the published package; in a clone `npm ci` builds it through `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/server/gij-mock.mjs', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('gij-mock: dist/server/gij-mock.mjs is missing; run `npm run build` (or `npm ci`) first.\n');
  process.exit(2);
}
await import(main.href);
