// Recipe: a vitest file using the shared mock; its sibling integrations-a.test.ts may run at the same time in another worker.
import { expect, test } from 'vitest';
import { apiUrl, controls, headers, session } from './session.js';

test('adding one integration in this worker session lists exactly that one (b)', async () => {
  const added = await fetch(`${apiUrl}/integration`, { method: 'POST', headers, body: JSON.stringify({ type: 'GITHUB', pat: 'token-b', displayName: 'recipe b' }) });
  expect(added.status).toBe(200);
  const list = (await (await fetch(`${apiUrl}/integration`, { headers })).json()) as { integrations: { displayName: string }[] };
  expect(list.integrations.map((i) => i.displayName)).toEqual(['recipe b']);
  const journal = await controls.requests({ operationId: 'addIntegration', session });
  expect(journal.requests).toHaveLength(1);
});
