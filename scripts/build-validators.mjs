// Part of `npm run build` (after tsc, before the bundle): writes the engine's validators as Ajv standalone
// code (src/engine/precompile.ts) to dist/validators/source.cjs, generated from the spec the package ships;
// scripts/bundle.mjs bundles it with the Ajv runtime it requires into dist/bundle/validators.cjs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { precompiledSource } from '../dist/server/engine/precompile.js';
import { defaultSpecPath, loadSpec, projectRoot } from '../dist/server/spec.js';

mkdirSync(join(projectRoot, 'dist', 'validators'), { recursive: true });
writeFileSync(join(projectRoot, 'dist', 'validators', 'source.cjs'), precompiledSource(loadSpec(defaultSpecPath)));
