// The bundle's entry (scripts/bundle.mjs → dist/bundle/gij-mock.cjs): the library and the command in one
// CommonJS file, loaded by bin/gij-mock.cjs and by the library's ES module wrapper dist/lib/index.mjs.
export * from './index.js';
export { runCli } from './cli.js';
