import { describe, expect, it } from 'vitest';
import { expectContract } from '../helpers/contract.js';
import {
  expectError, expectForbidden, expectMethodNotAllowed, expectNotFound, expectUnauthorized, unindexed,
} from '../helpers/expectations.js';
import { HAS_USER, idPath, useFixture, VIA_PRISM, WRONG_TOKEN, type Schemas } from '../helpers/fixture.js';

const fx = useFixture();

describe('removeIntegration', () => {
  it('DELETE /integration/{id}?deleteFiles=true responds 200 and the integration is gone', async () => {
    const { id } = await fx.addGithub();
    const res = await fx.remove(id, '?deleteFiles=true');
    expectContract('removeIntegration', res, 200);
    expect((res.body as Schemas['SuccessResponse']).success).toBe(true);
    expectNotFound('getIntegration', await fx.call('GET', idPath(id)), id);
    expect((await fx.list()).map((i) => i.id)).not.toContain(id);
  });

  it('DELETE /integration/{id} with an unknown query parameter responds 400 naming it and removes nothing', async () => {
    const added = await fx.addGithub();
    const res = await fx.call('DELETE', `${idPath(added.id)}?force=true`);
    expectError('removeIntegration', res, 400, 'force is not a query parameter');
    expect(unindexed(await fx.get(added.id))).toEqual(unindexed(added));
  });

  // Prism checks the query parameter itself and answers 422.
  it.skipIf(VIA_PRISM)('DELETE /integration/{id}?deleteFiles=maybe responds 400 naming deleteFiles', async () => {
    const added = await fx.addGithub();
    const res = await fx.call('DELETE', `${idPath(added.id)}?deleteFiles=maybe`);
    expectError('removeIntegration', res, 400, 'deleteFiles');
    expect(unindexed(await fx.get(added.id))).toEqual(unindexed(added));
  });

  it('DELETE /integration/{id} with an unknown token responds 401 with a WWW-Authenticate challenge', async () => {
    const added = await fx.addGithub();
    expectUnauthorized('removeIntegration', await fx.call('DELETE', idPath(added.id), { auth: WRONG_TOKEN }));
    expect(unindexed(await fx.get(added.id))).toEqual(unindexed(added));
  });

  // Remotely the non-administrator's credentials come from GIJ_USER; without it there is none.
  it.skipIf(!HAS_USER)('DELETE /integration/{id} as a non-administrator responds 403', async () => {
    const added = await fx.addGithub();
    expectForbidden('removeIntegration', await fx.call('DELETE', idPath(added.id), { auth: fx.target.user! }));
    expect(unindexed(await fx.get(added.id))).toEqual(unindexed(added));
  });

  it('DELETE /integration/{id} of a removed integration responds 404 with the vendor texts', async () => {
    const id = await fx.goneId();
    expectNotFound('removeIntegration', await fx.remove(id, '?deleteFiles=true'), id);
  });

  // Prism answers a method the spec does not list with its own 405.
  it.skipIf(VIA_PRISM)('PATCH /integration/{id} responds 405 with Allow naming the methods of the path', async () => {
    const { id } = await fx.addGithub();
    await expectMethodNotAllowed(fx.call, 'removeIntegration', id);
  });
});
