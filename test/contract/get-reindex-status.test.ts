// Reindex status (X2, GET /rest/gitplugin/1.0/index.json and its forms) from outside: a thread's progress
// on a fixed clock (percentages, messages, errors, how long a thread is kept), the repositories as they
// stand, what it refuses, and the same on real time with --index-delay. Each test that needs the indexing
// clock has its own mock session, so thread and repository ids are known in advance.
import { describe, expect, it } from 'vitest';
import { expectContract } from '../helpers/contract.js';
import { expectError, expectMethodNotAllowed, expectNotFound, expectUnauthorized } from '../helpers/expectations.js';
import { HAS_USER, REMOTE, useFixture, VIA_PRISM, WRONG_TOKEN, type Fixture } from '../helpers/fixture.js';
import { FIXED_CLOCK, INDEX_DELAY, nthThread, SessionClient, STATUS_PATH, type ReindexStatus } from '../helpers/reindex.js';
import { waitFor } from '../helpers/wait-for.js';

const fx = useFixture({ clock: FIXED_CLOCK, indexDelayMs: INDEX_DELAY });
// Real time: each repository is INDEXING for REAL_DELAY ms and the clock catches up on every request.
const REAL_DELAY = 300;
const realTime = useFixture({ indexDelayMs: REAL_DELAY });
const session = (f: Fixture = fx) => new SessionClient(f.call, 'x2');
const HOUR = 60 * 60 * 1000;

/** A session with one GITHUB integration whose three default repositories (ids 2, 3, 4) are indexed. */
async function indexedSession(): Promise<SessionClient> {
  const s = session();
  expect((await s.addIntegration()).repoIds).toEqual([2, 3, 4]);
  await s.untilIdle();
  return s;
}

// The indexing clock, sessions and the host catalogue are gij-mock controls; a real Jira has none of them.
describe('getReindexStatus', () => {
  it.skipIf(REMOTE)('GET /index.json?threadId= responds 200 with each repository\'s percentage, their mean, and finished once all are done', async () => {
    const s = await indexedSession();
    const thread = await s.reindex();
    const query = `threadId=${thread}`;
    expect(await s.status(query)).toEqual({
      success: true, threadId: thread, finished: false, errors: {}, lastOperationPercent: 0,
      messages: { 'Indexing test-repo': 0, 'Indexing acme': 0, 'Indexing applanix-site-viewer': 0 },
    });
    await s.advance({ steps: 1 });
    await s.advance({ ms: INDEX_DELAY / 2 });
    expect(await s.status(query)).toMatchObject({ finished: false, messages: { 'Indexing test-repo': 50, 'Indexing acme': 0 }, lastOperationPercent: 16.7 });
    await s.advance({ steps: 1 });
    expect(await s.status(query)).toMatchObject({ finished: false, messages: { 'Indexing test-repo': 100, 'Indexing acme': 0 }, lastOperationPercent: 33.3 });
    await s.untilIdle();
    expect(await s.status(query)).toEqual({
      success: true, threadId: thread, finished: true, errors: {}, lastOperationPercent: 100,
      messages: { 'Indexing test-repo': 100, 'Indexing acme': 100, 'Indexing applanix-site-viewer': 100 },
    });
  });

  it.skipIf(REMOTE)('the spellings threadId and threadID, and /index without .json, answer the same', async () => {
    const s = await indexedSession();
    const thread = await s.reindex({ repoId: 3 });
    await s.advance({ steps: 1 });
    const answer = await s.status(`threadId=${thread}`);
    expect(await s.status(`threadID=${thread}`)).toEqual(answer);
    expect(await s.status(`threadId=${thread.toUpperCase()}`)).toEqual(answer);
    const plain = await s.call('GET', `/index?threadId=${thread}`);
    expectContract('getReindexStatus', plain, 200);
    expect(plain.body).toEqual(answer);
  });

  it.skipIf(REMOTE)('with threadId and repoId only that repository\'s part is answered; a repository the thread does not cover responds 404', async () => {
    const s = await indexedSession();
    const thread = await s.reindex({ repoId: 2 });
    await s.reindex({ repoId: 3 });
    expect(await s.status(`threadId=${thread}&repoId=2`)).toEqual({ success: true, threadId: thread, finished: false, messages: { 'Indexing test-repo': 0 }, errors: {}, lastOperationPercent: 0 });
    expectError('getReindexStatus', await s.call('GET', `${STATUS_PATH}?threadId=${thread}&repoId=3`), 404, `Reindex thread ${thread} does not exist`);
  });

  it.skipIf(REMOTE)('without threadId the repositories answer as they stand (no threadId); lastIndexedDate appears on each once it is indexed', async () => {
    const s = session();
    expect(await s.status()).toEqual({ success: true, finished: true, messages: {}, errors: {}, lastOperationPercent: 100 });
    await s.addIntegration();
    expect((await s.repositories()).map((r) => [r.id, r.state, r.lastIndexedDate])).toEqual([[2, 'QUEUED', undefined], [3, 'QUEUED', undefined], [4, 'QUEUED', undefined]]);
    expect(await s.status()).toEqual({ success: true, finished: false, errors: {}, lastOperationPercent: 0, messages: { 'Indexing test-repo': 0, 'Indexing acme': 0, 'Indexing applanix-site-viewer': 0 } });
    await s.advance({ steps: 2 });
    expect(await s.status('repoId=2')).toEqual({ success: true, finished: true, messages: { 'Indexing test-repo': 100 }, errors: {}, lastOperationPercent: 100 });
    expect(await s.status('repoId=3')).toMatchObject({ finished: false, messages: { 'Indexing acme': 0 } });
    expect((await s.repositories()).map((r) => [r.id, r.state, r.lastIndexedDate])).toEqual([[2, 'UPDATED', FIXED_CLOCK + INDEX_DELAY], [3, 'QUEUED', undefined], [4, 'QUEUED', undefined]]);
    await s.untilIdle();
    // One repository at a time, each INDEX_DELAY long, from the moment the integration was added.
    expect((await s.repositories()).map((r) => r.lastIndexedDate)).toEqual([1, 2, 3].map((n) => FIXED_CLOCK + n * INDEX_DELAY));
    expect((await s.status()).finished).toBe(true);
  });

  it.skipIf(REMOTE)('a repository that ended in ERROR (a host entry with indexError) is listed under errors, by thread and as it stands', async () => {
    const s = session();
    await s.setHosts({ GITHUB: [{ name: 'good', group: 'g' }, { name: 'broken', group: 'g', indexError: 'remote: Repository not found.' }] });
    await s.addIntegration();
    const thread = await s.reindex();
    await s.untilIdle();
    const byThread = await s.status(`threadId=${thread}`);
    expect(byThread).toMatchObject({ finished: true, errors: { broken: 'remote: Repository not found.' }, messages: { 'Indexing good': 100, 'Indexing broken': 100 } });
    expect((await s.status()).errors).toEqual({ broken: 'remote: Repository not found.' });
    expect((await s.status('repoId=2')).errors).toEqual({});
    expect((await s.repository(3)).state).toBe('ERROR');
  });

  it.skipIf(REMOTE)('as it stands, a first index that ended in ERROR (no thread saw it) names the host entry\'s indexError', async () => {
    const s = session();
    await s.setHosts({ GITHUB: [{ name: 'broken', group: 'g', indexError: 'fatal: repository not found' }] });
    await s.addIntegration();
    await s.untilIdle();
    expect(await s.status('repoId=2')).toMatchObject({ finished: true, errors: { broken: 'fatal: repository not found' } });
  });

  it.skipIf(REMOTE)('a finished thread is kept one hour from its end, then its id responds 404', async () => {
    const s = await indexedSession();
    const thread = await s.reindex({ repoId: 2 });
    await s.untilIdle();
    await s.advance({ ms: HOUR });
    expect((await s.status(`threadId=${thread}`)).finished).toBe(true);
    await s.advance({ ms: 1 });
    expectError('getReindexStatus', await s.call('GET', `${STATUS_PATH}?threadId=${thread}`), 404, `Reindex thread ${thread} does not exist`);
  });

  it.skipIf(REMOTE)('on real time (--index-delay, no --clock) a thread moves on by itself until finished', async () => {
    const s = session(realTime);
    await s.setHosts({ GITHUB: [{ name: 'solo', group: 'g' }] });
    const { repoIds } = await s.addIntegration();
    const before = Date.now();
    const thread = await s.reindex({ repoId: repoIds[0] });
    const seen: ReindexStatus[] = [];
    const done = await waitFor('the reindex thread to finish', async () => {
      const status = await s.status(`threadId=${thread}`);
      seen.push(status);
      return status.finished && status;
    }, 20 * REAL_DELAY + 10_000);
    expect(done).toEqual({ success: true, threadId: thread, finished: true, messages: { 'Indexing solo': 100 }, errors: {}, lastOperationPercent: 100 });
    // It was not finished when first asked, and its percentage never went back.
    expect(seen[0]!.finished).toBe(false);
    const percents = seen.map((x) => x.lastOperationPercent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect((await s.repository(repoIds[0]!)).lastIndexedDate).toBeGreaterThanOrEqual(before + REAL_DELAY);
  });

  it.skipIf(REMOTE)('on real time a fault rule\'s indexError ends the thread in ERROR, listed under errors', async () => {
    const s = session(realTime);
    await s.setHosts({ GITHUB: [{ name: 'solo', group: 'g' }] });
    const { repoIds } = await s.addIntegration();
    const rules = (list: unknown[]) => s.call('PUT', '/__mock/faults', { body: { rules: list } });
    expect((await rules([{ operationId: 'startReindex', indexError: 'early EOF', repoId: repoIds[0] }])).status).toBe(200);
    try {
      const thread = await s.reindex({ repoId: repoIds[0] });
      const done = await waitFor('the reindex thread to finish', async () => { const x = await s.status(`threadId=${thread}`); return x.finished && x; }, 20 * REAL_DELAY + 10_000);
      expect(done).toMatchObject({ errors: { solo: 'early EOF' }, lastOperationPercent: 100 });
    } finally {
      expect((await rules([])).status).toBe(200);
    }
  });

  // Prism checks the query parameters against their schemas itself.
  it.skipIf(VIA_PRISM)('GET /index.json with repoId abc or 0, or an unknown query parameter, responds 400 naming it', async () => {
    expectError('getReindexStatus', await fx.call('GET', `${STATUS_PATH}?repoId=abc`), 400, 'repoId');
    expectError('getReindexStatus', await fx.call('GET', `${STATUS_PATH}?repoId=0`), 400, 'repoId');
    expectError('getReindexStatus', await fx.call('GET', `${STATUS_PATH}?thread=1`), 400, 'thread is not a query parameter');
  });

  it('GET /index.json without credentials, or with an unknown token, responds 401 with a challenge', async () => {
    // Prism answers a request without credentials itself.
    if (!VIA_PRISM) expectUnauthorized('getReindexStatus', await fx.call('GET', STATUS_PATH, { auth: null }));
    expectUnauthorized('getReindexStatus', await fx.call('GET', `${STATUS_PATH}?threadId=${nthThread(1)}`, { auth: WRONG_TOKEN }));
  });

  // user/user holds no project permission: neither a thread nor any repository's status is theirs.
  it.skipIf(!HAS_USER)('GET /index.json as a user without project permissions responds 403', async () => {
    const s = await (REMOTE ? Promise.resolve(session()) : indexedSession());
    const thread = REMOTE ? nthThread(1) : await s.reindex({ repoId: 2 });
    for (const query of ['', `?threadId=${thread}`, '?repoId=2']) {
      const res = await s.call('GET', `${STATUS_PATH}${query}`, { auth: fx.target.user! });
      expectContract('getReindexStatus', res, 403);
      expect((res.body as { error: string }).error).toMatch(/administrator|may not/);
    }
  });

  it('GET /index.json with a threadId no reindex answered (the vendor example\'s 172) responds 404', async () => {
    expectError('getReindexStatus', await fx.call('GET', `${STATUS_PATH}?threadId=172`), 404, 'Reindex thread 172 does not exist');
  });

  it('GET /index.json?repoId= of an id no repository has responds 404 with the vendor texts', async () => {
    const id = await fx.goneId();
    expectNotFound('getReindexStatus', await fx.call('GET', `${STATUS_PATH}?repoId=${id}`), id);
  });

  it.skipIf(VIA_PRISM)('PATCH /index.json responds 405 with Allow naming GET', async () => {
    await expectMethodNotAllowed(fx.call, 'getReindexStatus');
  });
});
