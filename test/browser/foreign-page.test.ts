// What a page on another site can make Debian's chromium send to the login-free controls, sent for
// real: a no-cors POST, a text/plain POST, a form submit, a clicked link, a sandboxed (Origin null) form,
// each aimed at POST /__mock/reset?all=true. Each reaches the server and answers 403, and the store
// is intact (checked through the controls from the test). Two foreign origins: http://evil.example
// (resolved to 127.0.0.1 by the browser's own rules) against the default loopback allowlist, and
// another port of 127.0.0.1 (same-site, no Origin on a navigation) against --cors-origins none.
// An allowed page doing the same does wipe the store: the observation can fail. Then the docs:
// another origin frames /docs/mock-admin and gets no docs; the server's own page can frame them.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignSite } from '../helpers/chromium.js';
import { call } from '../helpers/http.js';
import { startTarget, type Target } from '../helpers/target.js';

const SURVIVOR = 'survives a foreign page';
const RESET = '/__mock/reset?all=true';
let loopbackMock: Target; // --cors-origins loopback (the default)
let noneMock: Target; // --cors-origins none
let site: Awaited<ReturnType<typeof foreignSite>>;
let pagePort: number;
let context: BrowserContext;

beforeAll(async () => {
  [loopbackMock, noneMock] = await Promise.all([startTarget({ logLevel: 'silent' }), startTarget({ logLevel: 'silent', corsOrigins: [] })]);
  // The attacker's site: blank pages on their own loopback port; evil.example is this machine.
  site = await foreignSite();
  ({ pagePort, context } = site);
}, 60_000);
afterAll(async () => {
  await site?.close();
  await Promise.all([loopbackMock?.close(), noneMock?.close()]);
});

const mockUrl = (t: Target) => `http://127.0.0.1:${new URL(t.baseUrl).port}`;
const names = async (t: Target) => ((await call(t, 'GET', '/integration')).body as { integrations: Array<{ displayName: string }> }).integrations.map((i) => i.displayName);
async function plantSurvivor(t: Target): Promise<void> {
  if (!(await names(t)).includes(SURVIVOR)) await call(t, 'POST', '/integration', { body: { type: 'GITHUB', pat: 'p', displayName: SURVIVOR } });
  expect(await names(t)).toContain(SURVIVOR);
}

/** How a foreign page makes the browser send the reset: each runs in the page (its markup keeps the page's origin). */
const attacks: Record<string, (page: Page, url: string) => Promise<unknown>> = {
  'a simple POST (fetch no-cors, no body)': (page, url) => page.evaluate((u) => fetch(u, { method: 'POST', mode: 'no-cors' }).then((r) => r.type), url),
  'a text/plain POST (fetch no-cors)': (page, url) => page.evaluate((u) => fetch(u, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: '{"all":true}' }).then((r) => r.type), url),
  'a form POST (a real form submit)': async (page, url) => {
    await page.setContent(`<form method="POST" action="${url}"><input name="all" value="true"><button>go</button></form>`);
    await page.click('button', { noWaitAfter: true });
  },
  'a navigation (a link clicked: GET)': async (page, url) => {
    await page.setContent(`<a href="${url}">go</a>`);
    await page.click('a', { noWaitAfter: true });
  },
  'a form POST from a sandboxed frame (Origin null)': async (page, url) => {
    await page.setContent(`<iframe sandbox="allow-forms" srcdoc='<form method="POST" action="${url}"><button>go</button></form>'></iframe>`);
    // Clicked from the test, so the browser reports the frame's request (a script in it may run first).
    await page.frameLocator('iframe').locator('button').click({ noWaitAfter: true });
  },
};

/** Runs one attack from a page at pageOrigin and returns the status the server answered the reset with. */
async function attack(name: string, pageOrigin: string, t: Target): Promise<number> {
  const page = await context.newPage();
  // The answer is awaited below (waitForResponse), not the navigation a click starts: on a busy machine that
  // wait once outlived the test. Every step is bounded, so a stall fails with its own message.
  page.setDefaultTimeout(20_000);
  try {
    await page.goto(`${pageOrigin}/`);
    const answered = page.waitForResponse((r) => r.url().startsWith(`${mockUrl(t)}/__mock/reset`), { timeout: 30_000 });
    await attacks[name]!(page, `${mockUrl(t)}${RESET}`);
    return (await answered).status();
  } finally {
    // After no-cors requests to the same server, Chromium 156 can keep a page that then navigated to the controls'
    // answer loading, and page.close() waits on it (seen on both hosts; the answer itself is whole on the wire).
    // The answer and the store are what this test checks: closing gets 5 s, then the context's close takes the page.
    await Promise.race([page.close(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
  }
}

describe('a foreign page cannot reset the controls in chromium', () => {
  const foreign = [
    { given: 'http://evil.example against --cors-origins loopback', origin: () => `http://evil.example:${pagePort}`, mock: () => loopbackMock },
    { given: 'another port of 127.0.0.1 against --cors-origins none', origin: () => `http://127.0.0.1:${pagePort}`, mock: () => noneMock },
  ];
  for (const f of foreign) {
    for (const name of Object.keys(attacks)) {
      it(`${name} from ${f.given} answers 403 and the store is intact`, async () => {
        await plantSurvivor(f.mock());
        const before = await names(f.mock());
        expect(await attack(name, f.origin(), f.mock())).toBe(403);
        expect(await names(f.mock())).toEqual(before);
      }, 60_000);
    }
  }
  it('the same simple POST from an allowed page (127.0.0.1, loopback allowlist) does reset: the check can see a wipe', async () => {
    await plantSurvivor(loopbackMock);
    expect(await attack('a simple POST (fetch no-cors, no body)', `http://127.0.0.1:${pagePort}`, loopbackMock)).toBe(200);
    expect(await names(loopbackMock)).not.toContain(SURVIVOR);
  }, 60_000);
});

describe('the docs cannot be framed by another origin in chromium', () => {
  const DOCS_TITLE = 'gij-mock — mock controls';
  /** Frames /docs/mock-admin of the loopback mock from the page at pageUrl; the framed document's title. */
  async function framedTitle(pageUrl: string): Promise<string> {
    const page = await context.newPage();
    try {
      await page.goto(pageUrl);
      // setContent waits for the frame's load event, which fires for a refused frame too.
      await page.setContent(`<iframe src="${mockUrl(loopbackMock)}/docs/mock-admin"></iframe>`);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      expect(frame).toBeDefined();
      // A refused frame holds Chromium's error page; its content says nothing of the docs.
      return (await frame!.content()).includes(`<title>${DOCS_TITLE}</title>`) ? DOCS_TITLE : `not the docs (${frame!.url()})`;
    } finally {
      await page.close();
    }
  }
  it('a page on http://evil.example frames /docs/mock-admin and gets no docs', async () => {
    expect(await framedTitle(`http://evil.example:${pagePort}/`)).toMatch(/^not the docs/);
  }, 60_000);
  it('a page of the server itself (/openapi.json) frames /docs/mock-admin and shows it', async () => {
    expect(await framedTitle(`${mockUrl(loopbackMock)}/openapi.json`)).toBe(DOCS_TITLE);
  }, 60_000);
});
