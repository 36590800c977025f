// An operation whose body is optional (Reindex): the body is read, checked against its schema and given to
// the handler when sent; left out (no body, or an empty one without Content-Type) it means "every repository".
// Runs on every host (npm run test:hosts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../helpers/http.js';
import { startTarget, type Target } from '../helpers/target.js';

const REINDEX = '/rest/gitplugin/2.0/reindex';
let t: Target;
beforeEach(async () => {
  t = await startTarget({ logLevel: 'silent', clock: 1_700_000_000_000 });
  // A GITHUB integration (id 1) discovers the default catalogue's repositories 2, 3 and 4.
  expect((await call(t, 'POST', '/integration', { body: { type: 'GITHUB', pat: 'p' } })).status).toBe(200);
});
afterEach(() => t.close());

/** The repository ids of a thread, as Reindex status reports them (one message per repository). */
async function threadRepos(threadId: string): Promise<number[]> {
  const ids: number[] = [];
  for (const repoId of [2, 3, 4]) if ((await call(t, 'GET', `/rest/gitplugin/1.0/index.json?threadId=${threadId}&repoId=${repoId}`)).status === 200) ids.push(repoId);
  return ids;
}

describe('POST /rest/gitplugin/2.0/reindex body', () => {
  it('{"repoId": 3, "priority": 30} makes a thread of repository 3 alone', async () => {
    const res = await call(t, 'POST', REINDEX, { body: { repoId: 3, priority: 30 } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await threadRepos((res.body as { threadId: string }).threadId)).toEqual([3]);
  });
  it.each([
    ['no body', {}],
    ['an empty body without Content-Type', { rawBody: '' }],
    ['{}', { body: {} }],
    ['{"repoId": null}', { body: { repoId: null } }],
  ])('%s reindexes every repository', async (_given, opts) => {
    const res = await call(t, 'POST', REINDEX, opts);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await threadRepos((res.body as { threadId: string }).threadId)).toEqual([2, 3, 4]);
  });
  it.each([
    ['{"repoId": "3"}', '{"repoId": "3"}', 'repoId'],
    ['{"priority": 0}', '{"priority": 0}', 'priority'],
    ['an unknown field', '{"repoID": 3}', 'repoID'],
    ['malformed JSON', '{"repoId": 3', 'JSON'],
  ])('%s answers 400 naming it, and starts no thread', async (_given, rawBody, named) => {
    const res = await call(t, 'POST', REINDEX, { rawBody, headers: { 'content-type': 'application/json' } });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect((res.body as { error: string }).error).toContain(named);
    const next = await call(t, 'POST', REINDEX, { body: { repoId: 2 } });
    expect((next.body as { threadId: string }).threadId).toBe('00000000-0000-4000-8000-000000000001');
  });
});
