// Opens /docs in Debian's chromium with every non-loopback request refused, finds the six operations
// and the per-type examples, and saves a screenshot under test-output/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/spec.js';
import { spec } from '../helpers/contract.js';
import { startTarget, type Target } from '../helpers/target.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const shots = join(projectRoot, 'test-output', 'screenshots');
let t: Target;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(projectRoot, 'dist', 'docs', 'index.html'))) execFileSync('npm', ['run', 'docs'], { cwd: projectRoot, stdio: 'ignore' });
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  t = await startTarget({ logLevel: 'silent' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);
afterAll(async () => { await browser?.close(); await t?.close(); });

describe('GET /docs in a browser', () => {
  it('renders all six operations and the per-type examples with no network beyond the server', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === 'data:' || url.hostname === '127.0.0.1') return route.continue();
      outside.push(url.href);
      return route.abort();
    });
    await page.goto(`${t.baseUrl}/docs`, { waitUntil: 'load' });
    const summaries = Object.values(spec.paths).flatMap((item) => Object.values(item).map((op) => (op as { summary?: string }).summary).filter(Boolean)) as string[];
    expect(summaries).toHaveLength(6);
    await page.getByText('Integrations', { exact: true }).first().click();
    for (const summary of summaries) await expect(page.getByText(summary, { exact: true }).first().waitFor({ timeout: 15_000 })).resolves.toBeUndefined();
    const examples = spec.components as unknown as { examples: Record<string, { summary: string }> };
    const typeExamples = Object.entries(examples.examples).filter(([name]) => /^Add\w+Request$/.test(name) && name !== 'AddFullGithubRequest');
    expect(typeExamples).toHaveLength(12);
    await page.getByText('Add New Integration', { exact: true }).first().click();
    await page.getByText('Request', { exact: true }).first().waitFor({ timeout: 15_000 });
    const html = await page.content();
    for (const [, ex] of typeExamples) expect(html, ex.summary).toContain(ex.summary.replace(/&/g, '&amp;'));
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'docs.png'), fullPage: false });
    expect(outside).toEqual([]);
  }, 60_000);
});
