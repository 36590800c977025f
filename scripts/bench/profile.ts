// Profiles gij-mock under one bench scenario (run by hand when a target is missed):
//   npx tsx scripts/bench/profile.ts <get-one|add|list|startup> [cpu|alloc]
// cpu: node --cpu-prof; alloc: every allocation sampled, freed ones included (alloc-preload.ts).
// The profile goes to a fresh directory under the system temp dir; its path and summary are printed.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addOne, fill, load, type Scenario } from './load.js';
import { ensureBuilt, startServer } from './processes.js';
import { summarizeFile } from './profile-summary.js';

const [what = 'get-one', kind = 'cpu'] = process.argv.slice(2);
if (!['get-one', 'add', 'list', 'startup'].includes(what) || !['cpu', 'alloc'].includes(kind)) {
  process.stderr.write('usage: profile.ts <get-one|add|list|startup> [cpu|alloc]\n');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), `gij-mock-profile-${what}-${kind}-`));
process.env.GIJ_BENCH_PROFILE_DIR = dir;
const flags = kind === 'cpu'
  ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200']
  : ['--import', 'tsx', '--import', './scripts/bench/alloc-preload.ts'];

ensureBuilt();
// The unbundled build, so that each frame names its module (the bundle would be one file).
const server = await startServer('gij-mock', flags, process.env.GIJ_PROFILE_ENTRY ?? 'dist/server/main.js');
try {
  process.stdout.write(`gij-mock pid ${server.pid} answered after ${server.startupMs.toFixed(0)} ms\n`);
  if (what !== 'startup') {
    await addOne(server.url);
    if (what === 'list') await fill(server.url, 999);
    const r = await load(server.url, what as Scenario);
    process.stdout.write(`${what}: ${Math.round(r.reqPerSec)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.failures} failed\n`);
  }
} finally {
  await server.stop(); // SIGTERM: gij-mock exits normally, which writes the profile
}
for (const file of readdirSync(dir)) process.stdout.write(`\n== ${join(dir, file)}\n${summarizeFile(join(dir, file))}\n`);
