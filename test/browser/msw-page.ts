// The page of test/browser/msw-worker.test.ts, bundled by esbuild for the browser in the test: MSW's
// service worker with gij-mock/msw's handlers for a Jira that does not exist (jira.example.com resolves
// nowhere in the test's chromium), and a function the test calls to send one request from the page.
import { setupWorker } from 'msw/browser';
import { gijMockHandlers } from 'gij-mock/msw';

export const BASE_URL = 'https://jira.example.com/jira';
const mock = gijMockHandlers({ baseUrl: BASE_URL });
const worker = setupWorker(...mock);

interface Call { method: string; path: string; headers: Record<string, string>; body?: string }
const page = {
  start: async () => void (await worker.start({ serviceWorker: { url: '/mockServiceWorker.js' }, onUnhandledRequest: 'error', quiet: true })),
  stop: () => worker.stop(),
  call: async ({ method, path, headers, body }: Call) => {
    const response = await fetch(`${BASE_URL}${path}`, { method, headers, body });
    return { status: response.status, body: await response.text() };
  },
  journal: async () => (await mock.requests()).requests.length,
};
(globalThis as unknown as { gij: typeof page }).gij = page;
