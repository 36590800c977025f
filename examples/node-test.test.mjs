// Recipe: Node's built-in test runner (node --test). One gij-mock per file, closed after the last test.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startGijMock } from 'gij-mock';

const headers = { Authorization: `Basic ${btoa('admin:admin')}`, 'Content-Type': 'application/json' };
let mock;
before(async () => {
  mock = await startGijMock({ port: 0 });
});
after(() => mock.close());
beforeEach(() => mock.reset());

test('add then list answers the added integration without its pat', async () => {
  const added = await fetch(`${mock.apiUrl}/integration`, { method: 'POST', headers, body: JSON.stringify({ type: 'GITLAB', pat: 'glpat-x', displayName: 'node:test' }) });
  assert.equal(added.status, 200);
  const { integrations } = await (await fetch(`${mock.apiUrl}/integration`, { headers })).json();
  assert.deepEqual(integrations.map((i) => i.displayName), ['node:test']);
  assert.equal(integrations[0].pat, undefined);
});

test('a fault rule makes the client see a 503', async () => {
  await mock.setFaults({ rules: [{ operationId: 'listIntegrations', status: 503 }] });
  assert.equal((await fetch(`${mock.apiUrl}/integration`, { headers })).status, 503);
  await mock.setFaults({ rules: [] });
});
