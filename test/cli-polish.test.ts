// The built `gij-mock` command's --version, banner and listen failure (issue 11), spawned as a user runs it.
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../src/spec.js';
import { runCli, type CliRun } from './helpers/run-cli.js';
import { ensureBuilt } from './helpers/spawn-server.js';

const children: ChildProcess[] = [];
const blockers: Server[] = [];

function run(args: string[]): CliRun {
  const r = runCli(args);
  children.push(r.child);
  return r;
}

beforeAll(() => ensureBuilt());
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(blockers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('gij-mock CLI polish', () => {
  it('gij-mock --version and -v print the package.json version and exit 0', async () => {
    const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const r = run([flag]);
      expect(await r.exited).toBe(0);
      expect(r.stdout()).toBe(`${version}\n`);
    }
  });

  it('gij-mock --port <a port in use> prints one line naming host, port and cause and exits 1', async () => {
    const blocker = createServer();
    blockers.push(blocker);
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)));
    const r = run(['--port', String(port), '--log-level', 'silent']);
    expect(await r.exited).toBe(1);
    expect(r.stderr()).toBe(`gij-mock: cannot listen on 127.0.0.1:${port}: the port is already in use (EADDRINUSE)\n`);
    expect(r.stdout()).toBe('');
  });

  it('the command starts from the code cache the build wrote, and without it when V8 refuses it or the bundle changed', () => {
    // As bin/gij-mock.cjs loads the bundle: in a Node.js with default flags (the build's); with one V8 flag
    // more, which makes V8 refuse the cache; and with a cache file whose SHA-256 names another bundle.
    const cache = join(projectRoot, 'dist', 'bundle', 'gij-mock.code-cache');
    const probe = (cachePath: string) => `const l = require('./bin/load-bundle.cjs').loadBundle({ cachePath: ${JSON.stringify(cachePath)} }); process.stdout.write(JSON.stringify({ used: l.codeCacheUsed, runCli: typeof l.exports.runCli, start: typeof l.exports.startGijMock }))`;
    const load = (flags: string[], cachePath = cache) => JSON.parse(execFileSync(process.execPath, [...flags, '-e', probe(cachePath)], { cwd: projectRoot, encoding: 'utf8' })) as Record<string, unknown>;
    expect(statSync(cache).size).toBeGreaterThan(100_000);
    expect(load([])).toEqual({ used: true, runCli: 'function', start: 'function' });
    expect(load(['--max-lazy'])).toEqual({ used: false, runCli: 'function', start: 'function' });
    const otherBundles = join(mkdtempSync(join(tmpdir(), 'gij-mock-code-cache-')), 'gij-mock.code-cache');
    const bytes = readFileSync(cache);
    bytes[0] = bytes[0]! ^ 0xff; // the digest of a bundle that differs from this one; V8's data unchanged
    writeFileSync(otherBundles, bytes);
    expect(load([], otherBundles)).toEqual({ used: false, runCli: 'function', start: 'function' });
    rmSync(dirname(otherBundles), { recursive: true });
  });

  it('gij-mock --port 0 banner: first line "listening on <url>", then the bound port and the API, docs and controls URLs', async () => {
    const r = run(['--port', '0', '--log-level', 'silent', '--context-path', '/jira']);
    for (let waited = 0; waited < 10_000 && !r.stdout().includes('Auth:'); waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    const lines = r.stdout().split('\n');
    const m = /^gij-mock listening on http:\/\/127\.0\.0\.1:(\d+)\/jira$/.exec(lines[0]!);
    expect(m, r.stdout()).not.toBeNull();
    const port = m![1]!;
    expect(lines).toContain(`  Port: ${port}`);
    expect(lines).toContain(`  API: http://127.0.0.1:${port}/jira/rest/gitplugin/1.0/integration`);
    expect(lines).toContain(`  Docs: http://127.0.0.1:${port}/jira/docs`);
    expect(lines.some((l) => l.startsWith(`  Controls: http://127.0.0.1:${port}/jira/__mock `))).toBe(true);
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
  });
});
