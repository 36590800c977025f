// The library (src/index.ts): startGijMock, its controls client, createApp as a plain Node handler,
// and option checking shared with the CLI.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, startGijMock, type GijMock, type StateExport } from '../src/index.js';

const ADMIN = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
const mocks: GijMock[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((m) => m.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function start(options: Parameters<typeof startGijMock>[0] = {}): Promise<GijMock> {
  const mock = await startGijMock(options);
  mocks.push(mock);
  return mock;
}
const displayNames = (state: StateExport) => state.integrations.map((i) => i.displayName);
const add = (apiUrl: string, session: string, displayName: string) =>
  fetch(`${apiUrl}/integration`, {
    method: 'POST',
    headers: { authorization: ADMIN, 'content-type': 'application/json', 'x-mock-session': session },
    body: JSON.stringify({ type: 'GITHUB', pat: 'secret-pat', displayName }),
  });

describe('startGijMock', () => {
  it('startGijMock({contextPath}) listens on a free loopback port; url and apiUrl carry the context path', async () => {
    const mock = await start({ contextPath: '/jira' });
    expect(mock.url).toBe(`http://127.0.0.1:${mock.port}/jira`);
    expect(mock.apiUrl).toBe(`${mock.url}/rest/gitplugin/1.0`);
    const res = await fetch(`${mock.apiUrl}/integration`, { headers: { authorization: ADMIN } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true, integrations: [] });
  });

  it('mock.state/requests/reset are scoped by session: an add in session a shows in a only, reset clears it', async () => {
    const mock = await start();
    expect((await add(mock.apiUrl, 'a', 'from a')).status).toBe(200);
    expect(displayNames(await mock.state({ session: 'a' }))).toEqual(['from a']);
    expect((await mock.state({ session: 'b' })).integrations).toEqual([]);
    const journal = await mock.requests({ operationId: 'addIntegration', session: 'a' });
    expect(journal.requests.map((r) => r.session)).toEqual(['a']);
    expect(JSON.stringify(journal)).not.toContain('secret-pat');
    await mock.reset({ session: 'a' });
    expect((await mock.state({ session: 'a' })).integrations).toEqual([]);
  });

  it('mock.setState(doc, {session}) replaces that session store; a bad doc rejects naming the status and the problem', async () => {
    const mock = await start();
    const loaded = await mock.setState({ integrations: [{ type: 'GITHUB', pat: 'p', displayName: 'seeded' }] }, { session: 's' });
    expect(loaded).toEqual({ success: true, integrations: 1 });
    expect(displayNames(await mock.state({ session: 's' }))).toEqual(['seeded']);
    await expect(mock.setState({ integrations: [{ type: 'NOPE' }] } as never, { session: 's' })).rejects.toThrow(/answered 400/);
    expect((await mock.state({ session: 's' })).integrations).toHaveLength(1);
  });

  it('mock.setFaults({rules, seed}) makes the next matching API call fail with the rule status; empty rules turn it off', async () => {
    const mock = await start();
    const set = await mock.setFaults({ rules: [{ operationId: 'listIntegrations', status: 503 }], seed: 7 });
    expect(set.rules).toHaveLength(1);
    expect((await fetch(`${mock.apiUrl}/integration`, { headers: { authorization: ADMIN } })).status).toBe(503);
    await mock.setFaults({ rules: [] });
    expect((await fetch(`${mock.apiUrl}/integration`, { headers: { authorization: ADMIN } })).status).toBe(200);
  });

  it('mock.setHosts/advanceIndex/hosts/resetHosts drive discovery and the indexing clock of a session', async () => {
    const mock = await start({ clock: 1_700_000_000_000, indexDelayMs: 1000 });
    const set = await mock.setHosts({ byType: { GITHUB: [{ name: 'one', group: 'org' }, { name: 'two', group: 'org' }] } }, { session: 'p' });
    expect(set.byType?.GITHUB?.map((r) => r.name)).toEqual(['one', 'two']);
    expect((await mock.hosts({ session: 'other' })).byType?.GITHUB?.map((r) => r.name)).toEqual(['test-repo', 'acme', 'applanix-site-viewer']);
    expect((await add(mock.apiUrl, 'p', 'host')).status).toBe(200);
    const states = async () => {
      const res = await fetch(`${mock.apiUrl}/repository`, { headers: { authorization: ADMIN, 'x-mock-session': 'p' } });
      return ((await res.json()) as { repositories: Array<{ id: number; state: string }> }).repositories.map((r) => `${r.id} ${r.state}`);
    };
    expect(await states()).toEqual(['2 QUEUED', '3 QUEUED']);
    expect(await mock.advanceIndex({ steps: 3 }, { session: 'p' })).toEqual({ success: true, clock: 1_700_000_001_000, idle: false });
    expect(await states()).toEqual(['2 UPDATED', '3 INDEXING']);
    expect((await mock.advanceIndex({ ms: 1000 }, { session: 'p' })).idle).toBe(true);
    expect(await states()).toEqual(['2 UPDATED', '3 UPDATED']);
    await expect(mock.advanceIndex({ ms: -1 }, { session: 'p' })).rejects.toThrow(/answered 400/);
    expect((await mock.resetHosts({ session: 'p' })).byType?.GITHUB?.map((r) => r.name)).toEqual(['test-repo', 'acme', 'applanix-site-viewer']);
  });

  it('startGijMock with three bad options rejects with a ConfigError listing all three problems', async () => {
    const error = await startGijMock({ port: -1, logLevel: 'loud' as never, bogus: true } as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ConfigError' });
    const problems = (error as { problems: string[] }).problems;
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/port must be a whole number/);
    expect(problems.join('\n')).toMatch(/logLevel must be one of/);
    expect(problems.join('\n')).toMatch(/unknown option bogus/);
  });

  it('startGijMock on a port in use rejects with "cannot listen on 127.0.0.1:<port>: the port is already in use"', async () => {
    const first = await start();
    await expect(startGijMock({ port: first.port })).rejects.toThrow(`cannot listen on 127.0.0.1:${first.port}: the port is already in use (EADDRINUSE)`);
  });

  it('mock.close() frees the port and [Symbol.asyncDispose] is the same close', async () => {
    const mock = await startGijMock();
    expect(mock[Symbol.asyncDispose]).toBe(mock.close);
    await mock[Symbol.asyncDispose]();
    await expect(fetch(`${mock.url}/__mock/requests`)).rejects.toThrow();
    await mock.close(); // a second close is harmless
  });
});

describe('createApp', () => {
  it('createApp() works with supertest as a plain handler: list answers 200', async () => {
    const res = await request(createApp()).get('/rest/gitplugin/1.0/integration').set('authorization', ADMIN);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, integrations: [] });
  });

  it('createApp({contextPath}) under http.createServer serves the API under the context path only', async () => {
    const server = createServer(createApp({ contextPath: '/jira' }));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect((await fetch(`${base}/jira/rest/gitplugin/1.0/integration`, { headers: { authorization: ADMIN } })).status).toBe(200);
    expect((await fetch(`${base}/rest/gitplugin/1.0/integration`, { headers: { authorization: ADMIN } })).status).toBe(404);
  });

  it('createApp({port: "x"}) throws a ConfigError naming port', () => {
    expect(() => createApp({ port: 'x' as never })).toThrow(/port must be a whole number from 0 to 65535, got 'x'/);
  });
});
