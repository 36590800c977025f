#!/usr/bin/env node
// The installed command: runs the bundle dist/bundle/gij-mock.cjs (in the published package; in a clone
// `npm ci` builds it through `prepare`). No V8 code cache is shipped: a cache made by one Node.js build crashed
// others of the same V8 version (exit 139 on Node 20.19.0), for a few ms of start-up (README "Install and start cost").
// This file must parse and run on any old Node.js, so that one below the minimum gets one line, not a crash:
// no syntax newer than ES5 and nothing loaded before the check.
'use strict';
var MINIMUM = [20, 19];
var running = process.versions.node.split('.').map(Number);
if (running[0] < MINIMUM[0] || (running[0] === MINIMUM[0] && running[1] < MINIMUM[1])) {
  process.stderr.write('gij-mock needs Node.js >= ' + MINIMUM.join('.') + '; this is ' + process.versions.node + '\n');
  process.exit(1);
}
var BUNDLE = require('path').join(__dirname, '..', 'dist', 'bundle', 'gij-mock.cjs');
if (!require('fs').existsSync(BUNDLE)) {
  process.stderr.write('gij-mock: dist/bundle/gij-mock.cjs is missing; run `npm run build` (or `npm ci`) first.\n');
  process.exit(2);
}
require(BUNDLE).runCli();
