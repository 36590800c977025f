// Which test files the suite holds (as vitest itself resolves vitest.config.ts's include/exclude), and
// which of them start the built command as a child (runCli / spawnServer / killRounds) or check answers
// against the contract (and so feed the coverage gate). Shared by test-each-file.ts and test-loaded.ts.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../src/spec.js';

export const VITEST = join(projectRoot, 'node_modules', 'vitest', 'vitest.mjs');

export function testFiles(): string[] {
  const r = spawnSync(process.execPath, [VITEST, 'list', '--filesOnly', '--json'], { cwd: projectRoot, encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`vitest list failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as Array<{ file: string }>).map((f) => relative(projectRoot, f.file)).sort();
}

const SPAWNS_SERVER = /helpers\/(run-cli|spawn-server|kill-rounds)\.js/;
const CHECKS_CONTRACT = /helpers\/(contract|expectations|fixture)\.js/;
const source = (file: string) => readFileSync(join(projectRoot, file), 'utf8');

export const spawnsServer = (file: string): boolean => SPAWNS_SERVER.test(source(file));
export const checksContract = (file: string): boolean => CHECKS_CONTRACT.test(source(file));

/** Files whose server comes from startTarget (directly or through the fixture): GIJ_TEST_HOST picks its host. */
const USES_TARGET = /\b(startTarget|useFixture)\(/;
export const usesTarget = (file: string): boolean => USES_TARGET.test(source(file));
