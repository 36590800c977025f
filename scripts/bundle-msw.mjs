// Part of `npm run build` (run by scripts/bundle.mjs): gij-mock/msw as ES modules that import msw, a peer
// dependency the user installs, and bundle everything else: dist/lib/msw.mjs for Node (setupServer) and
// dist/lib/msw.browser.mjs for browsers (setupWorker), which bundlers take by the "browser" condition of
// package.json's "./msw" export. The browser build refuses any node: module or Node built-in.
import { builtinModules } from 'node:module';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const BUILTINS = new Set(builtinModules);
const SHIMS = { 'node:crypto': 'crypto.ts', 'node:fs': 'fs.ts', 'node:module': 'module.ts', 'node:path': 'path.ts', 'node:timers/promises': 'timers-promises.ts', 'node:url': 'url.ts' };
const noNodeModules = {
  name: 'no-node-modules',
  setup(builder) {
    // The Node platform (files) gives way to the browser's (specs built in, state in memory).
    builder.onResolve({ filter: /\/msw-platform\.js$/ }, (args) => ({ path: join(args.resolveDir, args.path.replace(/\.js$/, '.browser.ts')) }));
    // src/spec.ts with the specs built in (every importer but the stand-in itself, which re-exports the rest).
    builder.onResolve({ filter: /^\.\.?\/(\.\.\/)*spec\.js$/ }, (args) => (args.importer.includes('browser-shims') ? undefined : { path: join(process.cwd(), 'src/hosts/browser-shims/spec.ts') }));
    // The node: modules that shared modules still import, as browser stand-ins (src/hosts/browser-shims/).
    builder.onResolve({ filter: /^node:/ }, (args) => {
      const shim = SHIMS[args.path];
      return shim ? { path: join(process.cwd(), 'src/hosts/browser-shims', shim) } : { errors: [{ text: `gij-mock/msw for browsers may not import ${args.path} (from ${args.importer})` }] };
    });
    builder.onResolve({ filter: /.*/ }, (args) => (BUILTINS.has(args.path) ? { errors: [{ text: `gij-mock/msw for browsers may not import ${args.path} (from ${args.importer})` }] } : undefined));
  },
};
const common = { entryPoints: ['src/msw.ts'], bundle: true, format: 'esm', external: ['msw', 'msw/*'], legalComments: 'none', logLevel: 'warning' };
await build({
  ...common,
  platform: 'node',
  target: 'node20',
  outfile: 'dist/lib/msw.mjs',
  // Bundled CommonJS dependencies call require; src/spec.ts finds the package root from its module URL,
  // which it knows under dist/bundle/ (this file is one folder over).
  define: { 'import.meta.url': 'gijMockModuleUrl' },
  banner: { js: "import { createRequire as gijMockCreateRequire } from 'node:module'; const require = gijMockCreateRequire(import.meta.url); const gijMockModuleUrl = new URL('../bundle/msw.mjs', import.meta.url).href;" },
});
await build({ ...common, platform: 'browser', target: 'es2022', minify: true, outfile: 'dist/lib/msw.browser.mjs', plugins: [noNodeModules], inject: ['src/hosts/browser-shims/globals.ts'], define: { 'import.meta.url': '"file:///gij-mock/dist/bundle/msw.mjs"' } });
copyFileSync('dist/server/msw.d.ts', 'dist/lib/msw.d.ts');
