// Every documented option works with every other (issue 18, finding 2): the built command started under
// combinations of --context-path, --host, --port 0, --state-file and --validation lenient, and every URL its
// banner advertises answering; outside the context path, the reserved paths answer 404 naming the right URL.
// The library started with a context path: its control calls reach the controls.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startGijMock, type GijMock } from '../src/index.js';
import { runCli, type CliRun } from './helpers/run-cli.js';
import { ensureBuilt } from './helpers/spawn-server.js';

const ADMIN = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
const STARTUP_BUDGET_MS = 15_000;

/** Whether this box can listen on ::1 (containers often have no IPv6 loopback). */
const ipv6Loopback = await new Promise<boolean>((resolve) => {
  const probe = createServer();
  probe.once('error', () => resolve(false));
  probe.listen(0, '::1', () => probe.close(() => resolve(true)));
});

const tempDirs: string[] = [];
const runs: CliRun[] = [];
afterEach(async () => {
  for (const run of runs.splice(0)) {
    run.child.kill('SIGTERM');
    await run.exited;
  }
});
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Banner { base: string; api: string; docs: string; controls: string }

/** Waits for the whole banner and returns the URLs it advertises. */
async function bannerOf(run: CliRun): Promise<Banner> {
  const deadline = Date.now() + STARTUP_BUDGET_MS;
  while (!run.stdout().includes('  Auth:')) {
    if (run.child.exitCode !== null || Date.now() > deadline) throw new Error(`no banner: ${run.stdout()} ${run.stderr()}`);
    await new Promise((resolve) => run.child.stdout!.once('data', resolve).once('close', resolve));
  }
  const url = (label: string) => new RegExp(`^ {2}${label}: (http://\\S+)`, 'm').exec(run.stdout())?.[1] ?? '';
  const base = /^gij-mock listening on (http:\/\/\S+)$/m.exec(run.stdout())?.[1] ?? '';
  return { base, api: url('API'), docs: url('Docs'), controls: url('Controls') };
}

const ROWS = ['', '/jira'].flatMap((contextPath) => ['127.0.0.1', '::1'].map((host) => ({ contextPath, host })));

describe('gij-mock under --context-path × --host, with --port 0 --state-file --validation lenient: every advertised URL answers', () => {
  for (const { contextPath, host } of ROWS) {
    const name = `--context-path '${contextPath}' --host ${host}`;
    it(name, async (ctx) => {
      if (host === '::1' && !ipv6Loopback) {
        console.log(`skipped ${name}: this machine cannot listen on the IPv6 loopback ::1`);
        return ctx.skip();
      }
      ensureBuilt();
      const dir = mkdtempSync(join(tmpdir(), 'gij-mock-context-path-'));
      tempDirs.push(dir);
      const run = runCli(['--port', '0', '--host', host, '--context-path', contextPath, '--state-file', join(dir, 'state.jsonl'), '--validation', 'lenient', '--log-level', 'warn']);
      runs.push(run);
      const banner = await bannerOf(run);
      const origin = /^http:\/\/[^/]+/.exec(banner.base)![0];
      expect(origin).toMatch(new RegExp(`^http://${host === '::1' ? '\\[::1\\]' : '127\\.0\\.0\\.1'}:\\d+$`));
      expect(banner.base).toBe(`${origin}${contextPath}`);
      expect(banner.api).toBe(`${banner.base}/rest/gitplugin/1.0/integration`);
      expect(banner.docs).toBe(`${banner.base}/docs`);
      expect(banner.controls).toBe(`${banner.base}/__mock`);

      const api = await fetch(banner.api, { headers: { authorization: ADMIN } });
      expect(api.status).toBe(200);
      expect(await api.json()).toEqual({ success: true, integrations: [] });
      for (const page of [banner.docs, `${banner.docs}/mock-admin`, `${banner.base}/`]) {
        const res = await fetch(page);
        expect(res.status, page).toBe(200);
        expect(res.headers.get('content-type'), page).toMatch(/^text\/html/);
        expect(await res.text(), page).toMatch(/^<!doctype html>/);
      }
      const requests = await fetch(`${banner.controls}/requests`);
      expect(requests.status).toBe(200);
      expect(((await requests.json()) as { requests: unknown[] }).requests.length).toBe(1);
      const reset = await fetch(`${banner.controls}/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(reset.status).toBe(200);
      for (const file of ['openapi.yaml', 'openapi.json', 'mock-admin.yaml']) expect((await fetch(`${banner.base}/${file}`)).status, file).toBe(200);

      if (contextPath === '') return;
      // Outside the context path: 404 in the envelope, with advice naming the URL under it.
      for (const path of ['/__mock/requests', '/docs', '/openapi.yaml']) {
        const outside = await fetch(`${origin}${path}`);
        expect(outside.status, path).toBe(404);
        const body = (await outside.json()) as { success: boolean; error: string; advice: string };
        expect(body.success).toBe(false);
        expect(body.advice).toContain(`use ${contextPath}${path}`);
      }
    });
  }
});

describe('the library under a context path', () => {
  const mocks: GijMock[] = [];
  afterEach(async () => {
    await Promise.all(mocks.splice(0).map((m) => m.close()));
  });

  it("startGijMock({ port: 0, contextPath: '/jira' }): reset(), requests(), state() reach the controls", async () => {
    const mock = await startGijMock({ port: 0, contextPath: '/jira' });
    mocks.push(mock);
    const added = await fetch(`${mock.apiUrl}/integration`, { method: 'POST', headers: { authorization: ADMIN, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'GITHUB', pat: 'x', displayName: 'under /jira' }) });
    expect(added.status).toBe(200);
    expect((await mock.requests()).requests.map((r) => r.path)).toEqual(['/jira/rest/gitplugin/1.0/integration']);
    expect((await mock.state()).integrations.map((i) => i.displayName)).toEqual(['under /jira']);
    await mock.reset();
    expect((await mock.state()).integrations).toEqual([]);
    expect((await mock.faults()).rules).toEqual([]);
  });
});
