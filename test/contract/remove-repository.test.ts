import { describe, expect, it } from 'vitest';
import { expectContract } from '../helpers/contract.js';
import { expectError, expectForbidden, expectMethodNotAllowed, expectNotFound, expectUnauthorized } from '../helpers/expectations.js';
import { call } from '../helpers/http.js';
import { disablePath, HAS_USER, idPath, REMOTE, VIA_PRISM, WRONG_TOKEN, type Schemas } from '../helpers/fixture.js';
import { expectDiskFull, removePath, standalone, useFailingDisk, useRepositoryFixture, type Repository, type RepositoryFixture } from '../helpers/repositories.js';

const fx = useRepositoryFixture();
// Under --clock the queued removal waits until POST /__mock/index moves the indexing clock.
const clocked = useRepositoryFixture({ clock: 1_626_070_678_087 });
const disk = useFailingDisk();

const remove = async (f: RepositoryFixture, id: number, query = '') => {
  const res = await f.call('DELETE', removePath(id, query));
  if (res.status === 200) f.repositories.delete(id);
  return res;
};
/** Moves the clocked server's indexing clock until nothing is queued or indexing. */
const drain = async () => {
  const res = await clocked.call('POST', '/__mock/index', { body: { steps: 1000 } });
  expect(res).toMatchObject({ status: 200, body: { success: true, idle: true } });
};

describe('removeRepository', () => {
  it('DELETE /repository?id=&deleteFiles=true responds 200 and the repository is gone; every call naming it answers 404', async () => {
    const { id } = await fx.addRepository(standalone());
    const res = await remove(fx, id, '&deleteFiles=true');
    expectContract('removeRepository', res, 200);
    expect((res.body as Schemas['SuccessResponse']).success).toBe(true);
    // The clock runs here (no --clock, no --index-delay): the queued removal has run by the next call.
    expect(await fx.repository(id)).toBeUndefined();
    expectNotFound('removeRepository', await remove(fx, id), id);
    expectNotFound('updateRepository', await fx.call('PUT', '/repository', { body: { id, displayName: 'x' } }), id);
    expectNotFound('setIntegrationDisabled', await fx.call('PUT', disablePath(id, true)), id);
  });

  it('DELETE /repository?id= without deleteFiles responds 200 (deleteFiles defaults to false)', async () => {
    const { id } = await fx.addRepository(standalone());
    expectContract('removeRepository', await remove(fx, id), 200);
    expect(await fx.repository(id)).toBeUndefined();
  });

  it.skipIf(REMOTE)('DELETE /repository under --clock: listed disabled until the queued removal runs, 404 for every call from the answer on', async () => {
    const kept = await clocked.addRepository(standalone());
    const { id } = await clocked.addRepository(standalone());
    expectContract('removeRepository', await remove(clocked, id, '&deleteFiles=false'), 200);
    expect(await clocked.repository(id)).toMatchObject({ id, disabled: true });
    expectNotFound('removeRepository', await remove(clocked, id), id);
    expectNotFound('updateRepository', await clocked.call('PUT', '/repository', { body: { id, displayName: 'x' } }), id);
    expectNotFound('setIntegrationDisabled', await clocked.call('PUT', disablePath(id, false)), id);
    await drain();
    expect(await clocked.repository(id)).toBeUndefined();
    expect(await clocked.repository(kept.id)).toMatchObject({ id: kept.id, disabled: false });
  });

  // What a host "has" is gij-mock's catalogue (default: the vendor's TestOrg on GitHub).
  it.skipIf(REMOTE)('DELETE /repository of a discovered repository leaves its integration and its siblings', async () => {
    const { integration, children } = await fx.discovering();
    const [first, ...siblings] = children;
    expectContract('removeRepository', await remove(fx, first!.id), 200);
    const after = (await fx.listRepositories()).filter((r) => r.trackedFolderId === integration.id);
    expect(after.map((r) => r.id)).toEqual(siblings.map((r) => r.id));
    expect((await fx.get(integration.id)).id).toBe(integration.id);
  });

  it.skipIf(REMOTE)('DELETE /integration/{id} under --clock: its repositories are listed disabled until their queued removal runs, then gone', async () => {
    const { integration, children } = await clocked.discovering();
    expect(children).toHaveLength(3);
    expectContract('removeIntegration', await clocked.remove(integration.id, '?deleteFiles=true'), 200);
    const listed = await clocked.listRepositories();
    expect(listed.filter((r) => r.trackedFolderId === integration.id).map((r) => [r.id, r.disabled])).toEqual(children.map((r) => [r.id, true]));
    for (const child of children) expectNotFound('removeRepository', await remove(clocked, child.id), child.id);
    await drain();
    expect((await clocked.listRepositories()).filter((r) => r.trackedFolderId === integration.id)).toEqual([]);
  });

  it('DELETE /repository with an integration\'s id responds 404 and the integration stays', async () => {
    const integration = await fx.addGithub();
    expectNotFound('removeRepository', await fx.call('DELETE', removePath(integration.id)), integration.id);
    expect((await fx.get(integration.id)).id).toBe(integration.id);
  });

  it('DELETE /repository?id= of a removed repository responds 404 with the vendor texts', async () => {
    const { id } = await fx.addRepository(standalone());
    expectContract('removeRepository', await remove(fx, id), 200);
    expectNotFound('removeRepository', await remove(fx, id, '&deleteFiles=true'), id);
  });

  // Prism checks the query parameters itself and answers 422.
  it.skipIf(VIA_PRISM)('DELETE /repository without id responds 400 naming it', async () => {
    expectError('removeRepository', await fx.call('DELETE', '/repository'), 400, 'id is required');
  });

  it.skipIf(VIA_PRISM)('DELETE /repository?id=&deleteFiles=maybe responds 400 naming deleteFiles and removes nothing', async () => {
    const added = await fx.addRepository(standalone());
    expectError('removeRepository', await fx.call('DELETE', removePath(added.id, '&deleteFiles=maybe')), 400, 'deleteFiles');
    expect((await fx.repository(added.id))?.id).toBe(added.id);
  });

  it('DELETE /repository with an unknown query parameter responds 400 naming it and removes nothing', async () => {
    const added = await fx.addRepository(standalone());
    expectError('removeRepository', await fx.call('DELETE', removePath(added.id, '&force=true')), 400, 'force is not a query parameter');
    expect((await fx.repository(added.id))?.id).toBe(added.id);
  });

  it('DELETE /repository with an unknown token responds 401 with a WWW-Authenticate challenge', async () => {
    const added = await fx.addRepository(standalone());
    expectUnauthorized('removeRepository', await fx.call('DELETE', removePath(added.id), { auth: WRONG_TOKEN }));
    expect((await fx.repository(added.id))?.disabled).toBe(false);
  });

  // Remotely the non-administrator's credentials come from GIJ_USER; without it there is none.
  it.skipIf(!HAS_USER)('DELETE /repository as a non-administrator responds 403', async () => {
    const added = await fx.addRepository(standalone());
    expectForbidden('removeRepository', await fx.call('DELETE', removePath(added.id), { auth: fx.target.user! }));
    expect((await fx.repository(added.id))?.disabled).toBe(false);
  });

  // Prism answers a method the spec does not list with its own 405.
  it.skipIf(VIA_PRISM)('PATCH /repository responds 405 with Allow naming the methods of the path', async () => {
    await expectMethodNotAllowed(fx.call, 'removeRepository');
  });

  // A state file that cannot be written is a gij-mock condition (a real Jira has its own).
  it.skipIf(REMOTE)('DELETE /repository when the state file cannot be written responds 507 and removes nothing', async () => {
    const added = await call(disk.target, 'POST', '/repository', { body: standalone() });
    expectContract('addRepository', added, 200);
    const { id } = added.body as Repository;
    disk.failing = true;
    try {
      expectDiskFull('removeRepository', await call(disk.target, 'DELETE', removePath(id)));
    } finally {
      disk.failing = false;
    }
    const listed = (await call(disk.target, 'GET', '/repository')).body as { repositories: Repository[] };
    expect(listed.repositories.find((r) => r.id === id)).toMatchObject({ id, disabled: false });
    expect((await call(disk.target, 'GET', idPath(id))).status).toBe(404);
  });
});
