// Issue 21 wiring through the engine: the repository operations are served, the `.json` suffix forms route to
// the same operations, the disable path's id is {repoId}, a $ref query parameter is checked (400, never 500),
// and the indexing clock and host catalogue controls answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REMOTE } from '../helpers/fixture.js';
import { call } from '../helpers/http.js';
import { startTarget, type Target } from '../helpers/target.js';

let t: Target;
// A fixed clock: the indexing clock moves only through POST /__mock/index.
beforeAll(async () => { t = await startTarget({ logLevel: 'silent', clock: 1_700_000_000_000 }); });
afterAll(async () => { await t.close(); });
const session = { 'x-mock-session': 'routing' };
type Repos = { success: boolean; repositories: Array<{ id: number; displayName: string; trackedFolderId?: number }> };

// gij-mock's own wiring (suffix forms, a fixed clock, its controls): no other server has it, and Prism's
// proxy (npm run test:proxy) refuses the forms its spec does not name.
describe.skipIf(REMOTE)('repository operations through the engine', () => {
  it('an added GITHUB integration discovers the default catalogue; /repository and /repository.json list the same', async () => {
    const added = await call(t, 'POST', '/integration', { headers: session, body: { type: 'GITHUB', pat: 'p', displayName: 'routing' } });
    expect(added.status).toBe(200);
    const id = (added.body as { integration: { id: number } }).integration.id;
    const plain = await call(t, 'GET', '/repository', { headers: session });
    const suffixed = await call(t, 'GET', '/repository.json', { headers: session });
    expect(plain.status).toBe(200);
    expect(suffixed).toMatchObject({ status: 200, body: plain.body });
    expect((plain.body as Repos).repositories.map((r) => [r.displayName, r.trackedFolderId])).toEqual([['test-repo', id], ['acme', id], ['applanix-site-viewer', id]]);
  });

  it('GET /index.json answers the reindex status as /index does', async () => {
    const plain = await call(t, 'GET', '/index', { headers: session });
    expect(plain.status).toBe(200);
    expect(await call(t, 'GET', '/index.json', { headers: session })).toMatchObject({ status: 200, body: plain.body });
  });

  it('PUT /repository/{repoId}/disable with a non-numeric id answers 400 naming repoId', async () => {
    const res = await call(t, 'PUT', '/repository/0x1/disable?disable=true', { headers: session });
    expect(res.status).toBe(400);
    expect((res.body as { error: string }).error).toMatch(/repoId/);
  });

  it('DELETE /repository with id=0 (a $ref query schema) answers 400, not 500', async () => {
    const res = await call(t, 'DELETE', '/repository?id=0', { headers: session });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false });
  });
});

describe.skipIf(REMOTE)('controls of issue 21', () => {
  it('GET /__mock/hosts shows the default catalogue; PUT replaces it and DELETE restores it', async () => {
    expect(await call(t, 'GET', '/__mock/hosts', { headers: session })).toMatchObject({ status: 200, body: { success: true, custom: false } });
    const catalogue = { byOrigin: {}, byType: { GITLAB: [{ name: 'only', group: 'g' }] } };

    expect(await call(t, 'PUT', '/__mock/hosts', { headers: session, body: catalogue })).toMatchObject({ status: 200, body: { success: true, custom: true, byType: { GITLAB: [{ name: 'only' }] } } });
    expect(await call(t, 'DELETE', '/__mock/hosts', { headers: session })).toMatchObject({ status: 200, body: { custom: false } });
    expect((await call(t, 'PUT', '/__mock/hosts', { headers: session, body: { byType: { NOPE: [] } } })).status).toBe(400);
  });

  it('POST /__mock/index moves the clock by steps until idle; a bad body answers 400', async () => {
    let answer = await call(t, 'POST', '/__mock/index', { headers: session, body: { steps: 100 } });
    expect(answer).toMatchObject({ status: 200, body: { success: true, idle: true } });
    answer = await call(t, 'POST', '/__mock/index', { headers: session, body: { ms: -1 } });
    expect(answer.status).toBe(400);
  });
});
