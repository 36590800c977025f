// The spec read top to bottom, as Dredd and openapi-to-postmanv2 walk it (paths in document order, methods
// in their order within a path item): each operation's first request example, sent to one fresh server,
// answers the first 200 example of that operation exactly (ids, and initDate from --clock), so the story
// holds for any tool that runs the document as written. Issue 18: remove once came before disable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_STORY, firstExampleRequest, resolve } from '../../scripts/example-requests.js';
import { expectContract, operation, spec } from '../helpers/contract.js';
import { REMOTE, runId } from '../helpers/fixture.js';
import { call } from '../helpers/http.js';
import { startTarget, type Target } from '../helpers/target.js';

/** The clock the spec's Conventions name for its first answer examples. */
const STORY_CLOCK = 1626070678087;
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** operationIds in document order: paths top to bottom, methods as written within each path item. */
function documentOrder(): string[] {
  return Object.values(spec.paths).flatMap((item) =>
    Object.entries(item as Record<string, { operationId?: string }>).filter(([method]) => METHODS.has(method)).map(([, op]) => op.operationId!));
}

/** The value of the first example of the operation's 200 JSON answer. */
function first200Example(operationId: string): unknown {
  const op = operation(operationId);
  const item = spec.paths[op.path] as Record<string, { responses: Record<string, unknown> }>;
  const response = resolve<{ content: Record<string, { examples: Record<string, unknown> }> }>(item[op.method.toLowerCase()]!.responses['200']);
  return resolve<{ value: unknown }>(Object.values(response.content['application/json']!.examples)[0]).value;
}

describe('the spec in document order', () => {
  it('is the example story (scripts/example-requests.ts, the Portman order)', () => {
    expect(documentOrder()).toEqual([...EXAMPLE_STORY]);
  });
});

// A real Jira neither starts empty under a session of ours nor takes --clock.
describe.skipIf(REMOTE)('the spec in document order, replayed against a fresh server', () => {
  let target: Target;
  beforeAll(async () => { target = await startTarget({ clock: STORY_CLOCK, logLevel: 'silent' }); });
  afterAll(() => target.close());
  const headers = { 'X-Mock-Session': `document-order-${runId}` };

  it('each first request example is answered 200 with exactly the first 200 example', async () => {
    for (const operationId of documentOrder()) {
      const request = firstExampleRequest(operation(operationId));
      const res = await call(target, request.method, request.path, { body: request.body, headers });
      expectContract(operationId, res, 200);
      expect(res.body, `${operationId}: ${request.method} ${request.path}`).toEqual(first200Example(operationId));
    }
  });
});
