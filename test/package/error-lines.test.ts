// An uncaught error thrown by the library prints Node's source line of the throw site: the bundle keeps
// short lines (scripts/bundle.mjs lineLimit), so that is a line of code, not 20 KB of bundle (issue 18).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/spec.js';
import { ensureBuilt } from '../helpers/spawn-server.js';

const LONGEST_LINE = 1000;
const LIBRARY = pathToFileURL(join(projectRoot, 'dist', 'lib', 'index.mjs')).href;
const dir = mkdtempSync(join(tmpdir(), 'gij-mock-error-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs an ES module that uses the built library and lets its error go uncaught; resolves with its exit code and stderr. */
function runScript(name: string, body: string): Promise<{ code: number | null; stderr: string }> {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, `import { createApp, startGijMock, createMockClient } from '${LIBRARY}';\n${body}\n`);
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [file], { timeout: 20_000 }, (_err, _stdout, stderr) => resolve({ code: child.exitCode, stderr }));
  });
}

describe('an uncaught error from the library prints short lines', () => {
  const CASES = [
    // The finding: a control call that answers 404 rejects, and the rejection goes unhandled.
    { name: 'a control call that fails (rejection)', body: "const mock = await startGijMock({ port: 0, logLevel: 'silent' });\nsetTimeout(() => mock.close(), 5000).unref();\nawait createMockClient(`${mock.url}/elsewhere`).reset();", expect: /answered 404/ },
    { name: 'a bad option (synchronous throw)', body: "createApp({ port: 'x' });", expect: /port must be a whole number/ },
  ];
  for (const c of CASES) {
    it(c.name, async () => {
      ensureBuilt();
      const { code, stderr } = await runScript(c.name.replace(/\W+/g, '-'), c.body);
      expect(code).toBe(1);
      expect(stderr).toMatch(c.expect);
      const longest = Math.max(...stderr.split('\n').map((l) => l.length));
      expect(longest, stderr.slice(0, 2000)).toBeLessThanOrEqual(LONGEST_LINE);
    });
  }
});
