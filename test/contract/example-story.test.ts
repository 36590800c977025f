// The spec's first examples, run as they stand (as Portman, Dredd or Prism would send them): add integration →
// list → the repository and reindex operations → disable → get → update → remove against an empty store, each
// answer checked against the spec. document-order.test.ts walks the document itself and compares each answer
// with the first example; example-story-extended.test.ts runs the extended story with ids from the answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectContract, operation, operations } from '../helpers/contract.js';
import { EXAMPLE_STORY as STORY, exampleOf, firstExampleRequest, parametersOf } from '../../scripts/example-requests.js';
import { expectNoSecrets, splitSecrets } from '../helpers/expectations.js';
import { REMOTE, runId, type Schemas } from '../helpers/fixture.js';
import { call } from '../helpers/http.js';
import { startTarget, type Target } from '../helpers/target.js';

// A session of its own gives the story the empty store whose first add gets id 1 (the path examples' id).
const session = { 'X-Mock-Session': `story-${runId}` };

describe('example story: the first example of each operation', () => {
  it('the story names every operation of the spec once', () => {
    expect([...STORY].sort()).toEqual(operations.map((o) => o.operationId).sort());
  });

  for (const op of operations) {
    it(`${op.operationId}: every path and query parameter has an example`, () => {
      const missing = parametersOf(op).filter((p) => ['path', 'query'].includes(p.in) && exampleOf(p) === undefined);
      expect(missing.map((p) => p.name)).toEqual([]);
    });
  }
});

// A real Jira has no X-Mock-Session: its first add does not get id 1, so the examples' id 1 is not ours.
describe.skipIf(REMOTE)('example story: run against an empty store', () => {
  let target: Target;
  beforeAll(async () => { target = await startTarget(); });
  afterAll(() => target.close());

  it('add integration → … → remove integration (EXAMPLE_STORY), each first example answered 200 as the spec documents', async () => {
    const sent: string[] = [];
    for (const operationId of STORY) {
      const request = firstExampleRequest(operation(operationId));
      if (request.body && typeof request.body === 'object') sent.push(...splitSecrets(request.body as Record<string, unknown>).secrets);
      const res = await call(target, request.method, request.path, { body: request.body, headers: session });
      expectContract(operationId, res, 200);
      expectNoSecrets(res, sent);
      if (operationId === 'addIntegration') expect((res.body as Schemas['IntegrationSavedResponse']).integration.id).toBe(1);
      if (operationId === 'updateIntegration') expect((res.body as Schemas['IntegrationSavedResponse']).integration.global).toBe(false);
    }
    const after = await call(target, 'GET', '/integration', { headers: session });
    expectContract('listIntegrations', after, 200);
    expect((after.body as Schemas['IntegrationListResponse']).integrations).toEqual([]);
  });

  it('the story stops at the first step that fails: an update example sending another type answers 400', async () => {
    // Guards the test itself: the story above would catch the examples contradicting each other.
    const add = firstExampleRequest(operation('addIntegration'));
    const headers = { 'X-Mock-Session': `story-guard-${runId}` };
    const added = await call(target, 'POST', add.path, { body: add.body, headers });
    expectContract('addIntegration', added, 200);
    const update = firstExampleRequest(operation('updateIntegration'));
    const res = await call(target, 'PUT', update.path, { body: { ...(update.body as object), integrationType: 'GITLAB' }, headers });
    expectContract('updateIntegration', res, 400);
    expect(await call(target, 'DELETE', `${update.path}`, { headers }).then((r) => r.status)).toBe(200);
  });
});
