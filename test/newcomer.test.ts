// What a newcomer trips on first (issue 18, finding 8): GET / points to the API, docs and controls;
// /favicon.ico is no 404; a failed listen says why in a code; README links work from the registry page.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startGijMock, type GijMock, type GijMockListenError } from '../src/index.js';
import { projectRoot } from '../src/spec.js';

const mocks: GijMock[] = [];
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((m) => m.close()));
});
async function start(options: Parameters<typeof startGijMock>[0] = {}): Promise<GijMock> {
  const mock = await startGijMock(options);
  mocks.push(mock);
  return mock;
}

describe('GET / and /favicon.ico', () => {
  for (const contextPath of ['', '/jira']) {
    it(`GET / and GET ${contextPath}/ answer a page listing the API base, docs and controls (context path '${contextPath}'); HEAD too; not journaled`, async () => {
      const mock = await start({ contextPath });
      const origin = `http://127.0.0.1:${mock.port}`;
      for (const path of new Set(['/', `${contextPath}/`])) {
        const res = await fetch(`${origin}${path}`);
        expect(res.status, path).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
        const page = await res.text();
        for (const url of [`${mock.apiUrl}`, `${mock.url}/__mock`]) expect(page).toContain(url);
        for (const href of ['/docs', '/docs/mock-admin', '/openapi.yaml', '/rest/gitplugin/1.0/integration']) expect(page).toContain(`href="${contextPath}${href}"`);
        const head = await fetch(`${origin}${path}`, { method: 'HEAD' });
        expect(head.status).toBe(200);
        expect(await head.text()).toBe('');
      }
      expect((await mock.requests()).requests).toEqual([]);
    });
  }

  it('the start page escapes the context path and origin it shows', async () => {
    const { startPage } = await import('../src/mock/controls.js');
    const page = startPage('/a"<b>&', 'http://x');
    expect(page).not.toContain('<b>');
    expect(page).toContain('/a&#34;&#60;b&#62;&#38;/docs');
  });

  for (const contextPath of ['', '/jira']) {
    it(`/favicon.ico answers 204, cacheable, so a docs load logs no error (context path '${contextPath}')`, async () => {
      const mock = await start({ contextPath });
      for (const url of [`http://127.0.0.1:${mock.port}/favicon.ico`, `${mock.url}/favicon.ico`]) {
        const res = await fetch(url);
        expect(res.status, url).toBe(204);
        expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
      }
    });
  }
});

describe('ListenError', () => {
  it("a port in use: startGijMock rejects with a ListenError whose code is 'EADDRINUSE'", async () => {
    const first = await start();
    const failed = await startGijMock({ port: first.port }).then(
      () => { throw new Error('the second listen on one port succeeded'); },
      (e: unknown) => e as GijMockListenError,
    );
    expect(failed.name).toBe('ListenError');
    expect(failed.code).toBe('EADDRINUSE');
    expect(failed.message).toBe(`cannot listen on 127.0.0.1:${first.port}: the port is already in use (EADDRINUSE)`);
  });
});

describe('package metadata and README links (the registry page shows the README without the repository)', () => {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  const REPO = 'https://github.com/gij-mock/gij-mock';

  it('package.json names repository, homepage and bugs', () => {
    expect(pkg.repository).toEqual({ type: 'git', url: `git+${REPO}.git` });
    expect(pkg.homepage).toBe(`${REPO}#readme`);
    expect(pkg.bugs).toEqual({ url: `${REPO}/issues` });
  });

  it('every README link is absolute or an anchor, and each link into the repository names a file or folder of it', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.filter((t) => !/^(https?:\/\/|#)/.test(t))).toEqual([]);
    for (const t of targets.filter((u) => u.startsWith(`${REPO}/`))) {
      const m = /^https:\/\/github\.com\/gij-mock\/gij-mock\/(blob|tree)\/main\/(.+)$/.exec(t);
      expect(m, t).not.toBeNull();
      expect(existsSync(join(projectRoot, m![2]!)), t).toBe(true);
    }
  });

  it('.gitignore keeps npm pack\'s tarball out of the clone', () => {
    expect(readFileSync(join(projectRoot, '.gitignore'), 'utf8').split('\n')).toContain('*.tgz');
  });
});
