// The spec's example story with no port: through MSW's setupServer (gij-mock/msw for a Jira under
// https://jira.example.com/jira) and through createFetchHandler called directly. Each call answers 200
// and the journal, read through the controls as functions, holds the six calls.
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_STORY, firstExampleRequest } from '../../scripts/example-requests.js';
import { createFetchHandler } from '../../src/index.js';
import { gijMockHandlers } from '../../src/msw.js';
import { operationsOf } from '../../src/operations.js';
import { loadSpec } from '../../src/spec.js';

const AUTHORIZATION = `Basic ${btoa('admin:admin')}`;
const story = EXAMPLE_STORY.map((operationId) => ({ operationId, ...firstExampleRequest(operationsOf(loadSpec()).find((o) => o.operationId === operationId)!) }));

async function runStory(baseUrl: string, send: (request: Request) => Promise<Response>): Promise<string[]> {
  const answered: string[] = [];
  for (const { operationId, method, path, body } of story) {
    const headers: Record<string, string> = { authorization: AUTHORIZATION, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const response = await send(new Request(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
    answered.push(`${operationId} ${response.status}`);
    await response.arrayBuffer();
  }
  return answered;
}

describe('gij-mock/msw with setupServer', () => {
  const jira = gijMockHandlers({ baseUrl: 'https://jira.example.com/jira' });
  const server = setupServer(...jira);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(async () => {
    server.close();
    await jira.close();
  });

  it('answers the example story through the global fetch, and the controls see it', async () => {
    expect(await runStory('https://jira.example.com/jira', (r) => fetch(r))).toEqual(EXAMPLE_STORY.map((id) => `${id} 200`));
    expect((await jira.requests()).requests.map((r) => r.operationId)).toEqual([...EXAMPLE_STORY]);
    await jira.reset();
    expect((await jira.state()).integrations).toEqual([]);
  });

  it('keeps sessions apart and applies faults set through the controls', async () => {
    const headers = { authorization: AUTHORIZATION, 'content-type': 'application/json', 'x-mock-session': 'a' };
    await fetch(`${jira.apiUrl}/integration`, { method: 'POST', headers, body: JSON.stringify({ type: 'GITHUB', pat: 'p', displayName: 'in a' }) });
    expect((await jira.state({ session: 'a' })).integrations).toHaveLength(1);
    expect((await jira.state()).integrations).toHaveLength(0);
    await jira.setFaults({ rules: [{ operationId: 'listIntegrations', status: 503 }] });
    expect((await fetch(`${jira.apiUrl}/integration`, { headers: { authorization: AUTHORIZATION } })).status).toBe(503);
    await jira.setFaults({ rules: [] });
  });
});

describe('createFetchHandler', () => {
  it('answers the example story called directly', async () => {
    const handler = createFetchHandler({ contextPath: '/jira' });
    try {
      expect(await runStory('http://localhost/jira', handler)).toEqual(EXAMPLE_STORY.map((id) => `${id} 200`));
      expect((await handler.requests()).requests).toHaveLength(EXAMPLE_STORY.length);
    } finally {
      await handler.close();
    }
  });
});
