// gij-mock in a real browser with no server: chromium loads a page that registers MSW's service worker
// (mockServiceWorker.js from the msw package) with gij-mock/msw's handlers, then runs the spec's example
// story against https://jira.example.com/jira — a name chromium cannot resolve here, so an answer can only
// come from the page. The static server that serves the page sees only the page, its script and the worker.
// The page takes gij-mock/msw as a browser bundler does (the "browser" build, dist/lib/msw.browser.mjs: run
// `npm run build` after changing src/), and that build holds no node: module.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_STORY, firstExampleRequest } from '../../scripts/example-requests.js';
import { operationsOf } from '../../src/operations.js';
import { loadSpec, projectRoot } from '../../src/spec.js';
import { launchChromium, type Chromium } from '../helpers/chromium.js';

const PAGE_ENTRY = join(projectRoot, 'test', 'browser', 'msw-page.ts');
const BROWSER_BUILD = join(projectRoot, 'dist', 'lib', 'msw.browser.mjs');
const AUTHORIZATION = `Basic ${btoa('admin:admin')}`;
const served: string[] = [];
let pages: Server;
let origin: string;
let browser: Chromium;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  if (!existsSync(BROWSER_BUILD)) throw new Error(`${BROWSER_BUILD} is missing: run npm run build`);
  const bundle = await build({ entryPoints: [PAGE_ENTRY], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', alias: { 'gij-mock/msw': BROWSER_BUILD }, logLevel: 'silent' });
  const files: Record<string, { type: string; body: string | Uint8Array }> = {
    '/': { type: 'text/html', body: '<!doctype html><title>gij-mock msw</title><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>' },
    '/page.js': { type: 'text/javascript', body: bundle.outputFiles[0]!.contents },
    '/mockServiceWorker.js': { type: 'text/javascript', body: readFileSync(join(projectRoot, 'node_modules', 'msw', 'lib', 'mockServiceWorker.js')) },
  };
  pages = createServer((req, res) => {
    served.push(`${req.method} ${req.url}`);
    const file = files[req.url ?? ''];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
  // Only the page's server resolves: a request that escaped the page would fail, not reach a server.
  browser = await launchChromium('MAP * ~NOTFOUND, EXCLUDE 127.0.0.1');
  context = browser.context;
  page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${origin}/`);
  // The page's script defines gij, or throws (shown instead of a timeout).
  await page.waitForFunction(() => 'gij' in globalThis, undefined, { timeout: 30_000 }).catch((e: Error) => {
    throw new Error(pageErrors.length ? `the page threw: ${pageErrors.join('; ')}` : e.message);
  });
  await page.evaluate(() => (globalThis as unknown as { gij: { start(): Promise<void> } }).gij.start());
}, 90_000);
afterAll(async () => {
  await browser?.close();
  if (pages) await new Promise((resolve) => pages.close(resolve));
});

interface PageCall { method: string; path: string; headers: Record<string, string>; body?: string }
const callInPage = (call: PageCall) => page.evaluate((c) => (globalThis as unknown as { gij: { call(c: PageCall): Promise<{ status: number; body: string }> } }).gij.call(c), call);

describe('gij-mock/msw in chromium with a service worker and no server', () => {
  it('runs the example story (add → list → disable → get → update → remove), every call answered in the page', async () => {
    const operations = operationsOf(loadSpec());
    const answered: string[] = [];
    for (const operationId of EXAMPLE_STORY) {
      const { method, path, body } = firstExampleRequest(operations.find((o) => o.operationId === operationId)!);
      const headers: Record<string, string> = { authorization: AUTHORIZATION, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
      const { status } = await callInPage({ method, path, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      answered.push(`${operationId} ${status}`);
    }
    expect(answered).toEqual(EXAMPLE_STORY.map((id) => `${id} 200`));
    // The journal, read through the controls as functions in the page, saw the six calls.
    expect(await page.evaluate(() => (globalThis as unknown as { gij: { journal(): Promise<number> } }).gij.journal())).toBe(EXAMPLE_STORY.length);
    expect(served.filter((line) => !['GET /', 'GET /page.js', 'GET /mockServiceWorker.js'].includes(line))).toEqual([]);
  });

  it('without the worker the same call fails: the answers came from the page, not from a server', async () => {
    await page.evaluate(() => (globalThis as unknown as { gij: { stop(): void } }).gij.stop());
    const outcome = await callInPage({ method: 'GET', path: '/rest/gitplugin/1.0/integration', headers: { authorization: AUTHORIZATION } }).then((r) => `answered ${r.status}`, (e: Error) => `failed: ${e.message.split('\n')[0]}`);
    expect(outcome).toMatch(/^failed: .*Failed to fetch/);
  });

  it('takes a browser build of gij-mock/msw that imports no node: module (its gzipped size is in the README)', async () => {
    const code = readFileSync(BROWSER_BUILD, 'utf8');
    // esbuild parses the module and lists what it imports or requires (strings in generated code are not imports).
    const analysis = await build({ entryPoints: [BROWSER_BUILD], bundle: true, write: false, metafile: true, format: 'esm', platform: 'neutral', external: ['*'], logLevel: 'silent' });
    const imports = Object.values(analysis.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((name) => name !== 'msw')).toEqual([]);
    const gzipped = gzipSync(code).length;
    console.log(`gij-mock/msw browser build: ${(code.length / 1024).toFixed(0)} KiB, ${(gzipped / 1024).toFixed(0)} KiB gzipped`);
    expect(gzipped).toBeLessThan(150 * 1024);
  });
});
