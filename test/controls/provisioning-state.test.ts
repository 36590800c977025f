// Issue 21's state round trip, as users run it (the built server as a child process, fixed clock): a session with
// integrations, discovered and standalone repositories, a custom host catalogue and unfinished reindex threads (some
// tasks QUEUED, one INDEXING, removals queued) is stopped with SIGKILL and restarted from --state-file, and answers
// every read exactly as before; moving the indexing clock afterwards finishes the threads exactly as a twin server
// that never restarted does. Export → import (PUT /__mock/state) round-trips the same. No credential is written.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call } from '../helpers/http.js';
import { exited, spawnServer, type Spawned } from '../helpers/spawn-server.js';
import type { Target } from '../helpers/target.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('gij-mock-provisioning-state-');
const CLOCK = 1_700_000_000_000;
const FLAGS = ['--clock', String(CLOCK), '--index-delay', '1000'];
const remote = (baseUrl: string): Target => ({ baseUrl, admin: `Basic ${Buffer.from('admin:admin').toString('base64')}`, remote: true, logLines: [], close: async () => {} });
const threadId = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** Every credential the scenario sends (integrations and repositories): none may reach a file, export or journal. */
const SECRETS = ['gh-integration-pat-1', 'ghs-integration-pat-2', 'gl-integration-pat-3', 'solo-user-4', 'solo-password-5', 'standalone-pat-6', 'rotated-pat-7'];

const CATALOGUE = {
  byOrigin: { 'https://git.example.com': [{ name: 'api', group: 'platform', mainBranch: 'main' }, { name: 'docs', group: 'platform', indexError: 'fatal: repository not found' }] },
  byType: {
    GITHUB: [{ name: 'test-repo', group: 'TestOrg' }, { name: 'acme', group: 'TestOrg', mainBranch: 'main' }, { name: 'site', group: 'TestOrg' }],
    GITLAB: [{ name: 'acmecorp', group: 'wileycoyote' }, { name: 'roadrunner', group: 'wileycoyote' }],
  },
};

/** One acknowledged request of the scenario: it must answer `status`. */
async function ok(t: Target, method: string, path: string, body?: unknown, status = 200): Promise<Record<string, unknown>> {
  const res = await call(t, method, path, body === undefined ? {} : { body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body as Record<string, unknown>;
}

/**
 * The scenario, the same on every server: ids 1-12 (integrations 1, 5, 8; discovered 2-4, 6-7, 9-10; standalone
 * 11, 12), three reindex threads (6 alone at priority 30, all, integration 8's rescan), integration 1 and repository 12
 * removed (removal queued), repository 3 disabled, repository 12's token rotated.
 */
async function provision(t: Target): Promise<void> {
  await ok(t, 'PUT', '/__mock/hosts', CATALOGUE);
  await ok(t, 'POST', '/integration', { type: 'GITHUB', pat: SECRETS[0] });
  await ok(t, 'POST', '/integration', { type: 'GITHUB_SERVER', origin: 'https://git.example.com', pat: SECRETS[1] });
  await ok(t, 'POST', '/integration', { type: 'GITLAB', pat: SECRETS[2], global: false, projectMappingIds: [10000] });
  await ok(t, 'POST', '/repository', { origin: 'https://git.example.com/solo/tool.git', username: SECRETS[3], password: SECRETS[4], global: false, projectMappingIds: [10000] });
  await ok(t, 'POST', '/repository', { origin: 'git@git.example.com:solo/lib.git', pat: SECRETS[5] });
  // Two and a half tasks of the first reindexes: 2 and 3 UPDATED, 4 INDEXING.
  await ok(t, 'POST', '/__mock/index', { ms: 2500 });
  await ok(t, 'PUT', '/repository/3/disable?disable=true');
  await ok(t, 'PUT', '/repository', { id: 12, displayName: 'lib (rotated)', pat: SECRETS[6] });
  expect((await ok(t, 'POST', '/rest/gitplugin/2.0/reindex', { repoId: 6, priority: 30 })).threadId).toBe(threadId(1));
  expect((await ok(t, 'POST', '/rest/gitplugin/2.0/reindex', {})).threadId).toBe(threadId(2));
  expect((await ok(t, 'POST', '/rest/gitplugin/2.0/reindex', { repoId: 8 })).threadId).toBe(threadId(3));
  await ok(t, 'DELETE', '/integration/1');
  await ok(t, 'DELETE', '/repository?id=12&deleteFiles=true');
  // 4 ends, 6 (priority 30) starts and ends, 7 starts: thread 1 finished, 2 and 3 not, 7 INDEXING.
  await ok(t, 'POST', '/__mock/index', { steps: 4 });
}

/** Every read the issue names, each as status + body, keyed by request. */
async function readAll(t: Target, session = 'default'): Promise<Record<string, unknown>> {
  const headers = { 'x-mock-session': session };
  const ids = Array.from({ length: 12 }, (_, i) => i + 1);
  const paths = [
    '/integration', ...ids.map((id) => `/integration/${id}`),
    '/repository', '/repository?all=true', '/repository?projectKey=TEST',
    '/rest/gitplugin/1.0/index.json', ...ids.map((id) => `/rest/gitplugin/1.0/index.json?repoId=${id}`),
    ...[1, 2, 3].flatMap((n) => [`/rest/gitplugin/1.0/index.json?threadId=${threadId(n)}`, ...ids.map((id) => `/rest/gitplugin/1.0/index.json?threadId=${threadId(n)}&repoId=${id}`)]),
    '/__mock/hosts', '/__mock/state',
  ];
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const res = await call(t, 'GET', path, { headers });
    out[path] = { status: res.status, body: res.body };
  }
  return out;
}

const indexOf = (reads: Record<string, unknown>) => ((reads['/__mock/state'] as { body: { index?: { running?: { task: { repoId: number } }; tasks: Array<{ repoId: number; op: string }> } } }).body.index);
const repositoriesOf = (reads: Record<string, unknown>) => ((reads['/repository'] as { body: { repositories: Array<{ id: number; state?: string; disabled: boolean }> } }).body.repositories);

function expectNoSecret(text: string, where: string): void {
  for (const secret of SECRETS) expect(text.includes(secret), `${where} holds ${secret}`).toBe(false);
}

/** Moves the clock of each (server, session) by the same steps until all are idle; their reads stay equal throughout. */
async function advanceTogether(servers: Array<{ t: Target; session: string }>): Promise<Record<string, unknown>> {
  for (let round = 0; round < 40; round++) {
    const answers: unknown[] = [];
    for (const { t, session } of servers) answers.push((await call(t, 'POST', '/__mock/index', { body: { steps: 2 }, headers: { 'x-mock-session': session } })).body);
    expect(answers.every((a) => JSON.stringify(a) === JSON.stringify(answers[0])), JSON.stringify(answers)).toBe(true);
    const reads = await Promise.all(servers.map(({ t, session }) => readAll(t, session)));
    for (const r of reads.slice(1)) expect(r).toEqual(reads[0]);
    if ((answers[0] as { idle: boolean }).idle) return reads[0]!;
  }
  throw new Error('the indexing queue did not drain in 80 steps');
}

describe('issue 21 state round trip (built server, --clock)', () => {
  it('unfinished reindex threads, queued removals, discovered and standalone repositories and a custom catalogue: SIGKILL → restart from --state-file answers every read as before, then finishes as a twin that never restarted; export → import is the same; no credential is written', async () => {
    const file = join(dir, 'provisioning.json');
    let durable: Spawned | undefined = await spawnServer(['--state-file', file, ...FLAGS]);
    const twin = await spawnServer(FLAGS);
    try {
      await provision(remote(durable.baseUrl));
      await provision(remote(twin.baseUrl));
      const before = await readAll(remote(durable.baseUrl));
      expect(await readAll(remote(twin.baseUrl))).toEqual(before);

      // Unfinished as the issue asks: one task INDEXING, others QUEUED, removals queued, threads not finished.
      const index = indexOf(before)!;
      expect(index.running?.task.repoId).toBe(7);
      expect(index.tasks.filter((task) => task.op === 'reindex').length).toBeGreaterThan(1);
      expect(index.tasks.filter((task) => task.op === 'remove').map((task) => task.repoId).sort((a, b) => a - b)).toEqual([2, 3, 4, 12]);
      const states = repositoriesOf(before).map((r) => r.state);
      expect(states).toContain('INDEXING');
      expect(states).toContain('QUEUED');
      expect([1, 2, 3].map((n) => (before[`/rest/gitplugin/1.0/index.json?threadId=${threadId(n)}`] as { body: { finished: boolean } }).body.finished)).toEqual([true, false, false]);
      expect(repositoriesOf(before).filter((r) => [2, 3, 4, 12].includes(r.id)).every((r) => r.disabled)).toBe(true);

      // The journal keeps the repository bodies with each credential as "***".
      const journal = (await call(remote(durable.baseUrl), 'GET', '/__mock/requests')).body as { requests: Array<{ operationId: string; body: unknown }> };
      expect(journal.requests.filter((r) => r.operationId === 'addRepository').map((r) => r.body)).toEqual([
        expect.objectContaining({ username: '***', password: '***' }), expect.objectContaining({ pat: '***' }),
      ]);
      expect(journal.requests.find((r) => r.operationId === 'updateRepository')?.body).toEqual({ id: 12, displayName: 'lib (rotated)', pat: '***' });
      expectNoSecret(JSON.stringify(journal), 'the journal');

      durable.child.kill('SIGKILL');
      await exited(durable.child);
      expectNoSecret(readFileSync(file, 'utf8') + readFileSync(`${file}.log`, 'utf8'), 'the state file and its log');

      durable = await spawnServer(['--state-file', file, ...FLAGS]);
      const restarted = remote(durable.baseUrl);
      expect(await readAll(restarted)).toEqual(before);

      // Export → import into another session of the twin reads the same.
      const exported = (before['/__mock/state'] as { body: unknown }).body;
      expectNoSecret(JSON.stringify(exported), 'the export');
      const imported = await call(remote(twin.baseUrl), 'PUT', '/__mock/state', { body: exported, headers: { 'x-mock-session': 'copy' } });
      expect(imported.status, JSON.stringify(imported.body)).toBe(200);
      expect(await readAll(remote(twin.baseUrl), 'copy')).toEqual(before);

      // The clock moves on all three alike until every task has run.
      const after = await advanceTogether([{ t: restarted, session: 'default' }, { t: remote(twin.baseUrl), session: 'default' }, { t: remote(twin.baseUrl), session: 'copy' }]);
      for (const n of [1, 2, 3]) expect((after[`/rest/gitplugin/1.0/index.json?threadId=${threadId(n)}`] as { body: { finished: boolean } }).body.finished).toBe(true);
      expect(repositoriesOf(after).map((r) => [r.id, r.state])).toEqual([[6, 'UPDATED'], [7, 'ERROR'], [9, 'UPDATED'], [10, 'UPDATED'], [11, 'UPDATED']]);
      expectNoSecret(readFileSync(file, 'utf8') + readFileSync(`${file}.log`, 'utf8'), 'the state file and its log');
    } finally {
      for (const s of [durable, twin]) if (s) { s.child.kill('SIGTERM'); await exited(s.child); }
    }
  }, 60_000);
});
