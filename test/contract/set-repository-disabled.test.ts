// setIntegrationDisabled as the Repository pages document it: one endpoint for both kinds (one id sequence).
// The integration form's own statuses are in set-integration-disabled.test.ts.
import { describe, expect, it } from 'vitest';
import { expectContract } from '../helpers/contract.js';
import { expectError, expectForbidden, expectNotFound, expectUnauthorized, unindexed } from '../helpers/expectations.js';
import { call } from '../helpers/http.js';
import { disablePath, HAS_USER, REMOTE, VIA_PRISM, WRONG_TOKEN, type Schemas } from '../helpers/fixture.js';
import { expectDiskFull, removePath, standalone, useFailingDisk, useRepositoryFixture, type Repository } from '../helpers/repositories.js';

const fx = useRepositoryFixture();
const disk = useFailingDisk();
const settled = (r: Repository | undefined) => {
  if (!r) return r;
  const { state: _state, lastIndexedDate: _indexed, ...rest } = r;
  return rest;
};
const switchTo = async (id: number, disable: boolean) => {
  const res = await fx.call('PUT', disablePath(id, disable));
  expectContract('setIntegrationDisabled', res, 200);
  expect((res.body as Schemas['SuccessResponse']).success).toBe(true);
};

describe('setIntegrationDisabled on repositories', () => {
  it('PUT /repository/{id}/disable?disable=true of a standalone repository responds 200; it alone is disabled, and enabled again by false', async () => {
    const other = await fx.addRepository(standalone());
    const before = await fx.addRepository(standalone());
    await switchTo(before.id, true);
    expect(settled(await fx.repository(before.id))).toEqual(settled({ ...before, disabled: true }));
    expect((await fx.repository(other.id))?.disabled).toBe(false);
    await switchTo(before.id, false);
    expect(settled(await fx.repository(before.id))).toEqual(settled(before));
  });

  // What a host "has" is gij-mock's catalogue (default: the vendor's TestOrg on GitHub).
  it.skipIf(REMOTE)('PUT /repository/{id}/disable of a discovered repository switches it alone: siblings and integration unchanged', async () => {
    const { integration, children } = await fx.discovering();
    const [acme, ...siblings] = [children[1]!, children[0]!, children[2]!];
    await switchTo(acme.id, true);
    const after = await fx.listRepositories();
    expect(after.find((r) => r.id === acme.id)?.disabled).toBe(true);
    for (const s of siblings) expect(after.find((r) => r.id === s.id)?.disabled).toBe(false);
    expect(unindexed(await fx.get(integration.id))).toEqual(unindexed(integration));
  });

  it.skipIf(REMOTE)('PUT /repository/{id}/disable of an integration cascades to its repositories\' git data; enabling it gives each its own value back', async () => {
    const { integration, children } = await fx.discovering();
    const [own, ...rest] = children;
    await switchTo(own!.id, true);
    await switchTo(integration.id, true);
    expect((await fx.get(integration.id)).disabled).toBe(true);
    const listed = (await fx.listRepositories()).filter((r) => r.trackedFolderId === integration.id);
    expect(listed.map((r) => r.disabled)).toEqual([true, true, true]);
    const forTest = (await fx.listRepositories('?projectKey=TEST')).map((r) => r.id);
    for (const child of children) expect(forTest).not.toContain(child.id);
    await switchTo(integration.id, false);
    const back = (await fx.listRepositories()).filter((r) => r.trackedFolderId === integration.id);
    expect(back.map((r) => [r.id, r.disabled])).toEqual([[own!.id, true], ...rest.map((r) => [r.id, false])]);
  });

  it('PUT /repository/{id}/disable with an unknown token responds 401 and changes nothing', async () => {
    const before = await fx.addRepository(standalone());
    expectUnauthorized('setIntegrationDisabled', await fx.call('PUT', disablePath(before.id, true), { auth: WRONG_TOKEN }));
    expect((await fx.repository(before.id))?.disabled).toBe(false);
  });

  // Remotely the non-administrator's credentials come from GIJ_USER; without it there is none.
  it.skipIf(!HAS_USER)('PUT /repository/{id}/disable of a repository as a non-administrator responds 403 and changes nothing', async () => {
    const before = await fx.addRepository(standalone());
    expectForbidden('setIntegrationDisabled', await fx.call('PUT', disablePath(before.id, true), { auth: fx.target.user! }));
    expect((await fx.repository(before.id))?.disabled).toBe(false);
  });

  it('PUT /repository/{id}/disable of a removed repository responds 404 with the vendor texts', async () => {
    const { id } = await fx.addRepository(standalone());
    expectContract('removeRepository', await fx.call('DELETE', removePath(id)), 200);
    fx.repositories.delete(id);
    expectNotFound('setIntegrationDisabled', await fx.call('PUT', disablePath(id, true)), id);
  });

  // Through Prism the proxy answers a non-boolean query itself (422), before gij-mock sees it.
  it.skipIf(VIA_PRISM)('PUT /repository/{id}/disable?disable=maybe of a repository responds 400 naming disable and changes nothing', async () => {
    const before = await fx.addRepository(standalone());
    expectError('setIntegrationDisabled', await fx.call('PUT', `/repository/${before.id}/disable?disable=maybe`), 400, 'disable');
    expect((await fx.repository(before.id))?.disabled).toBe(false);
  });

  // A state file that cannot be written is a gij-mock condition (a real Jira has its own).
  it.skipIf(REMOTE)('PUT /repository/{id}/disable of a repository when the state file cannot be written responds 507 and changes nothing', async () => {
    const added = await call(disk.target, 'POST', '/repository', { body: standalone() });
    expectContract('addRepository', added, 200);
    const { id } = added.body as Repository;
    disk.failing = true;
    try {
      expectDiskFull('setIntegrationDisabled', await call(disk.target, 'PUT', disablePath(id, true)));
    } finally {
      disk.failing = false;
    }
    const listed = (await call(disk.target, 'GET', '/repository')).body as { repositories: Repository[] };
    expect(listed.repositories.find((r) => r.id === id)?.disabled).toBe(false);
  });
});
