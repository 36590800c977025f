// npm run test:hosts [-- --hosts=node,fetch] [-- files…]: the contract, hardening, controls and property suites once per host (GIJ_TEST_HOST),
// the same files each time, then one summary line per host. Only the files whose server comes from
// test/helpers/target.ts run per host; the others (they start the command or build their own app) do
// not depend on GIJ_TEST_HOST and run once in npm test. Exits 1 when any host failed a test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../src/spec.js';
import { HOST_NAMES } from '../test/helpers/hosts.js';
import { testFiles, usesTarget, VITEST } from './test-files.js';

const SUITES = /^test\/(contract|hardening|controls|property)\//;
const args = process.argv.slice(2);
const named = args.filter((a) => !a.startsWith('--'));
const only = args.find((a) => a.startsWith('--hosts='))?.slice('--hosts='.length).split(',');
const unknown = only?.filter((h) => !(HOST_NAMES as readonly string[]).includes(h)) ?? [];
if (unknown.length) throw new Error(`test:hosts: unknown host ${unknown.join(', ')} (the hosts are ${HOST_NAMES.join(', ')})`);
const hosts = HOST_NAMES.filter((h) => !only || only.includes(h));
const files = named.length ? named : testFiles().filter((f) => SUITES.test(f) && usesTarget(f));
if (files.length === 0) throw new Error('test:hosts found no test file that uses test/helpers/target.ts');
const outDir = join(projectRoot, 'test-output', 'hosts');
mkdirSync(outDir, { recursive: true });

interface VitestJson { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number; testResults: Array<{ name: string; status: string }> }
const rows: string[] = [];
let failed = false;
for (const host of hosts) {
  const started = performance.now();
  const outputFile = join(outDir, `${host}.json`);
  console.log(`test:hosts: GIJ_TEST_HOST=${host}, ${files.length} files`);
  const r = spawnSync(process.execPath, [VITEST, 'run', '--reporter=dot', '--reporter=json', `--outputFile.json=${outputFile}`, ...files], {
    cwd: projectRoot, stdio: 'inherit', env: { ...process.env, GIJ_TEST_HOST: host },
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  let result: VitestJson | undefined;
  try { result = JSON.parse(readFileSync(outputFile, 'utf8')) as VitestJson; } catch { /* vitest did not get as far as its report */ }
  const ok = r.status === 0 && result !== undefined && result.numFailedTests === 0 && result.numPassedTests > 0;
  failed ||= !ok;
  const counts = result ? `${result.numPassedTests} passed, ${result.numFailedTests} failed, ${result.numPendingTests + result.numTodoTests} skipped` : `no report (exit ${r.status})`;
  const failing = result?.testResults.filter((t) => t.status !== 'passed').map((t) => relative(projectRoot, t.name)) ?? [];
  rows.push(`${ok ? 'ok  ' : 'FAIL'} ${host.padEnd(8)} ${counts} in ${seconds} s${failing.length ? `; failing files: ${failing.join(' ')}` : ''}`);
}
console.log(`\ntest:hosts: ${files.length} files per host\n${rows.join('\n')}`);
process.exit(failed ? 1 : 0);
