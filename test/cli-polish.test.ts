// The built `gij-mock` command's --version, banner and listen failure (issue 11), spawned as a user runs it.
import { type ChildProcess, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
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

  it('on a Node.js below the engines minimum the command prints one line and exits 1, before loading the bundle', () => {
    // As Node 18.20.8 reports itself (the Node matrix runs the real one: npm run test:node-matrix). The bundle
    // is never required: require.cache would hold it if it had been.
    const script = `Object.defineProperty(process.versions, 'node', { value: '18.20.8' }); process.on('exit', () => { if (Object.keys(require.cache).some((f) => f.endsWith('gij-mock.cjs') && f.includes('dist'))) process.exitCode = 99; }); require('./bin/gij-mock.cjs')`;
    const r = spawnSync(process.execPath, ['-e', script, '--', 'bin/gij-mock.cjs', '--version'], { cwd: projectRoot, encoding: 'utf8', timeout: 20_000 });
    expect({ status: r.status, stderr: r.stderr, stdout: r.stdout }).toEqual({ status: 1, stderr: 'gij-mock needs Node.js >= 20.19; this is 18.20.8\n', stdout: '' });
  });

  it('no V8 code cache is built, shipped or read: a cache from another Node.js build could crash the command (issue 18)', () => {
    const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { files: string[]; scripts: Record<string, string> };
    expect(manifest.files.filter((f) => /code-cache|load-bundle/.test(f))).toEqual([]);
    expect(manifest.scripts.build).not.toMatch(/code-cache/);
    expect(existsSync(join(projectRoot, 'dist', 'bundle', 'gij-mock.code-cache'))).toBe(false);
    expect(readFileSync(join(projectRoot, 'bin', 'gij-mock.cjs'), 'utf8')).not.toMatch(/cachedData|vm\.Script/);
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
