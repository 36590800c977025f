// Loads the bundle dist/bundle/gij-mock.cjs (the command and the library, scripts/bundle.mjs) with V8's
// code cache: dist/bundle/gij-mock.code-cache, written by the build (scripts/build-code-cache.ts) with the
// Node.js that built it, holds the compiled functions of a start and its first requests, so the bundle is not
// parsed and compiled again (bench/results.md, start-up). The file is the SHA-256 of the bundle it was made
// from, then V8's data: V8 itself checks only the source's length, so a bundle changed since (rebuilt
// without the cache step, or patched in node_modules) must not get it. V8 refuses a cache of another
// Node.js version or other V8 flags; without a cache the bundle is compiled as require() would.
'use strict';
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const BUNDLE = join(__dirname, '..', 'dist', 'bundle', 'gij-mock.cjs');
const CODE_CACHE = join(__dirname, '..', 'dist', 'bundle', 'gij-mock.code-cache');
const DIGEST_BYTES = 32;

const digestOf = (bundleBytes) => createHash('sha256').update(bundleBytes).digest();

/** V8's data in the cache file at `path` if it was made from these bundle bytes; else undefined (compile). */
function readCodeCache(path, bundleBytes) {
  let file;
  try {
    file = readFileSync(path);
  } catch {
    return undefined; // not built (yet)
  }
  const madeFromThisBundle = file.length > DIGEST_BYTES && file.subarray(0, DIGEST_BYTES).equals(digestOf(bundleBytes));
  return madeFromThisBundle ? file.subarray(DIGEST_BYTES) : undefined;
}

/**
 * Runs the bundle as a CommonJS module; returns its exports, the compiled script (the build makes the
 * cache from it, see codeCacheFile) and whether a code cache was used. `{ codeCache: false }` compiles
 * afresh; `cachePath` reads the cache from another file.
 */
function loadBundle({ codeCache = true, cachePath = CODE_CACHE } = {}) {
  const bundleBytes = readFileSync(BUNDLE);
  const cachedData = codeCache ? readCodeCache(cachePath, bundleBytes) : undefined;
  const script = new vm.Script(Module.wrap(bundleBytes.toString('utf8')), { filename: BUNDLE, cachedData });
  const bundle = { exports: {} };
  script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(BUNDLE), bundle, BUNDLE, dirname(BUNDLE));
  return { exports: bundle.exports, script, codeCacheUsed: cachedData !== undefined && script.cachedDataRejected === false };
}

/** The cache file's bytes for a script loadBundle compiled: the bundle's SHA-256, then V8's data. */
function codeCacheFile(script) {
  return Buffer.concat([digestOf(readFileSync(BUNDLE)), script.createCachedData()]);
}

module.exports = { BUNDLE, CODE_CACHE, codeCacheFile, loadBundle };
