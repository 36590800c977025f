// prepack / postpack: the packed package.json carries no install-time lifecycle script. A clone needs `prepare`
// (patch-package, build, docs: what `npm ci && npm start` / `npm test` rely on); a user installing the tarball
// must run nothing, and npm warns "install-scripts" for a manifest that has one, even one it will not run.
// `strip` (last step of prepack) removes them from package.json and keeps the file as it was in
// package.json.unpacked; `restore` (postpack) puts it back. This is the pinst approach (husky's companion tool,
// which does the same for postinstall), without the dependency. If a pack dies in between, `restore` (or
// `git checkout package.json`) undoes it; strip refuses to run over a kept file so it can never lose the original.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export const INSTALL_LIFECYCLE = ['preinstall', 'install', 'postinstall', 'prepare'];
const MANIFEST = 'package.json';
const KEPT = 'package.json.unpacked';

const step = process.argv[2];
if (step === 'strip') {
  if (existsSync(KEPT)) throw new Error(`pack-manifest: ${KEPT} exists (an earlier pack did not finish); run \`node scripts/pack-manifest.mjs restore\` first`);
  const text = readFileSync(MANIFEST, 'utf8');
  const manifest = JSON.parse(text);
  for (const name of INSTALL_LIFECYCLE) delete manifest.scripts?.[name];
  writeFileSync(KEPT, text);
  writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
} else if (step === 'restore') {
  if (existsSync(KEPT)) renameSync(KEPT, MANIFEST);
} else {
  throw new Error('usage: node scripts/pack-manifest.mjs strip|restore');
}
