import { describe, expect, it } from 'vitest';
import { expectContract } from '../helpers/contract.js';
import {
  expectError, expectForbidden, expectMethodNotAllowed, expectNotFound, expectUnauthorized,
  unindexed,
} from '../helpers/expectations.js';
import { HAS_USER, idPath, useFixture, VIA_PRISM, WRONG_TOKEN, type Schemas } from '../helpers/fixture.js';

const fx = useFixture();

describe('getIntegration', () => {
  it('GET /integration/{id} responds 200 with the integration as added, in a one-element array', async () => {
    const added = await fx.addGithub();
    const res = await fx.call('GET', idPath(added.id));
    expectContract('getIntegration', res, 200);
    const { success, integration } = res.body as Schemas['IntegrationOneResponse'];
    expect(success).toBe('true');
    expect(integration.map(unindexed)).toEqual([unindexed(added)]);
  });

  it('GET /integration/{id} with an unknown query parameter responds 400 naming it', async () => {
    const { id } = await fx.addGithub();
    const res = await fx.call('GET', `${idPath(id)}?expand=repositories`);
    expectError('getIntegration', res, 400, 'expand is not a query parameter');
  });

  // Prism checks the path parameter itself and answers 422.
  it.skipIf(VIA_PRISM)('GET /integration/0 responds 400 naming integrationId and its minimum', async () => {
    expectError('getIntegration', await fx.call('GET', idPath(0)), 400, 'integrationId must be >= 1');
  });

  // Prism checks the path parameter itself and answers 422.
  it.skipIf(VIA_PRISM)('GET /integration/abc responds 400 naming integrationId and its type', async () => {
    expectError('getIntegration', await fx.call('GET', '/integration/abc'), 400, 'integrationId must be integer');
  });

  it('GET /integration/{id} with an unknown token responds 401 with a WWW-Authenticate challenge', async () => {
    const { id } = await fx.addGithub();
    expectUnauthorized('getIntegration', await fx.call('GET', idPath(id), { auth: WRONG_TOKEN }));
  });

  // Remotely the non-administrator's credentials come from GIJ_USER; without it there is none.
  it.skipIf(!HAS_USER)('GET /integration/{id} as a non-administrator responds 403', async () => {
    const { id } = await fx.addGithub();
    expectForbidden('getIntegration', await fx.call('GET', idPath(id), { auth: fx.target.user! }));
  });

  it('GET /integration/{id} of a removed integration responds 404 with the vendor texts', async () => {
    const id = await fx.goneId();
    expectNotFound('getIntegration', await fx.call('GET', idPath(id)), id);
  });

  // Prism answers a method the spec does not list with its own 405.
  it.skipIf(VIA_PRISM)('PATCH /integration/{id} responds 405 with Allow naming the methods of the path', async () => {
    const { id } = await fx.addGithub();
    await expectMethodNotAllowed(fx.call, 'getIntegration', id);
  });
});
