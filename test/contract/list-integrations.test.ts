import { describe, expect, it } from 'vitest';
import { unindexed } from '../helpers/expectations.js';
import { expectContract } from '../helpers/contract.js';
import { expectError, expectForbidden, expectMethodNotAllowed, expectUnauthorized } from '../helpers/expectations.js';
import { HAS_USER, useFixture, VIA_PRISM, WRONG_TOKEN, type Schemas } from '../helpers/fixture.js';

const fx = useFixture();

describe('listIntegrations', () => {
  it('GET /integration responds 200 with every integration, ascending by id, without secrets', async () => {
    const first = await fx.addGithub();
    const second = await fx.addGithub();
    const res = await fx.call('GET', '/integration');
    expectContract('listIntegrations', res, 200);
    const { success, integrations } = res.body as Schemas['IntegrationListResponse'];
    expect(success).toBe(true);
    expect(integrations.map(unindexed)).toContainEqual(unindexed(first));
    expect(integrations.map(unindexed)).toContainEqual(unindexed(second));
    const ids = integrations.map((i) => i.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('GET /integration with an unknown query parameter responds 400 naming it', async () => {
    const res = await fx.call('GET', '/integration?maxResults=10');
    expectError('listIntegrations', res, 400, 'maxResults is not a query parameter');
  });

  it('GET /integration with an unknown token responds 401 with a WWW-Authenticate challenge', async () => {
    expectUnauthorized('listIntegrations', await fx.call('GET', '/integration', { auth: WRONG_TOKEN }));
  });

  // Remotely the non-administrator's credentials come from GIJ_USER; without it there is none.
  it.skipIf(!HAS_USER)('GET /integration as a non-administrator responds 403', async () => {
    expectForbidden('listIntegrations', await fx.call('GET', '/integration', { auth: fx.target.user! }));
  });

  // Prism answers a method the spec does not list with its own 405.
  it.skipIf(VIA_PRISM)('PATCH /integration responds 405 with Allow naming the methods of the path', async () => {
    await expectMethodNotAllowed(fx.call, 'listIntegrations');
  });
});
