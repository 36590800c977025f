// Recipe: the code under test calls the real Jira URL with fetch; MSW hands each call to gij-mock in this process.
import { expect, test } from 'vitest';
import { jira } from './setup.js';

const headers = { Authorization: `Basic ${btoa('admin:admin')}`, 'Content-Type': 'application/json' };

test('an added integration is listed, disabled and removed', async () => {
  const added = await fetch(`${jira.apiUrl}/integration`, { method: 'POST', headers, body: JSON.stringify({ type: 'GITHUB', pat: 'token', displayName: 'msw recipe' }) });
  expect(added.status).toBe(200);
  const { integration } = (await added.json()) as { integration: { id: number } };
  const list = (await (await fetch(`${jira.apiUrl}/integration`, { headers })).json()) as { integrations: { displayName: string }[] };
  expect(list.integrations.map((i) => i.displayName)).toEqual(['msw recipe']);
  expect((await fetch(`${jira.apiUrl}/repository/${integration.id}/disable?disable=true`, { method: 'PUT', headers })).status).toBe(200);
  expect((await fetch(`${jira.apiUrl}/integration/${integration.id}`, { method: 'DELETE', headers })).status).toBe(200);
  expect((await jira.requests({ operationId: 'addIntegration' })).requests).toHaveLength(1);
});

test('faults set through the controls reach the client', async () => {
  await jira.setFaults({ rules: [{ operationId: 'listIntegrations', status: 503 }] });
  expect((await fetch(`${jira.apiUrl}/integration`, { headers })).status).toBe(503);
  await jira.setFaults({ rules: [] });
});
