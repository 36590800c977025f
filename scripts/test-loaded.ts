// npm run test:loaded: the test files that start the built command as a child (runCli / spawnServer;
// scripts/test-files.ts finds them) run once more while two busy-loop processes keep both cores of a
// small CI runner busy, so a test that only holds on an idle machine fails here rather than at random.
// The busy loops are pure CPU, end by themselves after LOAD_LIMIT_MS and are killed by pid at the end.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { projectRoot } from '../src/spec.js';
import { spawnsServer, testFiles, VITEST } from './test-files.js';

const BUSY_LOOPS = 2;
const LOAD_LIMIT_MS = 10 * 60_000;

const files = testFiles().filter(spawnsServer);
if (files.length === 0) throw new Error('test:loaded found no test file that starts the command');
const busy: ChildProcess[] = Array.from({ length: BUSY_LOOPS }, () =>
  spawn(process.execPath, ['-e', `const end = Date.now() + ${LOAD_LIMIT_MS}; while (Date.now() < end) {}`], { stdio: 'ignore' }));
const started = performance.now();
let status: number | null = 1;
try {
  console.log(`test:loaded: ${files.length} files under ${BUSY_LOOPS} busy loops (pids ${busy.map((b) => b.pid).join(', ')}): ${files.join(' ')}`);
  status = spawnSync(process.execPath, [VITEST, 'run', ...files], { cwd: projectRoot, stdio: 'inherit' }).status;
} finally {
  for (const b of busy) if (b.exitCode === null) b.kill('SIGKILL');
}
console.log(`test:loaded: ${status === 0 ? 'passed' : 'FAILED'} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exit(status ?? 1);
