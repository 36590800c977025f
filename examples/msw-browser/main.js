// Recipe: the page's code calls the Jira URL; MSW's service worker hands each call to gij-mock in the page.
import { setupWorker } from 'msw/browser';
import { gijMockHandlers } from 'gij-mock/msw';

const jira = gijMockHandlers({ baseUrl: 'https://jira.example.com/jira' });
const worker = setupWorker(...jira);
const headers = { Authorization: `Basic ${btoa('admin:admin')}`, 'Content-Type': 'application/json' };
const result = document.getElementById('result');

try {
  await worker.start({ onUnhandledRequest: 'error', quiet: true });
  const added = await fetch(`${jira.apiUrl}/integration`, { method: 'POST', headers, body: JSON.stringify({ type: 'GITHUB', pat: 'token', displayName: 'in the page' }) });
  if (added.status !== 200) throw new Error(`add answered ${added.status}`);
  const { integrations } = await (await fetch(`${jira.apiUrl}/integration`, { headers })).json();
  if (integrations[0]?.displayName !== 'in the page') throw new Error(`list answered ${JSON.stringify(integrations)}`);
  const journal = await jira.requests();
  result.textContent = `passed: ${journal.requests.length} calls answered in the page`;
} catch (e) {
  result.textContent = `failed: ${e.message}`;
}
