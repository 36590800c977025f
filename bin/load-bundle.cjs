// Loads the bundle dist/bundle/gij-mock.cjs (the command and the library, scripts/bundle.mjs) with V8's
// code cache: dist/bundle/gij-mock.code-cache, written by the build (scripts/build-code-cache.mjs) with the
// Node.js that built it, holds the compiled functions of a start and its first requests, so the bundle is not
// parsed and compiled again (bench/results.md, start-up). V8 refuses a cache of another Node.js version,
// other V8 flags or another bundle, and then compiles the bundle as require() would.
'use strict';
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const BUNDLE = join(__dirname, '..', 'dist', 'bundle', 'gij-mock.cjs');
const CODE_CACHE = join(__dirname, '..', 'dist', 'bundle', 'gij-mock.code-cache');

function readCodeCache() {
  try {
    return readFileSync(CODE_CACHE);
  } catch {
    return undefined; // not built (yet): compile
  }
}

/**
 * Runs the bundle as a CommonJS module; returns its exports, the compiled script (the build makes the
 * cache from it) and whether the code cache was used. `{ codeCache: false }` compiles afresh.
 */
function loadBundle({ codeCache = true } = {}) {
  const cachedData = codeCache ? readCodeCache() : undefined;
  const script = new vm.Script(Module.wrap(readFileSync(BUNDLE, 'utf8')), { filename: BUNDLE, cachedData });
  const bundle = { exports: {} };
  script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(BUNDLE), bundle, BUNDLE, dirname(BUNDLE));
  return { exports: bundle.exports, script, codeCacheUsed: cachedData !== undefined && script.cachedDataRejected === false };
}

module.exports = { BUNDLE, CODE_CACHE, loadBundle };
