// Runs once per vitest run. Before: clears the contract coverage records and points TMPDIR at a fresh
// per-run folder (inherited by the test workers and every server they spawn). After: fails the run if
// a test left anything in that folder (then removes it), and checks contract coverage: no undocumented
// status in any run; every documented status only when the run covered every test file (a single file
// run alone cannot exercise them all).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { COVERAGE_DIR_PATH, reportCoverage } from './coverage-report.js';

let project: TestProject | undefined;
let runTmpDir: string | undefined;
const outerTmpDir = process.env.TMPDIR;

export function setup(p: TestProject): void {
  project = p;
  rmSync(COVERAGE_DIR_PATH, { recursive: true, force: true });
  runTmpDir = mkdtempSync(join(tmpdir(), 'gij-mock-test-run-'));
  process.env.TMPDIR = runTmpDir;
}

/**
 * True when every file of the include set ran, unfiltered by test name. Decided from what vitest
 * actually ran, so `npx vitest run`, `npm run test:vitest` and any runner wrapper agree, and a file
 * filter, `--shard`, `--changed` or `-t` never trips the gate.
 */
export async function isFullRun(p: TestProject): Promise<boolean> {
  if (p.vitest.config.testNamePattern) return false;
  const ran = new Set(p.vitest.state.getFilepaths().map((f) => resolve(f)));
  const { testFiles } = await p.globTestFiles();
  return testFiles.length > 0 && testFiles.every((f) => ran.has(resolve(f)));
}

/**
 * Tools' own caches, not test leftovers: tsx (run by `npm run docs` and scripts) keeps its compile cache
 * in `$TMPDIR/tsx-<uid>`. They go with the run's folder, so the outer TMPDIR stays as it was.
 */
const TOOL_CACHES = /^tsx-\d+$/;

/** Names of what tests left in the run's TMPDIR, then removes it. */
function leftInTmpDir(): string[] {
  if (!runTmpDir) return [];
  const left = readdirSync(runTmpDir).filter((name) => !TOOL_CACHES.test(name));
  rmSync(runTmpDir, { recursive: true, force: true });
  if (outerTmpDir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = outerTmpDir;
  return left;
}

export async function teardown(): Promise<void> {
  try {
    const left = leftInTmpDir();
    if (left.length) throw new Error(`Tests left ${left.length} entries in TMPDIR (remove them in afterAll/finally): ${left.join(', ')}`);
    if (project) reportCoverage(await isFullRun(project));
  } catch (e) {
    // vitest 4 only logs a teardown error ("error during close") and still exits 0.
    process.exitCode = 1;
    throw e;
  }
}
