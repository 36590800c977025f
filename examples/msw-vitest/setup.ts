// MSW intercepts fetch in each test worker; gij-mock/msw answers every URL under the Jira base URL your
// client is configured with. Each worker has its own mock (its own process), reset before each test.
import { setupServer } from 'msw/node';
import { gijMockHandlers } from 'gij-mock/msw';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export const jira = gijMockHandlers({ baseUrl: 'https://jira.example.com/jira' });
const server = setupServer(...jira);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(async () => {
  await jira.reset();
  await jira.clearRequests();
});
afterAll(async () => {
  server.close();
  await jira.close();
});
