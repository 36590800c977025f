// "Today's gij-mock" for the peers series: main as it was before issue 20's engine (TODAY_REF), built once into
// a directory of the OS temp dir and reused by later runs, so a run after the engine merges still compares its
// Express host and its RSS with the code users had before, in the same rounds. `--today=<git ref>` picks another.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/spec.js';

/** main at the merge of issue 19 (2026-12-07), the last commit before the engine of issue 20. */
export const TODAY_REF = '3ab7a07ac1b0575cdbd74f3ea94ddb742b1f279b';

/** The built tree of `ref` (its bin/gij-mock.cjs and dist/), building it first if this machine has not yet. */
export function todayTree(ref: string, log: (line: string) => void): { dir: string; commit: string } {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: projectRoot, encoding: 'utf8' }).trim();
  const dir = join(tmpdir(), 'gij-mock-bench', `today-${commit.slice(0, 12)}`);
  const built = ['bin/gij-mock.cjs', 'dist/bundle/gij-mock.cjs', 'dist/bundle/gij-mock.code-cache', 'dist/lib/index.mjs'];
  if (built.every((f) => existsSync(join(dir, f)))) return { dir, commit };
  log(`  building today's gij-mock (${commit.slice(0, 12)}) into ${dir}, once`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tar = execFileSync('git', ['archive', commit], { cwd: projectRoot, maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  // This tree's node_modules (patched): the old build needs nothing the new one dropped.
  symlinkSync(join(projectRoot, 'node_modules'), join(dir, 'node_modules'));
  try {
    execFileSync('npm', ['run', 'build'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { dir, commit };
}
