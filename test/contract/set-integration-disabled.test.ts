import { describe, expect, it } from 'vitest';
import { expectContract } from '../helpers/contract.js';
import {
  expectError, expectForbidden, expectMethodNotAllowed, expectNotFound, expectUnauthorized, unindexed,
} from '../helpers/expectations.js';
import { disablePath, HAS_USER, useFixture, VIA_PRISM, WRONG_TOKEN, type Schemas } from '../helpers/fixture.js';

const fx = useFixture();

describe('setIntegrationDisabled', () => {
  it('PUT /repository/{id}/disable?disable=true responds 200 and the integration is disabled, nothing else changed', async () => {
    const before = await fx.addGithub();
    const res = await fx.call('PUT', disablePath(before.id, !before.disabled));
    expectContract('setIntegrationDisabled', res, 200);
    expect((res.body as Schemas['SuccessResponse']).success).toBe(true);
    expect(unindexed(await fx.get(before.id))).toEqual(unindexed({ ...before, disabled: !before.disabled }));
  });

  it('PUT /repository/{id}/disable with an unknown query parameter responds 400 naming it', async () => {
    const before = await fx.addGithub();
    const res = await fx.call('PUT', `${disablePath(before.id, true)}&force=true`);
    expectError('setIntegrationDisabled', res, 400, 'force is not a query parameter');
    expect(unindexed(await fx.get(before.id))).toEqual(unindexed(before));
  });

  // Prism checks the required query parameter itself and answers 422.
  it.skipIf(VIA_PRISM)('PUT /repository/{id}/disable without disable responds 400 naming the parameter', async () => {
    const { id } = await fx.addGithub();
    expectError('setIntegrationDisabled', await fx.call('PUT', `/repository/${id}/disable`), 400, 'disable is required');
  });

  it('PUT /repository/{id}/disable with an unknown token responds 401 with a WWW-Authenticate challenge', async () => {
    const before = await fx.addGithub();
    expectUnauthorized('setIntegrationDisabled', await fx.call('PUT', disablePath(before.id, true), { auth: WRONG_TOKEN }));
    expect(unindexed(await fx.get(before.id))).toEqual(unindexed(before));
  });

  // Remotely the non-administrator's credentials come from GIJ_USER; without it there is none.
  it.skipIf(!HAS_USER)('PUT /repository/{id}/disable as a non-administrator responds 403', async () => {
    const before = await fx.addGithub();
    expectForbidden('setIntegrationDisabled', await fx.call('PUT', disablePath(before.id, true), { auth: fx.target.user! }));
    expect(unindexed(await fx.get(before.id))).toEqual(unindexed(before));
  });

  it('PUT /repository/{id}/disable of a removed integration responds 404 with the vendor texts', async () => {
    const id = await fx.goneId();
    expectNotFound('setIntegrationDisabled', await fx.call('PUT', disablePath(id, true)), id);
  });

  // Prism answers a method the spec does not list with its own 405.
  it.skipIf(VIA_PRISM)('PATCH /repository/{id}/disable responds 405 with Allow naming the methods of the path', async () => {
    const { id } = await fx.addGithub();
    await expectMethodNotAllowed(fx.call, 'setIntegrationDisabled', id);
  });
});
