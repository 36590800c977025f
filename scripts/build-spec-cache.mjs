// Part of `npm run build`: writes dist/spec/*.json, the parsed specs the server reads instead of YAML,
// and dist/openapi/*.json, their plain JSON twins (published as gij-mock/openapi.json and gij-mock/mock-admin.json).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, writeSpecCache } from '../dist/server/spec.js';

const names = ['openapi', 'mock-admin'];
writeSpecCache(names.map((name) => join(projectRoot, 'openapi', `${name}.yaml`)));
mkdirSync(join(projectRoot, 'dist', 'openapi'), { recursive: true });
for (const name of names) {
  const { document } = JSON.parse(readFileSync(join(projectRoot, 'dist', 'spec', `${name}.json`), 'utf8'));
  writeFileSync(join(projectRoot, 'dist', 'openapi', `${name}.json`), `${JSON.stringify(document, null, 2)}\n`);
}
