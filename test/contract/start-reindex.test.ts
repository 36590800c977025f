// Reindex (X1, POST /rest/gitplugin/2.0/reindex) from outside, on a fixed clock: the answer at once, the
// queue's order (priority, merged duplicates), what it refuses, and its bounds. Each test that needs the
// indexing clock has its own mock session, so its thread ids and repository ids are known in advance.
import { describe, expect, it } from 'vitest';
import { expectContract } from '../helpers/contract.js';
import { expectError, expectMethodNotAllowed, expectNotFound, expectUnauthorized } from '../helpers/expectations.js';
import { BODY_LIMIT, HAS_USER, REMOTE, useFixture, VIA_PRISM, WRONG_TOKEN, type Fixture } from '../helpers/fixture.js';
import { FIXED_CLOCK, INDEX_DELAY, nthThread, REINDEX_PATH, SessionClient } from '../helpers/reindex.js';

const fx = useFixture({ clock: FIXED_CLOCK, indexDelayMs: INDEX_DELAY });
// The bounds (README, Bounds) on a server of their own with small ones: 3 threads kept, 3 tasks waiting.
const bounded = useFixture({ clock: FIXED_CLOCK, indexDelayMs: INDEX_DELAY, maxReindexThreads: 3, maxIndexQueue: 3 });
const session = (f: Fixture = fx) => new SessionClient(f.call, 'x1');

/** A session with one GITHUB integration whose three default repositories (ids 2, 3, 4) are indexed. */
async function indexedSession(f: Fixture = fx): Promise<SessionClient> {
  const s = session(f);
  expect((await s.addIntegration()).repoIds).toEqual([2, 3, 4]);
  await s.untilIdle();
  return s;
}

/** The order in which the waiting repositories start, one step (a start or an end) at a time. */
async function startOrder(s: SessionClient, count: number): Promise<number[]> {
  const order: number[] = [];
  for (let i = 0; i < count; i++) {
    await s.advance({ steps: 1 });
    const indexing = (await s.repositories()).filter((r) => r.state === 'INDEXING').map((r) => r.id);
    expect(indexing).toHaveLength(1);
    order.push(indexing[0]!);
    await s.advance({ steps: 1 });
  }
  return order;
}

// The indexing clock, sessions and the host catalogue are gij-mock controls; a real Jira has none of them.
describe('startReindex', () => {
  it.skipIf(REMOTE)('POST /reindex {repoId} responds 200 at once with finished false and the session\'s first thread id; nothing moves under --clock', async () => {
    const s = await indexedSession();
    expect(await s.reindex({ repoId: 2 })).toBe(nthThread(1));
    expect(await s.reindex({ repoId: 3 })).toBe(nthThread(2));
    // Nothing moves until a control call: both stay QUEUED however often they are read.
    for (let i = 0; i < 3; i++) expect(await s.states()).toMatchObject({ 2: 'QUEUED', 3: 'QUEUED', 4: 'UPDATED' });
    expect(await s.status(`threadId=${nthThread(1)}`)).toEqual({ success: true, threadId: nthThread(1), finished: false, messages: { 'Indexing test-repo': 0 }, errors: {}, lastOperationPercent: 0 });
  });

  it.skipIf(REMOTE)('a reindexed repository moves QUEUED → INDEXING → UPDATED one step at a time, with its percentage and a new lastIndexedDate', async () => {
    const s = await indexedSession();
    const before = await s.repository(2);
    const thread = await s.reindex({ repoId: 2 });
    const progress = async () => [(await s.repository(2)).state, (await s.status(`threadId=${thread}`)).messages['Indexing test-repo']];
    expect(await progress()).toEqual(['QUEUED', 0]);
    const started = await s.advance({ steps: 1 });
    expect(await progress()).toEqual(['INDEXING', 0]);
    await s.advance({ ms: INDEX_DELAY / 4 });
    expect(await progress()).toEqual(['INDEXING', 25]);
    expect((await s.status(`threadId=${thread}`)).lastOperationPercent).toBe(25);
    await s.advance({ steps: 1 });
    expect(await progress()).toEqual(['UPDATED', 100]);
    const after = await s.repository(2);
    expect(after.lastIndexedDate).toBe(started.clock + INDEX_DELAY);
    expect(after.lastIndexedDate).toBeGreaterThan(before.lastIndexedDate!);
    expect(await s.status(`threadId=${thread}`)).toMatchObject({ finished: true, lastOperationPercent: 100, errors: {} });
  });

  it.skipIf(REMOTE)('POST /reindex without a body, with an empty body, with {} and with repoId null queues every repository', async () => {
    const s = await indexedSession();
    const every = { 'Indexing test-repo': 0, 'Indexing acme': 0, 'Indexing applanix-site-viewer': 0 };
    const forms = [
      () => s.call('POST', REINDEX_PATH),
      () => s.call('POST', REINDEX_PATH, { rawBody: '' }),
      () => s.call('POST', REINDEX_PATH, { body: {} }),
      () => s.call('POST', REINDEX_PATH, { body: { repoId: null } }),
    ];
    for (const [i, send] of forms.entries()) {
      const res = await send();
      expectContract('startReindex', res, 200);
      expect(res.body).toEqual({ success: true, finished: false, threadId: nthThread(i + 1) });
      expect((await s.status(`threadId=${nthThread(i + 1)}`)).messages).toEqual(every);
    }
    // Four requests, one task per repository: the duplicates were merged.
    expect(await s.states()).toMatchObject({ 2: 'QUEUED', 3: 'QUEUED', 4: 'QUEUED' });
    await s.untilIdle();
    for (let n = 1; n <= 4; n++) expect((await s.status(`threadId=${nthThread(n)}`)).finished).toBe(true);
  });

  it.skipIf(REMOTE)('a full reindex skips disabled repositories; reindexing a disabled one, or one of a disabled integration, responds 400', async () => {
    const s = await indexedSession();
    expectContract('setIntegrationDisabled', await s.call('PUT', '/repository/3/disable?disable=true'), 200);
    const thread = await s.reindex();
    expect(Object.keys((await s.status(`threadId=${thread}`)).messages)).toEqual(['Indexing test-repo', 'Indexing applanix-site-viewer']);
    expectError('startReindex', await s.call('POST', REINDEX_PATH, { body: { repoId: 3 } }), 400, 'Repository 3 is disabled');
    expectContract('setIntegrationDisabled', await s.call('PUT', '/repository/1/disable?disable=true'), 200);
    expectError('startReindex', await s.call('POST', REINDEX_PATH, { body: { repoId: 4 } }), 400, 'The integration of repository 4 is disabled');
    expectError('startReindex', await s.call('POST', REINDEX_PATH, { body: { repoId: 1 } }), 400, 'Integration 1 is disabled');
    // Enabled again, it may be reindexed; none of the refused requests made a thread.
    expectContract('setIntegrationDisabled', await s.call('PUT', '/repository/1/disable?disable=false'), 200);
    expect(await s.reindex({ repoId: 4 })).toBe(nthThread(2));
  });

  it.skipIf(REMOTE)('the priority decides the order: higher first, 24 when left out (between 23 and 25), any value from 1', async () => {
    const s = await indexedSession();
    await s.reindex({ repoId: 2, priority: 23 });
    await s.reindex({ repoId: 3 });
    await s.reindex({ repoId: 4, priority: 25 });
    expect(await startOrder(s, 3)).toEqual([4, 3, 2]);
    await s.reindex({ repoId: 2, priority: 1 });
    await s.reindex({ repoId: 3, priority: 2147483647 });
    expect(await startOrder(s, 2)).toEqual([3, 2]);
  });

  it.skipIf(REMOTE)('a repository already queued is merged into one task: the highest priority and the earliest start stand, and every thread follows it', async () => {
    const s = await indexedSession();
    const running = await s.reindex({ repoId: 4 });
    await s.advance({ steps: 1 });
    // While 4 runs: 2 queued first, 3 a moment later, then 2 again (later, lower priority): 2 keeps its place.
    const first = await s.reindex({ repoId: 2 });
    await s.advance({ ms: 100 });
    await s.reindex({ repoId: 3 });
    await s.advance({ ms: 100 });
    const again = await s.reindex({ repoId: 2, priority: 5 });
    expect([running, first, again]).toEqual([nthThread(1), nthThread(2), nthThread(4)]);
    await s.advance({ steps: 1 });
    expect(await startOrder(s, 2)).toEqual([2, 3]);
    for (const thread of [first, again]) expect(await s.status(`threadId=${thread}`)).toMatchObject({ finished: true, messages: { 'Indexing test-repo': 100 } });

    // A later request with a higher priority lifts the task it joins.
    await s.reindex({ repoId: 2 });
    await s.reindex({ repoId: 3, priority: 30 });
    await s.reindex({ repoId: 2, priority: 40 });
    expect(await startOrder(s, 2)).toEqual([2, 3]);
  });

  it.skipIf(REMOTE)('the integration\'s id scans its host again: a repository the host gained is discovered and indexed in the thread', async () => {
    const s = await indexedSession();
    await s.setHosts({ GITHUB: [{ name: 'test-repo', group: 'TestOrg' }, { name: 'acme', group: 'TestOrg' }, { name: 'applanix-site-viewer', group: 'TestOrg' }, { name: 'newcomer', group: 'TestOrg' }] });
    const thread = await s.reindex({ repoId: 1 });
    expect((await s.repository(5))).toMatchObject({ displayName: 'newcomer', trackedFolderId: 1, state: 'QUEUED' });
    expect(Object.keys((await s.status(`threadId=${thread}`)).messages).sort()).toEqual(['Indexing acme', 'Indexing applanix-site-viewer', 'Indexing newcomer', 'Indexing test-repo']);
    await s.untilIdle();
    expect((await s.repository(5)).lastIndexedDate).toBeGreaterThan(0);
  });

  it.skipIf(REMOTE)('the integration\'s repositories are queued at priority + 1, ahead of a repository queued before at the same priority', async () => {
    const s = await indexedSession();
    expect((await s.addIntegration({ origin: 'https://api.github.com/second' })).repoIds).toEqual([6, 7, 8]);
    await s.untilIdle();
    await s.reindex({ repoId: 6 });
    await s.reindex({ repoId: 1 });
    expect(await startOrder(s, 4)).toEqual([2, 3, 4, 6]);
  });

  it.skipIf(REMOTE)('a host entry with indexError makes the repository end in ERROR, the thread listing the error', async () => {
    const s = session();
    await s.setHosts({ GITHUB: [{ name: 'good', group: 'g' }, { name: 'broken', group: 'g', indexError: 'fatal: could not read from remote repository' }] });
    expect((await s.addIntegration()).repoIds).toEqual([2, 3]);
    await s.untilIdle();
    expect(await s.states()).toEqual({ 2: 'UPDATED', 3: 'ERROR' });
    const thread = await s.reindex();
    await s.untilIdle();
    expect(await s.status(`threadId=${thread}`)).toEqual({
      success: true, threadId: thread, finished: true, lastOperationPercent: 100,
      messages: { 'Indexing good': 100, 'Indexing broken': 100 },
      errors: { broken: 'fatal: could not read from remote repository' },
    });
    expect((await s.repository(3)).lastIndexedDate).toBeUndefined();
  });

  it.skipIf(REMOTE)('a fault rule with indexError makes the repository it names end in ERROR while the rule is in force', async () => {
    const s = await indexedSession();
    const setRules = async (rules: unknown[]) => expect((await s.call('PUT', '/__mock/faults', { body: { rules } })).status).toBe(200);
    await setRules([{ operationId: 'startReindex', indexError: 'fatal: unable to access the host', repoId: 3 }]);
    try {
      // The rule answers no request: the reindex itself is taken.
      const thread = await s.reindex();
      await s.untilIdle();
      expect(await s.status(`threadId=${thread}`)).toMatchObject({ finished: true, errors: { acme: 'fatal: unable to access the host' }, messages: { 'Indexing acme': 100 } });
      expect(await s.states()).toEqual({ 2: 'UPDATED', 3: 'ERROR', 4: 'UPDATED' });
    } finally {
      await setRules([]);
    }
    const again = await s.reindex({ repoId: 3 });
    await s.untilIdle();
    expect((await s.status(`threadId=${again}`)).errors).toEqual({});
    expect((await s.repository(3)).state).toBe('UPDATED');
  });

  it.skipIf(REMOTE)('PUT /__mock/faults with an indexError rule of another operation, or with a status, or a repoId alone, answers 400 naming each', async () => {
    const res = await fx.call('PUT', '/__mock/faults', { body: { rules: [
      { operationId: 'addIntegration', indexError: 'x' },
      { operationId: 'startReindex', indexError: 'x', status: 503 },
      { operationId: 'startReindex', repoId: 2 },
    ] } });
    expect(res.status).toBe(400);
    expect((res.body as { error: string }).error).toMatch(/rules\[0\]\.indexError needs operationId startReindex.*rules\[1\]\.status cannot be combined with indexError.*rules\[2\]\.repoId needs indexError/);
    expect((await fx.call('GET', '/__mock/faults')).body).toMatchObject({ rules: [] });
  });

  it.skipIf(VIA_PRISM)('POST /reindex with repoId as an array (the removed v1 form) responds 400 and queues nothing', async () => {
    const s = await (REMOTE ? Promise.resolve(session()) : indexedSession());
    expectError('startReindex', await s.call('POST', REINDEX_PATH, { body: { repoId: [2] } }), 400, 'repoId');
    if (!REMOTE) expect(await s.reindex({ repoId: 2 })).toBe(nthThread(1));
  });

  // Prism checks the body against the schema itself.
  it.skipIf(VIA_PRISM)('POST /reindex with priority 0, -1, 1.5 or "24", repoId 0, "2" or past int32, or an unknown field, responds 400 naming the rule', async () => {
    const s = session();
    for (const priority of [0, -1, 1.5, '24']) expectError('startReindex', await s.call('POST', REINDEX_PATH, { body: { repoId: 2, priority } }), 400, 'priority');
    for (const [repoId, rule] of [[0, '>= 1'], ['2', 'integer'], [2147483648, '<= 2147483647']] as const) {
      const body = expectError('startReindex', await s.call('POST', REINDEX_PATH, { body: { repoId } }), 400, `repoId must be ${rule}`);
      expect(body.error).not.toContain('must be null');
    }
    expectError('startReindex', await s.call('POST', REINDEX_PATH, { body: { repoID: 2 } }), 400, 'repoID');
    expectError('startReindex', await s.call('POST', REINDEX_PATH, { rawBody: '{"repoId": 2', headers: { 'content-type': 'application/json' } }), 400, /JSON/);
  });

  it('POST /reindex of an id no repository or integration has responds 404 with the vendor texts', async () => {
    const id = await fx.goneId();
    expectNotFound('startReindex', await fx.call('POST', REINDEX_PATH, { body: { repoId: id } }), id);
  });

  it.skipIf(REMOTE)('POST /reindex of a repository whose removal is queued responds 404', async () => {
    const s = await indexedSession();
    expectContract('removeRepository', await s.call('DELETE', '/repository?id=3'), 200);
    expectNotFound('startReindex', await s.call('POST', REINDEX_PATH, { body: { repoId: 3 } }), 3);
  });

  it('POST /reindex without credentials, or with an unknown token, responds 401 with a challenge', async () => {
    // Prism answers a request without credentials itself.
    if (!VIA_PRISM) expectUnauthorized('startReindex', await fx.call('POST', REINDEX_PATH, { body: {}, auth: null }));
    expectUnauthorized('startReindex', await fx.call('POST', REINDEX_PATH, { body: {}, auth: WRONG_TOKEN }));
  });

  // user/user holds no project permission: neither one repository nor all of them may be reindexed.
  it.skipIf(!HAS_USER)('POST /reindex as a user without project permissions responds 403 and queues nothing', async () => {
    const s = await (REMOTE ? Promise.resolve(session()) : indexedSession());
    for (const body of [{ repoId: 2 }, {}]) {
      const res = await s.call('POST', REINDEX_PATH, { body, auth: fx.target.user! });
      expectContract('startReindex', res, 403);
      expect((res.body as { error: string }).error).toMatch(/administrator|may not reindex/);
    }
    if (!REMOTE) {
      expect(await s.states()).toEqual({ 2: 'UPDATED', 3: 'UPDATED', 4: 'UPDATED' });
      expect(await s.reindex({ repoId: 2 })).toBe(nthThread(1));
    }
  });

  // Prism answers a body it cannot take itself.
  it.skipIf(BODY_LIMIT === undefined || VIA_PRISM)('POST /reindex with a body over the limit responds 413', async () => {
    const res = await fx.call('POST', REINDEX_PATH, { rawBody: `{"repoId": 2, "pad": "${'x'.repeat(BODY_LIMIT!)}"}`, headers: { 'content-type': 'application/json' } });
    expectError('startReindex', res, 413, `larger than ${BODY_LIMIT} bytes`);
  });

  it.skipIf(VIA_PRISM)('POST /reindex with a text/plain body responds 415', async () => {
    const res = await fx.call('POST', REINDEX_PATH, { rawBody: 'repoId=2', headers: { 'content-type': 'text/plain' } });
    expectError('startReindex', res, 415, 'Content-Type text/plain is not supported');
  });

  it.skipIf(VIA_PRISM)('PATCH /reindex responds 405 with Allow; POST to the v1 /index.json (Reindex status only) responds 405', async () => {
    await expectMethodNotAllowed(fx.call, 'startReindex');
    const res = await fx.call('POST', '/index.json', { body: { repoId: 2 } });
    expectError('getReindexStatus', res, 405, 'POST is not allowed');
    expect(res.headers.allow).toMatch(/\bGET\b/);
  });

  it.skipIf(REMOTE)('past --max-reindex-threads the oldest finished thread is forgotten (its id then 404); with none finished POST /reindex responds 507', async () => {
    const s = await indexedSession(bounded);
    for (const repoId of [2, 3, 4]) await s.reindex({ repoId });
    const refused = await s.call('POST', REINDEX_PATH, { body: { repoId: 2 } });
    expectError('startReindex', refused, 507, 'unfinished reindex threads');
    await s.untilIdle();
    expect(await s.reindex({ repoId: 2 })).toBe(nthThread(4));
    expectError('getReindexStatus', await s.call('GET', `/index.json?threadId=${nthThread(1)}`), 404, `Reindex thread ${nthThread(1)} does not exist`);
    for (const n of [2, 3]) expect((await s.status(`threadId=${nthThread(n)}`)).finished).toBe(true);
  });

  it.skipIf(REMOTE)('past --max-index-queue POST /reindex responds 507 and queues nothing; merging into waiting tasks needs no room', async () => {
    const s = session(bounded);
    await s.setHosts({ GITHUB: [{ name: 'one', group: 'g' }, { name: 'two', group: 'g' }] });
    expect((await s.addIntegration()).repoIds).toEqual([2, 3]);
    await s.untilIdle();
    expect((await s.addIntegration({ origin: 'https://api.github.com/other' })).repoIds).toEqual([5, 6]);
    // 5 and 6 wait for their first index: a full reindex would add 2 and 3, four tasks in a queue of three.
    expectError('startReindex', await s.call('POST', REINDEX_PATH, {}), 507, 'more than 3');
    expect(await s.states()).toEqual({ 2: 'UPDATED', 3: 'UPDATED', 5: 'QUEUED', 6: 'QUEUED' });
    expectError('getReindexStatus', await s.call('GET', `/index.json?threadId=${nthThread(1)}`), 404, 'does not exist');
    expect(await s.reindex({ repoId: 5, priority: 99 })).toBe(nthThread(1));
    expect(await s.reindex({ repoId: 2 })).toBe(nthThread(2));
    expectError('startReindex', await s.call('POST', REINDEX_PATH, { body: { repoId: 3 } }), 507, 'more than 3');
  });
});
