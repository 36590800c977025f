// Part of `npm run build` (run by scripts/bundle.mjs): gij-mock/msw as ES modules that import msw, a peer
// dependency the user installs, and bundle everything else: dist/lib/msw.mjs for Node (setupServer) and
// dist/lib/msw.browser.mjs for browsers (setupWorker), which bundlers take by the "browser" condition of
// package.json's "./msw" export. The browser build refuses any node: module or Node built-in.
import { builtinModules } from 'node:module';
import { copyFileSync } from 'node:fs';
import { build } from 'esbuild';

const BUILTINS = new Set(builtinModules);
const noNodeModules = {
  name: 'no-node-modules',
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if (args.path.startsWith('node:') || BUILTINS.has(name)) return { errors: [{ text: `gij-mock/msw for browsers may not import ${args.path} (from ${args.importer})` }] };
      return undefined;
    });
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
await build({ ...common, platform: 'browser', target: 'es2022', minify: true, outfile: 'dist/lib/msw.browser.mjs', plugins: [noNodeModules] });
copyFileSync('dist/server/msw.d.ts', 'dist/lib/msw.d.ts');
