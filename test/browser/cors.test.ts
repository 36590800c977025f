// gij-mock called by web pages in Debian's chromium: a page on another loopback port runs add → get →
// update → remove with credentials; a page on a disallowed origin (evil.example, resolved to 127.0.0.1
// by the browser's own resolver rules, so nothing leaves the machine) can neither call the API, nor
// wipe the store with a "simple" cross-site POST, nor read it by rebinding its name to the mock.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignSite } from '../helpers/chromium.js';
import { call } from '../helpers/http.js';
import { API, startTarget, type Target } from '../helpers/target.js';

const SESSION = 'browser-cors';
let t: Target;
let site: Awaited<ReturnType<typeof foreignSite>>;
let pagePort: number;
let context: BrowserContext;

beforeAll(async () => {
  t = await startTarget({ logLevel: 'silent' });
  // The "other site": blank pages on their own loopback port; evil.example is this machine.
  site = await foreignSite();
  ({ pagePort, context } = site);
}, 60_000);
afterAll(async () => {
  await site?.close();
  await t?.close();
});

const mockPort = () => new URL(t.baseUrl).port;
const stored = async () => ((await call(t, 'GET', '/integration', { headers: { 'x-mock-session': SESSION } })).body as { integrations: Array<{ displayName: string }> }).integrations;

async function pageAt(url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

interface Step { status: number; body: unknown; requestId: string | null }

/** add → get → update → remove from inside the page, each a credentialed cross-origin fetch. */
function crudInPage(page: Page, api: string): Promise<Step[] | string> {
  return page.evaluate(async ({ api, session }) => {
    const headers = { Authorization: `Basic ${btoa('admin:admin')}`, 'Content-Type': 'application/json', 'X-Mock-Session': session };
    const send = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${api}${path}`, { method, headers, credentials: 'include', body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: await res.json(), requestId: res.headers.get('X-Request-Id') };
    };
    try {
      const added = await send('POST', '/integration', { type: 'GITHUB', pat: 'p', displayName: 'from a page' });
      const id = (added.body as { integration: { id: number } }).integration.id;
      const got = await send('GET', `/integration/${id}`);
      const updated = await send('PUT', `/integration/${id}`, { displayName: 'renamed by a page' });
      const removed = await send('DELETE', `/integration/${id}?deleteFiles=false`);
      const gone = await send('GET', `/integration/${id}`);
      return [added, got, updated, removed, gone];
    } catch (e) {
      return `refused: ${(e as Error).message}`;
    }
  }, { api, session: SESSION });
}

describe('CORS in chromium', () => {
  it('a page on another loopback port runs add → get → update → remove with credentials and reads X-Request-Id', async () => {
    const page = await pageAt(`http://127.0.0.1:${pagePort}/`);
    const steps = await crudInPage(page, `http://127.0.0.1:${mockPort()}${API}`);
    expect(typeof steps, String(steps)).toBe('object');
    const [added, got, updated, removed, gone] = steps as Step[];
    expect([added, got, updated, removed, gone].map((s) => s!.status)).toEqual([200, 200, 200, 200, 404]);
    expect(got!.body).toMatchObject({ integration: [{ displayName: 'from a page' }] });
    expect(updated!.body).toMatchObject({ integration: { displayName: 'renamed by a page' } });
    expect(added!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await stored()).toEqual([]);
    await page.close();
  }, 60_000);

  it('a page on a disallowed origin (http://evil.example) cannot call the API: the browser refuses every step', async () => {
    const before = await stored();
    const page = await pageAt(`http://evil.example:${pagePort}/`);
    const steps = await crudInPage(page, `http://127.0.0.1:${mockPort()}${API}`);
    expect(steps).toMatch(/^refused: /);
    expect(await stored()).toEqual(before);
    await page.close();
  }, 60_000);

  it('a simple cross-site POST /__mock/reset?all=true (text/plain, no-cors) from evil.example leaves the store intact', async () => {
    await call(t, 'POST', '/integration', { body: { type: 'GITHUB', pat: 'p', displayName: 'survivor' }, headers: { 'x-mock-session': SESSION } });
    const before = await stored();
    const page = await pageAt(`http://evil.example:${pagePort}/`);
    const sent = await page.evaluate(async (url) => {
      const res = await fetch(url, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: 'wipe' });
      return res.type;
    }, `http://127.0.0.1:${mockPort()}/__mock/reset?all=true`);
    expect(sent).toBe('opaque');
    expect(before.map((i) => i.displayName)).toContain('survivor');
    expect(await stored()).toEqual(before);
    await page.close();
  }, 60_000);

  it('a DNS-rebinding page (evil.example resolved to the mock) reads 421 instead of /__mock/state or the API', async () => {
    const page = await context.newPage();
    const res = await page.goto(`http://evil.example:${mockPort()}/__mock/state`);
    expect(res?.status()).toBe(421);
    expect(await page.textContent('body')).toContain('is not a name gij-mock answers to');
    const api = await page.evaluate(async () => {
      const r = await fetch('/rest/gitplugin/1.0/integration', { headers: { Authorization: `Basic ${btoa('admin:admin')}`, 'X-Mock-Session': 'browser-cors' } });
      return { status: r.status, text: await r.text() };
    });
    expect(api.status).toBe(421);
    expect(api.text).not.toContain('survivor');
    await page.close();
  }, 60_000);
});
