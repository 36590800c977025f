// Who may call what among the Repositories and Reindex operations (issue 21 item 4), each rule with a user who
// may and one who may not, by Basic and by Bearer: R1 shows a plain user what their projects may see, X1/X2 answer a
// user with Browse projects + View Development Tools on a mapped project, R2–R4 and disable stay with administrators.
// The permissions come from the target's own users and projects (in-process only: a remote server has its own).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserEntry } from '../../src/config.js';
import { expectContract } from '../helpers/contract.js';
import { errorOf, expectForbidden } from '../helpers/expectations.js';
import { call, type CallOptions } from '../helpers/http.js';
import { startTarget, type Target } from '../helpers/target.js';

const REMOTE = Boolean(process.env.GIJ_BASE_URL);
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const projects = { TEST: 10000, DEV: 10001, OPS: 10002 };
const users: UserEntry[] = [
  { name: 'admin', password: 'admin', tokens: ['admin-token'], administrator: true },
  { name: 'user', password: 'user', tokens: ['user-token'], administrator: false },
  // Develops in TEST; browses DEV without the development panel; nothing in OPS.
  { name: 'dev', password: 'dev-pw', tokens: ['dev-token'], administrator: false, permissions: { TEST: ['BROWSE_PROJECTS', 'VIEW_DEV_TOOLS'], DEV: ['BROWSE_PROJECTS'] } },
];
const DEV = { basic: basic('dev', 'dev-pw'), bearer: 'Bearer dev-token' };
const USER = { basic: basic('user', 'user'), bearer: 'Bearer user-token' };
const VIA = ['basic', 'bearer'] as const;

let t: Target;
const session = { 'x-mock-session': 'access' };
const send = (method: string, path: string, opts: CallOptions = {}) => call(t, method, path, { ...opts, headers: { ...session, ...opts.headers } });
/** The standalone repositories of the story: global, and one mapped to each project. */
const ids = { global: 0, test: 0, dev: 0, ops: 0 };
const listed = (res: { body: unknown }) => (res.body as { repositories: Array<{ id: number }> }).repositories.map((r) => r.id);

beforeAll(async () => {
  if (REMOTE) return;
  // A fixed clock: every reindex stays queued, so the threads and answers do not move under the test.
  t = await startTarget({ logLevel: 'silent', clock: 1_700_000_000_000, users, projects });
  const add = async (name: string, mapping: { global: boolean; projectMappingIds?: number[] }) => {
    const res = await send('POST', '/repository', { body: { origin: `https://github.com/TestOrg/${name}.git`, ...mapping } });
    expect(res.status).toBe(200);
    return (res.body as { id: number }).id;
  };
  ids.global = await add('everyone', { global: true });
  ids.test = await add('test-only', { global: false, projectMappingIds: [projects.TEST] });
  ids.dev = await add('dev-only', { global: false, projectMappingIds: [projects.DEV] });
  ids.ops = await add('ops-only', { global: false, projectMappingIds: [projects.OPS] });
});
afterAll(async () => { await t?.close(); });

describe.skipIf(REMOTE)('listRepositories: any logged-in user, each sees what their projects may see', () => {
  it('GET /repository as an administrator lists every repository', async () => {
    const res = await send('GET', '/repository');
    expectContract('listRepositories', res, 200);
    expect(listed(res)).toEqual([ids.global, ids.test, ids.dev, ids.ops]);
  });
  for (const via of VIA) {
    it(`GET /repository as a developer of TEST by ${via} lists the global one and TEST's (DEV is browse-only, OPS not theirs)`, async () => {
      const res = await send('GET', '/repository', { auth: DEV[via] });
      expectContract('listRepositories', res, 200);
      expect(listed(res)).toEqual([ids.global, ids.test]);
    });
    it(`GET /repository as a user without project permissions by ${via} lists only the global one`, async () => {
      const res = await send('GET', '/repository', { auth: USER[via] });
      expectContract('listRepositories', res, 200);
      expect(listed(res)).toEqual([ids.global]);
    });
  }
  it('GET /repository?projectKey=TEST as the developer lists the global one and TEST\'s', async () => {
    expect(listed(await send('GET', '/repository?projectKey=TEST', { auth: DEV.basic }))).toEqual([ids.global, ids.test]);
  });
  it('GET /repository?projectKey=DEV as the developer (Browse only) lists only the global one', async () => {
    expect(listed(await send('GET', '/repository?projectKey=DEV', { auth: DEV.bearer }))).toEqual([ids.global]);
  });
  it('GET /repository?projectKey=OPS as the developer responds 404 exactly as an unknown key does', async () => {
    const hidden = await send('GET', '/repository?projectKey=OPS', { auth: DEV.basic });
    const unknown = await send('GET', '/repository?projectKey=NOPE', { auth: DEV.basic });
    expectContract('listRepositories', hidden, 404);
    expect(errorOf(hidden)).toEqual({ ...errorOf(unknown), error: errorOf(unknown).error.replace('NOPE', 'OPS') });
  });
  it('GET /repository?projectKey=TEST as a user who may not browse TEST responds 404; the administrator gets 200', async () => {
    expectContract('listRepositories', await send('GET', '/repository?projectKey=TEST', { auth: USER.bearer }), 404);
    expect(listed(await send('GET', '/repository?projectKey=OPS'))).toEqual([ids.global, ids.ops]);
  });
});

describe.skipIf(REMOTE)('startReindex: administrators, or Browse + View Development Tools on a mapped project', () => {
  for (const via of VIA) {
    it(`POST /2.0/reindex of TEST's repository by the developer by ${via} responds 200 with a thread`, async () => {
      const res = await send('POST', '/rest/gitplugin/2.0/reindex', { auth: DEV[via], body: { repoId: ids.test } });
      expectContract('startReindex', res, 200);
      expect(res.body).toMatchObject({ success: true, finished: false });
    });
    it(`POST /2.0/reindex of TEST's repository by a user without permissions by ${via} responds 403`, async () => {
      const res = await send('POST', '/rest/gitplugin/2.0/reindex', { auth: USER[via], body: { repoId: ids.test } });
      expectContract('startReindex', res, 403);
      expect(errorOf(res).error).toBe('You may not reindex repositories');
    });
  }
  it('POST /2.0/reindex of the global repository by the developer responds 200', async () => {
    expectContract('startReindex', await send('POST', '/rest/gitplugin/2.0/reindex', { auth: DEV.basic, body: { repoId: ids.global } }), 200);
  });
  for (const which of ['dev', 'ops'] as const) {
    it(`POST /2.0/reindex of the ${which.toUpperCase()} repository by the developer responds 403 naming it`, async () => {
      const res = await send('POST', '/rest/gitplugin/2.0/reindex', { auth: DEV.bearer, body: { repoId: ids[which] } });
      expectContract('startReindex', res, 403);
      expect(errorOf(res).error).toBe(`You may not reindex repository ${ids[which]}`);
    });
  }
  it('POST /2.0/reindex of an id no repository has, by the developer, responds 403 as for a hidden one (ids do not leak)', async () => {
    const res = await send('POST', '/rest/gitplugin/2.0/reindex', { auth: DEV.basic, body: { repoId: 999_999 } });
    expectContract('startReindex', res, 403);
    expect(errorOf(res).error).toBe('You may not reindex repository 999999');
  });
  it('POST /2.0/reindex of everything (no body) by the developer responds 403; by the administrator 200', async () => {
    const res = await send('POST', '/rest/gitplugin/2.0/reindex', { auth: DEV.basic });
    expectContract('startReindex', res, 403);
    expect(errorOf(res).error).toBe('You may not reindex every repository');
    expectContract('startReindex', await send('POST', '/rest/gitplugin/2.0/reindex'), 200);
  });
});

describe.skipIf(REMOTE)('getReindexStatus: as Reindex, for every repository the answer covers', () => {
  const status = (query: string, auth: string) => send('GET', `/rest/gitplugin/1.0/index.json${query}`, { auth });
  const start = async (body: unknown, auth?: string) => (await send('POST', '/rest/gitplugin/2.0/reindex', { body, ...(auth ? { auth } : {}) })).body as { threadId: string };

  for (const via of VIA) {
    it(`GET index.json?repoId of TEST's repository by the developer by ${via} responds 200; by a user without permissions 403`, async () => {
      expectContract('getReindexStatus', await status(`?repoId=${ids.test}`, DEV[via]), 200);
      expectContract('getReindexStatus', await status(`?repoId=${ids.test}`, USER[via]), 403);
    });
  }
  it('GET index.json?threadId of the developer\'s own thread responds 200 to them', async () => {
    const { threadId } = await start({ repoId: ids.test }, DEV.basic);
    const res = await status(`?threadId=${threadId}`, DEV.bearer);
    expectContract('getReindexStatus', res, 200);
    expect(res.body).toMatchObject({ threadId, finished: false });
  });
  it('GET index.json?threadId of an administrator\'s thread over a hidden repository responds 403 to the developer, 200 to the administrator', async () => {
    const { threadId } = await start({ repoId: ids.ops });
    const res = await status(`?threadId=${threadId}`, DEV.basic);
    expectContract('getReindexStatus', res, 403);
    expect(errorOf(res).error).toMatch(/covers repositories you may not see/);
    expectContract('getReindexStatus', await status(`?threadId=${threadId}`, t.admin), 200);
  });
  it('GET index.json?threadId&repoId of the visible part of a thread responds 200 to the developer', async () => {
    const { threadId } = await start(undefined);
    expectContract('getReindexStatus', await status(`?threadId=${threadId}&repoId=${ids.test}`, DEV.basic), 200);
    expectContract('getReindexStatus', await status(`?threadId=${threadId}&repoId=${ids.dev}`, DEV.basic), 403);
  });
  it('GET index.json with neither threadId nor repoId (every repository) responds 403 to the developer', async () => {
    const res = await status('', DEV.bearer);
    expectContract('getReindexStatus', res, 403);
    expect(errorOf(res).error).toBe('You may not see the reindex progress of every repository');
  });
  it('GET index.json?repoId of the OPS repository responds 403 to the developer', async () => {
    expectContract('getReindexStatus', await status(`?repoId=${ids.ops}`, DEV.basic), 403);
  });
});

describe.skipIf(REMOTE)('the changes stay with administrators, whatever the project permissions', () => {
  const changes: Array<[string, string, string, unknown?]> = [
    ['addRepository', 'POST', '/repository', { origin: 'https://github.com/TestOrg/new.git' }],
    ['updateRepository', 'PUT', '/repository', { id: 0, displayName: 'renamed' }],
    ['removeRepository', 'DELETE', '/repository?id=0'],
    ['setIntegrationDisabled', 'PUT', '/repository/0/disable?disable=true'],
    ['listIntegrations', 'GET', '/integration'],
  ];
  for (const [operationId, method, path, body] of changes) {
    for (const via of VIA) {
      it(`${operationId} on TEST's repository by the developer of TEST by ${via} responds 403`, async () => {
        const concrete = path.replace('0', String(ids.test));
        const withId = body && typeof body === 'object' && 'id' in body ? { ...body, id: ids.test } : body;
        expectForbidden(operationId, await send(method, concrete, { auth: DEV[via], ...(withId === undefined ? {} : { body: withId }) }));
      });
    }
  }
});

describe.skipIf(REMOTE)('the default users: user/user has no project permission', () => {
  let d: Target;
  beforeAll(async () => { d = await startTarget({ logLevel: 'silent', clock: 1_700_000_000_000 }); });
  afterAll(async () => { await d?.close(); });

  it('on a server with default users, user/user sees only the global repository and gets 403 on Reindex and Reindex status', async () => {
    const mapped = await call(d, 'POST', '/repository', { body: { origin: 'https://github.com/TestOrg/mapped.git', global: false, projectMappingIds: [10000] } });
    const global = await call(d, 'POST', '/repository', { body: { origin: 'https://github.com/TestOrg/global.git' } });
    const [mappedId, globalId] = [mapped, global].map((r) => (r.body as { id: number }).id);
    expect(listed(await call(d, 'GET', '/repository', { auth: USER.basic }))).toEqual([globalId]);
    expect(listed(await call(d, 'GET', '/repository'))).toEqual([mappedId, globalId]);
    expectContract('startReindex', await call(d, 'POST', '/rest/gitplugin/2.0/reindex', { auth: USER.bearer, body: { repoId: globalId } }), 403);
    expectContract('getReindexStatus', await call(d, 'GET', `/rest/gitplugin/1.0/index.json?repoId=${globalId}`, { auth: USER.basic }), 403);
  });
});
