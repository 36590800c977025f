// Recipe: a vitest file using the shared mock; its sibling integrations-b.test.ts may run at the same time in another worker.
import { expect, test } from 'vitest';
import { apiUrl, controls, headers, session } from './session.js';

test('adding one integration in this worker session lists exactly that one (a)', async () => {
  const added = await fetch(`${apiUrl}/integration`, { method: 'POST', headers, body: JSON.stringify({ type: 'GITHUB', pat: 'token-a', displayName: 'recipe a' }) });
  expect(added.status).toBe(200);
  const list = (await (await fetch(`${apiUrl}/integration`, { headers })).json()) as { integrations: { displayName: string }[] };
  expect(list.integrations.map((i) => i.displayName)).toEqual(['recipe a']);
  const journal = await controls.requests({ operationId: 'addIntegration', session });
  expect(journal.requests).toHaveLength(1);
});
