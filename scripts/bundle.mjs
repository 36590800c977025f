// Part of `npm run build`: bundles the library and the command (src/core.ts) with every runtime dependency
// into one CommonJS file, dist/bundle/gij-mock.cjs, which bin/gij-mock.cjs runs; dist/lib/index.mjs is the
// library's ES module face over it, written here with the library's self-contained .d.ts files. The
// published package therefore has no dependencies. Why CommonJS, ASCII, no white space and lazy files:
// start-up (bench/results.md, notes, "2b. Start-up on the second development box").
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, posix } from 'node:path';
import { build } from 'esbuild';

const BUNDLE = 'dist/bundle/gij-mock.cjs';
// Outputs of earlier layouts (an ES module bundle with a shared chunk), so that no stale file is packed.
for (const old of ['dist/chunks', 'dist/bundle/gij-mock.code-cache', 'dist/server/gij-mock.mjs', 'dist/server/gij-mock.mjs.map', 'dist/lib/index.mjs.map']) rmSync(old, { recursive: true, force: true });

// Dependencies that are required only on paths a start does not take, each built into a file of its own in
// dist/bundle/lazy/ and required from there when used: the start reads, and V8 parses, half as much.
// The patch of express-openapi-validator makes its requires of the first four lazy; iconv-lite requires its
// encoding tables when a body with a charset arrives. A require that no longer matches stays in the bundle.
const LAZY = [
  { request: 'multer', file: 'multer' }, // the validator's fileUploader, off
  { request: '@apidevtools/json-schema-ref-parser', file: 'json-schema-ref-parser' }, // $refParser 'bundle'
  { request: 'ajv-draft-04', file: 'ajv-draft-04' }, // OpenAPI 3.0 documents
  { request: './openapi.schema.validator', from: 'express-openapi-validator/dist/framework/', file: 'openapi-schema-validator' }, // validateApiSpec, off
  { request: '../encodings', from: 'iconv-lite/lib/', file: 'iconv-lite-encodings' },
];
const lazyFiles = (dir) => ({
  name: 'lazy-files',
  setup(builder) {
    for (const { request, from, file } of LAZY) {
      const filter = new RegExp(`^${request.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
      builder.onResolve({ filter }, (args) => (args.kind === 'entry-point' || (from && !args.importer.replaceAll('\\', '/').includes(`/node_modules/${from}`)) ? undefined : { path: `${dir}${file}.cjs`, external: true }));
    }
  },
});
const options = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Node reads a file that is all ASCII into a one-byte string without decoding it; comments (some with
  // non-ASCII letters) and white space go, names stay (stack traces and profiles remain readable).
  charset: 'ascii',
  minifyWhitespace: true,
  // Lines of at most ~400 characters: Node prints the source line of an uncaught error's throw site, and a
  // one-line bundle made that 20 KB of code on stderr (issue 18). Costs a few KB of newlines, no start-up.
  lineLimit: 400,
  minifySyntax: true,
  legalComments: 'none',
  sourcemap: true,
  // src/spec.ts finds the package root from its module URL.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
};
rmSync('dist/bundle/lazy', { recursive: true, force: true });
await build({ ...options, entryPoints: ['src/core.ts'], outfile: BUNDLE, plugins: [lazyFiles('./lazy/')] });
for (const { request, from, file } of LAZY) {
  const entry = from ? `./${posix.join('node_modules', from, request)}` : request;
  await build({ ...options, entryPoints: [entry], outfile: `dist/bundle/lazy/${file}.cjs`, plugins: [lazyFiles('./')] });
}
// The engine's precompiled validators (scripts/build-validators.mjs) with the Ajv runtime and formats they
// require, a file of their own that src/engine/validate.ts requires on the first request.
await build({ ...options, entryPoints: ['dist/validators/source.cjs'], outfile: 'dist/bundle/validators.cjs' });

// The ES module face of the library: the bundle's exports, less the command's runCli.
const exported = Object.keys(createRequire(import.meta.url)(join(process.cwd(), BUNDLE))).filter((name) => name !== 'runCli' && name !== '__esModule');
mkdirSync('dist/lib', { recursive: true });
writeFileSync(
  'dist/lib/index.mjs',
  [
    '// gij-mock\'s library as an ES module; its code is the bundle the command runs (scripts/bundle.mjs).',
    "import { createRequire } from 'node:module';",
    '// As bin/gij-mock.cjs: below the engines minimum, one clear sentence instead of whatever the bundle would do.',
    "const [major, minor] = process.versions.node.split('.').map(Number);",
    "if (major < 20 || (major === 20 && minor < 19)) throw new Error(`gij-mock needs Node.js >= 20.19; this is ${process.versions.node}`);",
    "const bundle = createRequire(import.meta.url)('../bundle/gij-mock.cjs');",
    ...exported.map((name) => `export const ${name} = bundle.${name};`),
    '',
  ].join('\n'),
);

// The library's types: the declarations tsc wrote to dist/server for the public modules (they import
// only each other and the generated spec types), and the generated types themselves.
const publicModules = ['index', 'types', 'public-types', 'mock-client'];
rmSync('dist/lib/generated', { recursive: true, force: true });
mkdirSync('dist/lib/generated', { recursive: true });
for (const name of publicModules) copyFileSync(join('dist/server', `${name}.d.ts`), join('dist/lib', `${name}.d.ts`));
for (const file of readdirSync('src/generated').filter((f) => f.endsWith('.d.ts'))) copyFileSync(join('src/generated', file), join('dist/lib/generated', file));
await import('./bundle-msw.mjs');
