#!/usr/bin/env node
// The installed command: runs the bundle (in the published package; in a clone `npm ci` builds it through
// `prepare`). CommonJS, as the bundle is, loaded with V8's code cache (load-bundle.cjs).
'use strict';
const { existsSync } = require('node:fs');
const { BUNDLE, loadBundle } = require('./load-bundle.cjs');

if (!existsSync(BUNDLE)) {
  process.stderr.write('gij-mock: dist/bundle/gij-mock.cjs is missing; run `npm run build` (or `npm ci`) first.\n');
  process.exit(2);
}
loadBundle().exports.runCli();
