// The life of one integration of every type, from the spec's own Add…Request examples.
import { describe, expect, it } from 'vitest';
import { expectContract, spec } from '../helpers/contract.js';
import { expectedView, expectNotFound, unindexed } from '../helpers/expectations.js';
import {
  addExamples, defaultOrigin, disablePath, example, idPath, mine, REMOTE, runId, useFixture,
  type AddBody, type Integration, type Schemas,
} from '../helpers/fixture.js';

const fx = useFixture();

async function update(id: number, body: Record<string, unknown>): Promise<Integration> {
  const res = await fx.call('PUT', idPath(id), { body });
  expectContract('updateIntegration', res, 200);
  return (res.body as Schemas['IntegrationSavedResponse']).integration;
}

async function setDisabled(id: number, disable: boolean): Promise<void> {
  const res = await fx.call('PUT', disablePath(id, disable));
  expectContract('setIntegrationDisabled', res, 200);
  expect((res.body as Schemas['SuccessResponse']).success).toBe(true);
}

describe('scenarios: the life of an integration of every type', () => {
  it('the Add…Request examples of the spec cover every integration type', () => {
    const types = (spec.components.schemas.IntegrationType?.enum ?? []) as string[];
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(addExamples.map((e) => e.body.type))).toEqual(new Set(types));
  });

  for (const { name, body: given } of addExamples) {
    it(`${given.type} (${name}): add → get → list → partial update → disable → enable → remove → get responds 404`, async () => {
      const body = mine(given);
      const added = await fx.add(body);
      expect(added).toMatchObject(expectedView(body));
      expect(added.origin).toBe(body.origin || defaultOrigin(body.type, String(body.awsRegion ?? '')));

      expect(unindexed(await fx.get(added.id))).toEqual(unindexed(added));
      expect((await fx.list()).map(unindexed)).toContainEqual(unindexed(added));

      // Only the fields sent change; the secrets are kept (the merged integration is re-checked
      // against the rules of its type, which need them) and never returned.
      const patch = { displayName: `renamed ${runId}`, maxMinsToCommitEmail: added.maxMinsToCommitEmail + 1, refSpecChanges: !added.refSpecChanges };
      const updated = await update(added.id, patch);
      expect(unindexed(updated)).toEqual(unindexed({ ...added, ...patch }));
      expect(unindexed(await fx.get(added.id))).toEqual(unindexed(updated));

      await setDisabled(added.id, true);
      expect(unindexed(await fx.get(added.id))).toEqual(unindexed({ ...updated, disabled: true }));
      await setDisabled(added.id, false);
      expect(unindexed(await fx.get(added.id))).toEqual(unindexed({ ...updated, disabled: false }));

      const removed = await fx.remove(added.id);
      expectContract('removeIntegration', removed, 200);
      expectNotFound('getIntegration', await fx.call('GET', idPath(added.id)), added.id);
      expect((await fx.list()).map((i) => i.id)).not.toContain(added.id);
    });
  }

  it('the vendor full Add example is answered as the vendor documents it, apart from id, initDate and name', async () => {
    const body = mine(example<AddBody>('AddFullGithubRequest'));
    const added = await fx.add(body);
    const { id: _id, initDate: _initDate, displayName: _displayName, ...documented } = example<Schemas['IntegrationSavedResponse']>('AddedResponse').integration;
    expect(added).toEqual({ ...documented, id: added.id, initDate: added.initDate, displayName: body.displayName });
  });

  it('global true answers projectMappingIds [] but keeps the ids, which come back when global turns false', async () => {
    const added = await fx.add(mine({ ...example<AddBody>('AddGithubRequest'), global: true, projectMappingIds: [10100, 10000, 10100] }));
    expect(added.projectMappingIds).toEqual([]);
    const local = await update(added.id, { global: false });
    // A set, in ascending order (the spec's projectMappingIds description).
    expect(local.projectMappingIds).toEqual([10000, 10100]);
  });

  // Only the in-process server's log is readable from here.
  it.skipIf(REMOTE)('the server log carries none of the secrets sent by this file', async () => {
    await fx.add(mine(example<AddBody>('AddAwsRequest')));
    expect(fx.target.logLines.length).toBeGreaterThan(0);
    const log = fx.target.logLines.join('\n');
    expect(fx.secrets.length).toBeGreaterThan(0);
    for (const secret of fx.secrets) expect(log).not.toContain(secret);
  });
});
