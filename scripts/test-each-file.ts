// npm run test:each-file [-- --spawned] [-- --contract] [files…]: runs every test file ALONE, one after
// the other (its own vitest run, global setup and teardown), so a file that only passes beside others,
// trips the coverage gate on its own or leaves something in TMPDIR is named. Prints each file's time
// and result; exits 1 if any file failed. --spawned / --contract keep the files that start the command
// or check the contract (the ones most likely to depend on their neighbours); both: either kind.
import { spawnSync } from 'node:child_process';
import { projectRoot } from '../src/spec.js';
import { checksContract, spawnsServer, testFiles, VITEST } from './test-files.js';

const args = process.argv.slice(2);
const named = args.filter((a) => !a.startsWith('--'));
const kinds = [args.includes('--spawned') && spawnsServer, args.includes('--contract') && checksContract].filter((k) => k !== false);
const files = named.length ? named : testFiles().filter((f) => kinds.length === 0 || kinds.some((k) => k(f)));

const results: Array<{ file: string; ok: boolean; seconds: number }> = [];
const started = performance.now();
for (const file of files) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [VITEST, 'run', file], { cwd: projectRoot, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, maxBuffer: 64 << 20 });
  const result = { file, ok: r.status === 0, seconds: (performance.now() - t0) / 1000 };
  results.push(result);
  console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${result.seconds.toFixed(1).padStart(6)} s  ${file}`);
  if (!result.ok) console.log(`${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /FAIL|Error|×|left|exercised/.test(l)).slice(0, 20).join('\n'));
}
const failed = results.filter((r) => !r.ok);
console.log(`${files.length} files alone in ${((performance.now() - started) / 1000).toFixed(0)} s: ${files.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length || files.length === 0 ? 1 : 0);
