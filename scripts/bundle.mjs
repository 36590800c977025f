// Part of `npm run build`: bundles the server and its dependencies into dist/server/gij-mock.mjs, the
// file bin/gij-mock.js runs, and the library (src/index.ts) into dist/lib/index.mjs (shared code in dist/chunks/) with its
// self-contained .d.ts files. One file instead of ~400 modules cut start-up by ~70 ms (bench/results.md);
// the bundles inline every runtime dependency, so the published package has none.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // Dependencies written as CommonJS call require() for Node's own modules; an ES module has none.
  banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
  logLevel: 'warning',
};
// One build with code splitting: what the command and the library share (express, the validator, the
// app) is one chunk in dist/chunks/, not two copies. Old chunks go first: their names carry a hash.
rmSync('dist/chunks', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: [{ in: 'src/main.ts', out: 'server/gij-mock' }, { in: 'src/index.ts', out: 'lib/index' }],
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
});

// The library's types: the declarations tsc wrote to dist/server for the public modules (they import
// only each other and the generated spec types), and the generated types themselves.
const publicModules = ['index', 'types', 'public-types', 'mock-client'];
rmSync('dist/lib/generated', { recursive: true, force: true });
mkdirSync('dist/lib/generated', { recursive: true });
for (const name of publicModules) copyFileSync(join('dist/server', `${name}.d.ts`), join('dist/lib', `${name}.d.ts`));
for (const file of readdirSync('src/generated').filter((f) => f.endsWith('.d.ts'))) copyFileSync(join('src/generated', file), join('dist/lib/generated', file));
