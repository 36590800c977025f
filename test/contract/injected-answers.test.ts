// Answers a correct request never gets, asked for with `Prefer: code=…`: the documented 500 of every
// operation, and injected 401/405 carrying the WWW-Authenticate and Allow headers the spec requires.
import { describe, expect, it } from 'vitest';
import { operations } from '../helpers/contract.js';
import { firstExampleRequest } from '../../scripts/example-requests.js';
import { expectError } from '../helpers/expectations.js';
import { REMOTE, runId, useFixture } from '../helpers/fixture.js';

const fx = useFixture();
// Its own session: the injected answers never reach the store, and this keeps it that way for others too.
const headers = (prefer: string) => ({ Prefer: prefer, 'X-Mock-Session': `injected-${runId}` });

// `Prefer: code=…` is a gij-mock control; a real Jira ignores it.
describe.skipIf(REMOTE)('injected answers on every operation', () => {
  for (const op of operations) {
    const request = firstExampleRequest(op);
    it(`${op.method} ${op.path} (${op.operationId}) with Prefer code=500 responds 500 with the documented envelope`, async () => {
      const res = await fx.call(request.method, request.path, { body: request.body, headers: headers('code=500') });
      expectError(op.operationId, res, 500, 'Injected fault: status 500');
    });

    it(`${op.operationId} with Prefer code=401 responds 401 with a WWW-Authenticate challenge`, async () => {
      const res = await fx.call(request.method, request.path, { body: request.body, headers: headers('code=401') });
      expectError(op.operationId, res, 401, 'Injected fault: status 401');
      expect(res.headers['www-authenticate']).toMatch(/\bBasic\b.*\bBearer\b/);
    });

    it(`${op.operationId} with Prefer code=405 responds 405 with Allow naming the methods of its path`, async () => {
      const res = await fx.call(request.method, request.path, { body: request.body, headers: headers('code=405') });
      expectError(op.operationId, res, 405, 'Injected fault: status 405');
      // The same list as a real 405: the path's documented methods, HEAD where it has GET, and OPTIONS.
      const onPath = operations.filter((o) => o.path === op.path).map((o) => o.method);
      const expected = [...onPath, ...(onPath.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].sort();
      expect(String(res.headers.allow).split(',').map((m) => m.trim()).sort()).toEqual(expected);
    });
  }
});
