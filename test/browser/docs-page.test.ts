// Opens /docs and /docs/mock-admin in Debian's chromium, records every request the page makes for
// 15 s (anything not sent to the server itself fails the test), checks the operations and the
// generated per-type rules are on the page without a click, that the operation index lists every
// operation by tag and takes the reader to one (expanded, in view), runs "Try it out" on Add New Integration
// and checks the integration lands in the visitor's own X-Mock-Session only (and that a session typed
// into a control's own X-Mock-Session field wins). Screenshots of the add
// operation go to test-output/screenshots/ for review.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { typeRules } from '../../scripts/docs/type-rules.js';
import { projectRoot } from '../../src/spec.js';
import { spec } from '../helpers/contract.js';
import { startTarget, type Target } from '../helpers/target.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OPEN_MS = 15_000;
const shots = join(projectRoot, 'test-output', 'screenshots');
let t: Target;
let browser: Browser;

beforeAll(async () => {
  // Always rebuild: a page left over from another renderer must not be the one tested.
  execFileSync('npm', ['run', 'docs'], { cwd: projectRoot, stdio: 'ignore' });
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  t = await startTarget({ logLevel: 'silent' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(shots, { recursive: true });
}, 240_000);
afterAll(async () => { await browser?.close(); await t?.close(); });

/** Opens a page that records every request (and refuses those not sent to the server itself). */
async function openRecorded(path: string): Promise<{ page: Page; requests: string[]; outside: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const own = new URL(t.baseUrl).host;
  const requests: string[] = [];
  const outside: string[] = [];
  const isOwn = (url: string) => { const u = new URL(url); return u.protocol === 'data:' || u.protocol === 'blob:' || u.host === own; };
  page.on('request', (r) => { requests.push(`${r.method()} ${r.url().slice(0, 200)}`); if (!isOwn(r.url())) outside.push(`${r.method()} ${r.url()}`); });
  page.on('websocket', (ws) => outside.push(`WEBSOCKET ${ws.url()}`));
  await page.route('**/*', (route) => (isOwn(route.request().url()) ? route.continue() : route.abort()));
  await page.goto(`${t.baseUrl}${path}`, { waitUntil: 'load' });
  return { page, requests, outside };
}

type Operation = { method: string; path: string; operationId: string; summary: string; tags: string[] };
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);
/** Every operation of a spec, read here rather than by the page's own index generator. */
function operationsOf(doc: { paths: Record<string, Record<string, unknown>> }): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).filter(([m]) => METHODS.has(m)).map(([method, op]) => {
    const o = op as { operationId: string; summary: string; tags?: string[] };
    return { method, path, operationId: o.operationId, summary: o.summary, tags: o.tags?.length ? o.tags : ['default'] };
  }));
}
/** The index's links (href → text) in a served page, from its HTML. */
const indexLinks = (html: string) => [...html.matchAll(/<a href="(#\/[^"]+)" data-tag="[^"]*" data-op="[^"]*"[^>]*>(.*?)<\/a>/g)]
  .map(([, href, text]) => ({ href: href!, text: text!.replace(/<[^>]+>/g, '').replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))) }));

const listIn = async (session?: string) => {
  const res = await fetch(`${t.baseUrl}/rest/gitplugin/1.0/integration`, { headers: { Authorization: t.admin, ...(session ? { 'X-Mock-Session': session } : {}) } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { integrations: { displayName: string }[] }).integrations;
};

describe('GET /docs in a browser', () => {
  it('shows every operation, and each type\'s required fields and default origin, without a click', async () => {
    const { page } = await openRecorded('/docs');
    const summaries = operationsOf(spec as never).map((op) => op.summary);
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries.every(Boolean), 'every operation has a summary').toBe(true);
    const drawn = page.locator('#swagger-ui'); // not the index beside it, which is plain HTML
    for (const summary of summaries) await drawn.getByText(summary, { exact: true }).first().waitFor({ state: 'visible', timeout: 90_000 });
    const rules = typeRules(spec as unknown as Record<string, unknown>);
    const types = new Set(rules.map((r) => r.type));
    expect(types.size).toBe(12);
    const table = page.locator('table', { hasText: 'and one of' }).first();
    await table.waitFor({ state: 'visible' });
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(rules.length);
    for (const [i, rule] of rules.entries()) {
      const row = rows[i]!;
      expect(row, rule.type).toContain(rule.type);
      for (const field of rule.required) expect(row, `${rule.type} requires ${field}`).toContain(field);
      for (const field of rule.oneOf.flat()) expect(row, `${rule.type} one of ${field}`).toContain(field);
      if (rule.defaultOrigin) expect(row, `${rule.type} default origin`).toContain(rule.defaultOrigin);
    }
    // Independently of the table generator: GERRIT's then.required straight from the spec.
    const gerrit = rows.find((r) => r.startsWith('GERRIT'))!;
    for (const field of ['origin', 'username', 'password']) expect(gerrit).toContain(field);
    // Every example of the add operation is offered (one per type, plus the full GitHub one).
    const html = await page.content();
    const examples = (spec.components as unknown as { examples: Record<string, { summary: string }> }).examples;
    const typeExamples = Object.entries(examples).filter(([name]) => /^Add\w+Request$/.test(name));
    expect(typeExamples.length).toBeGreaterThanOrEqual(12);
    for (const [, ex] of typeExamples) expect(html, ex.summary).toContain(ex.summary.replace(/&/g, '&amp;'));
    const add = page.locator('.opblock-post', { hasText: 'Add New Integration' }).first();
    await add.scrollIntoViewIfNeeded();
    await add.screenshot({ path: join(shots, 'docs-add-operation.png') });
    await add.locator('.opblock-description-wrapper').first().screenshot({ path: join(shots, 'docs-add-rules.png') });
    await add.locator('.opblock-section-request-body').first().screenshot({ path: join(shots, 'docs-add-request-body.png') });
    await page.close();
  }, 240_000);

  it('the operation index has an entry per operation and tag on both pages; the getReindexStatus entry shows that operation expanded in view', async () => {
    // Every operation under each of its tags, in the spec's order, on both pages, linked to Swagger UI's deep link.
    const admin = parse(readFileSync(join(projectRoot, 'openapi', 'mock-admin.yaml'), 'utf8')) as never;
    for (const [path, doc] of [['/docs', spec as never], ['/docs/mock-admin', admin]] as const) {
      const res = await fetch(`${t.baseUrl}${path}`);
      const links = indexLinks(await res.text());
      const want = operationsOf(doc).flatMap((op) => op.tags.map((tag) => ({ tag, op })));
      expect(links.map((l) => l.href).sort(), path).toEqual(want.map(({ tag, op }) => `#/${tag}/${op.operationId}`).sort());
      for (const { tag, op } of want) expect(links.find((l) => l.href === `#/${tag}/${op.operationId}`)!.text, `${path} ${op.operationId}`).toBe(`${op.method.toUpperCase()} ${op.summary}`);
    }
    const { page, outside } = await openRecorded('/docs');
    const sections = await page.locator('#gij-nav h2').allInnerTexts();
    const tags = (spec as unknown as { tags: { name: string }[] }).tags.map((tag) => tag.name);
    expect(sections.map((s) => s.toLowerCase())).toEqual(tags.map((s) => s.toLowerCase())); // shown in capitals
    const target = page.locator('#operations-Reindex-getReindexStatus');
    await target.waitFor({ state: 'visible', timeout: 90_000 });
    // The reader collapsed it and is at the top of the page: the entry must bring it back open and in view.
    await target.locator('.opblock-summary-control').first().click();
    await target.locator('.opblock-body').waitFor({ state: 'detached' });
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    const inView = () => target.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= -2 && r.top < (globalThis as unknown as { innerHeight: number }).innerHeight / 2; });
    expect(await inView()).toBe(false);
    await page.locator('#gij-nav a[data-op="getReindexStatus"]').click();
    await expect.poll(inView, { timeout: 30_000 }).toBe(true);
    await target.locator('.opblock-body').waitFor({ state: 'visible', timeout: 30_000 });
    await expect(target.getByRole('button', { name: 'Try it out' }).isVisible()).resolves.toBe(true);
    expect(await page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash)).toBe('#/Reindex/getReindexStatus');
    await page.screenshot({ path: join(shots, 'docs-index-jump.png') });
    await page.close();
    expect(outside).toEqual([]);
  }, 240_000);

  for (const path of ['/docs', '/docs/mock-admin']) {
    it(`${path} sends no request beyond its own server in ${OPEN_MS / 1000} s`, async () => {
      const { page, requests, outside } = await openRecorded(path);
      await page.locator('.opblock').first().waitFor({ state: 'visible', timeout: 90_000 });
      await page.waitForTimeout(OPEN_MS);
      await page.close();
      expect(requests.length).toBeGreaterThan(0); // the recorder saw at least the page itself
      expect(outside).toEqual([]);
    }, OPEN_MS + 150_000);
  }

  it('"Try it out" on Add New Integration creates the integration in the visitor\'s own session only', async () => {
    const { page, outside } = await openRecorded('/docs');
    const session = await page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem('gij-mock-docs-session'));
    expect(session).toMatch(/^docs-[0-9a-f]{12}$/);
    await expect(page.locator('#gij-session-name').innerText()).resolves.toBe(session);
    const add = page.locator('.opblock-post', { hasText: 'Add New Integration' }).first();
    await add.getByRole('button', { name: 'Try it out' }).click();
    const name = `docs try-it ${Date.now()}`;
    const body = { type: 'GITHUB', displayName: name, pat: 'docs-page-token' };
    await add.locator('textarea.body-param__text').fill(JSON.stringify(body, null, 2));
    await add.locator('.opblock-section-request-body').first().screenshot({ path: join(shots, 'docs-add-try-it.png') });
    await add.getByRole('button', { name: 'Execute' }).click();
    const live = add.locator('.live-responses-table tbody .response-col_status').first();
    await live.waitFor({ state: 'visible', timeout: 90_000 });
    await expect(live.innerText()).resolves.toContain('200');
    // The curl line (with the session header) down to the live response, not the documented ones.
    const from = (await add.locator('.curl-command').first().boundingBox())!;
    const to = (await add.locator('.live-responses-table').first().boundingBox())!;
    const scrollY = await page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY);
    await page.screenshot({ path: join(shots, 'docs-add-response.png'), fullPage: true, clip: { x: to.x, y: from.y + scrollY, width: to.width, height: to.y + to.height - from.y } });
    await page.close();
    expect(outside).toEqual([]);
    expect((await listIn(session!)).map((i) => i.displayName)).toEqual([name]);
    expect((await listIn()).map((i) => i.displayName)).not.toContain(name);
    expect(await listIn(`${session}-other`)).toEqual([]);
  }, 240_000);

  it('"Try it out" on PUT /__mock/state in /docs/mock-admin uses the session typed into its X-Mock-Session field', async () => {
    const { page, outside } = await openRecorded('/docs/mock-admin');
    const session = await page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem('gij-mock-docs-session'));
    const put = page.locator('.opblock-put', { hasText: '/__mock/state' }).first();
    await put.waitFor({ state: 'visible', timeout: 90_000 });
    await put.getByRole('button', { name: 'Try it out' }).click();
    const typed = `${session}-typed`;
    await put.getByPlaceholder('X-Mock-Session').fill(typed);
    const name = `docs state ${Date.now()}`;
    await put.locator('textarea.body-param__text').fill(JSON.stringify({ integrations: [{ type: 'GITLAB', displayName: name, pat: 'docs-page-token' }] }));
    await put.getByRole('button', { name: 'Execute' }).click();
    const live = put.locator('.live-responses-table tbody .response-col_status').first();
    await live.waitFor({ state: 'visible', timeout: 90_000 });
    await expect(live.innerText()).resolves.toContain('200');
    await page.close();
    expect(outside).toEqual([]);
    expect((await listIn(typed)).map((i) => i.displayName)).toEqual([name]);
    expect((await listIn(session!)).map((i) => i.displayName)).not.toContain(name);
  }, 240_000);
});
