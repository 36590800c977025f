// The Python provisioning recipe (examples/python/test_provisioning.py) as npm test runs it: python3's unittest
// against the built command (GIJ_MOCK_COMMAND = node bin/gij-mock.cjs; test:package runs it through npx on the
// installed tarball). The recipe asserts every id, thread id and date of the workflow itself.
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/spec.js';
import { BIN } from './helpers/run-cli.js';
import { ensureBuilt } from './helpers/spawn-server.js';

const hasPython = (() => { try { execFileSync('python3', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; } })();
// Skipped only on a developer's machine without python3; in CI (.ci/run installs it) a missing python3 fails.
const skip = !hasPython && !process.env.CI;
if (skip) console.warn('recipe-python: python3 not found, the Python recipe is skipped (CI=true makes that a failure)');

describe.skipIf(skip)('examples/python/test_provisioning.py', () => {
  it('add, wait until indexed, disable one, reindex, remove with its cascade: the recipe passes against the built server', async () => {
    ensureBuilt();
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'PORT' && !k.startsWith('GIJ_MOCK_'))), GIJ_MOCK_COMMAND: `"${process.execPath}" "${BIN}"` };
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile('python3', ['-m', 'unittest', '-v', 'test_provisioning'], { cwd: join(projectRoot, 'examples', 'python'), env, timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
      });
    });
    expect(hasPython, 'python3 is not on PATH').toBe(true);
    expect(output, output).toMatch(/Ran 1 test[\s\S]*\nOK\s*$/);
    expect(code).toBe(0);
  }, 70_000);
});
