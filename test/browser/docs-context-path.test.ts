// The docs pages under --context-path /jira, in Debian's chromium: "Try it out" calls the API and the
// controls under /jira (where the page came from), and a page load logs no console error (the browser's
// own /favicon.ico request answers 204).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/spec.js';
import { startTarget, type Target } from '../helpers/target.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let t: Target;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(`${projectRoot}/dist/docs/index.html`)) execFileSync('npm', ['run', 'docs'], { cwd: projectRoot, stdio: 'ignore' });
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  t = await startTarget({ logLevel: 'silent', contextPath: '/jira' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 240_000);
afterAll(async () => { await browser?.close(); await t?.close(); });

/** Opens a page and records console errors and every answer of 400 or more. */
async function open(path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
  await page.goto(`${t.baseUrl}${path}`, { waitUntil: 'load' });
  return { page, problems };
}

async function execute(page: Page, block: string, summary: string, body?: string): Promise<string> {
  const op = page.locator(block, { hasText: summary }).first();
  await op.waitFor({ state: 'visible', timeout: 90_000 });
  await op.getByRole('button', { name: 'Try it out' }).click();
  if (body !== undefined) await op.locator('textarea.body-param__text').fill(body);
  await op.getByRole('button', { name: 'Execute' }).click();
  const live = op.locator('.live-responses-table tbody .response-col_status').first();
  await live.waitFor({ state: 'visible', timeout: 90_000 });
  const url = await op.locator('.request-url pre').first().innerText();
  expect(await live.innerText()).toContain('200');
  return url;
}

describe('the docs under --context-path /jira in a browser', () => {
  it('/jira/docs: "Try it out" on Add New Integration calls /jira/rest/…; the load logs no error', async () => {
    const { page, problems } = await open('/docs');
    const url = await execute(page, '.opblock-post', 'Add New Integration', JSON.stringify({ type: 'GITHUB', displayName: 'under jira', pat: 'docs-page-token' }));
    expect(url).toBe(`${t.baseUrl}/rest/gitplugin/1.0/integration`);
    await page.close();
    expect(problems).toEqual([]);
  }, 240_000);

  it('/jira/docs/mock-admin: "Try it out" on GET /__mock/requests calls /jira/__mock/requests', async () => {
    const { page, problems } = await open('/docs/mock-admin');
    const url = await execute(page, '.opblock-get', '/__mock/requests');
    expect(url.split('?')[0]).toBe(`${t.baseUrl}/__mock/requests`);
    await page.close();
    expect(problems).toEqual([]);
  }, 240_000);
});
