// What a web page may and may not do with gij-mock, header by header: CORS for allowed origins only,
// the Host allowlist (421) on every route, and the /__mock cross-site guard (403). Raw requests: fetch
// would not send a Host header of our choosing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORS_EXPOSED_HEADERS, CORS_REQUEST_HEADERS } from '../../src/browser-guard.js';
import type { HttpResult } from '../helpers/contract.js';
import { exited, spawnServer } from '../helpers/spawn-server.js';
import { startTarget, type Target } from '../helpers/target.js';
import { tempDir } from '../helpers/temp-dir.js';
import { addOne, JSON_TYPE, listed, raw } from './support.js';

const PAGE = 'http://localhost:5173';
const EVIL = 'https://evil.example';
const corsHeaders = (res: HttpResult) => Object.keys(res.headers).filter((h) => h.startsWith('access-control-'));
const preflight = (origin: string, method = 'POST', headers = 'authorization,content-type') =>
  ({ origin, 'access-control-request-method': method, 'access-control-request-headers': headers });
const expectEnvelope = (res: HttpResult, status: number, text: RegExp) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toMatchObject({ success: false, error: expect.stringMatching(text), advice: expect.any(String) });
};

let t: Target;
beforeAll(async () => { t = await startTarget({ logLevel: 'silent' }); });
afterAll(() => t.close());

describe('CORS on the API', () => {
  it('a preflight from a loopback origin responds 204 with the CORS headers, before any login', async () => {
    const res = await raw(t, { method: 'OPTIONS', path: '/integration', auth: null, headers: preflight(PAGE, 'POST', 'authorization,content-type,x-mock-session,prefer') });
    expect(res.status).toBe(204);
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBe(PAGE);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(String(res.headers['access-control-allow-methods']).split(',')).toEqual(expect.arrayContaining(['GET', 'HEAD', 'POST', 'PUT', 'DELETE']));
    expect(String(res.headers['access-control-allow-headers']).split(',')).toEqual(CORS_REQUEST_HEADERS);
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.headers.vary).toMatch(/Origin/);
  });
  for (const origin of ['http://127.0.0.1:8080', 'http://[::1]:3000', 'https://localhost']) {
    it(`a preflight from ${origin} gets that origin back in Access-Control-Allow-Origin`, async () => {
      const res = await raw(t, { method: 'OPTIONS', path: '/integration/1', auth: null, headers: preflight(origin, 'DELETE') });
      expect(res.headers['access-control-allow-origin']).toBe(origin);
    });
  }
  for (const origin of [EVIL, 'http://localhost.evil.example', 'null', 'http://192.168.1.5:3000']) {
    it(`a preflight from ${origin} responds 204 with Allow and no Access-Control-* header`, async () => {
      const res = await raw(t, { method: 'OPTIONS', path: '/integration', auth: null, headers: preflight(origin) });
      expect(res.status).toBe(204);
      expect(res.headers.allow).toBe('GET, POST, HEAD, OPTIONS');
      expect(corsHeaders(res)).toEqual([]);
    });
  }
  it('a GET from a loopback origin with credentials responds 200 with the origin, credentials and exposed headers', async () => {
    const res = await raw(t, { method: 'GET', path: '/integration', headers: { origin: PAGE } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(PAGE);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(String(res.headers['access-control-expose-headers']).split(',')).toEqual(CORS_EXPOSED_HEADERS);
  });
  it('a GET from a loopback origin without credentials responds 401 with CORS headers, so the page can read why', async () => {
    const res = await raw(t, { method: 'GET', path: '/integration', auth: null, headers: { origin: PAGE } });
    expectEnvelope(res, 401, /authenticated/);
    expect(res.headers['access-control-allow-origin']).toBe(PAGE);
  });
  it('a GET from another origin is answered without any Access-Control-* header (the browser withholds it)', async () => {
    const res = await raw(t, { method: 'GET', path: '/integration', headers: { origin: EVIL } });
    expect(res.status).toBe(200);
    expect(corsHeaders(res)).toEqual([]);
  });
  it('a request without Origin gets no Access-Control-* header', async () => {
    expect(corsHeaders(await raw(t, { method: 'GET', path: '/integration' }))).toEqual([]);
  });
});

describe('--cors-origins', () => {
  it('an exact origin list: that origin gets CORS headers, a loopback origin none', async () => {
    const custom = await startTarget({ logLevel: 'silent', corsOrigins: ['https://app.example.org'] });
    try {
      const ok = await raw(custom, { method: 'OPTIONS', path: '/integration', auth: null, headers: preflight('https://app.example.org') });
      expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.org');
      expect(corsHeaders(await raw(custom, { method: 'OPTIONS', path: '/integration', auth: null, headers: preflight(PAGE) }))).toEqual([]);
      // The controls follow the same list: a loopback page is now another site.
      expectEnvelope(await raw(custom, { method: 'GET', path: '/__mock/state', headers: { origin: PAGE } }), 403, /not an allowed origin/);
    } finally { await custom.close(); }
  });
});

describe('Host allowlist', () => {
  const port = () => new URL(t.baseUrl).port;
  for (const host of ['localhost', '127.0.0.1', '[::1]', 'LOCALHOST']) {
    it(`Host ${host}:PORT is answered`, async () => {
      expect((await raw(t, { method: 'GET', path: '/integration', headers: { host: `${host}:${port()}` } })).status).toBe(200);
    });
  }
  const routes: Array<[string, string]> = [['GET', '/integration'], ['GET', '/__mock/state'], ['POST', '/__mock/reset?all=true'], ['GET', '/docs'], ['GET', '/openapi.yaml'], ['GET', '/nowhere'], ['OPTIONS', '/integration']];
  for (const [method, path] of routes) {
    it(`${method} ${path} with Host evil.example:PORT responds 421 in the envelope`, async () => {
      const res = await raw(t, { method, path, headers: { host: `evil.example:${port()}`, 'x-mock-session': 'default' } });
      expectEnvelope(res, 421, /^Host evil\.example:\d+ is not a name gij-mock answers to$/);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    });
  }
  it('a name of --allowed-hosts is answered; other names still get 421', async () => {
    const custom = await startTarget({ logLevel: 'silent', allowedHosts: ['jira-mock.test'] });
    try {
      expect((await raw(custom, { method: 'GET', path: '/integration', headers: { host: 'jira-mock.test' } })).status).toBe(200);
      expect((await raw(custom, { method: 'GET', path: '/integration', headers: { host: 'other.test' } })).status).toBe(421);
      // A page served under that name calls the controls same-origin: its Origin is no other site.
      const own = await raw(custom, { method: 'POST', path: '/__mock/reset', auth: null, headers: { host: 'jira-mock.test:8080', origin: 'http://jira-mock.test:8080', ...JSON_TYPE } });
      expect(own.status, JSON.stringify(own.body)).toBe(200);
    } finally { await custom.close(); }
  });
});

describe('/__mock cross-site guard', () => {
  type Case = { name: string; method: string; path: string; headers: Record<string, string>; body?: string };
  // What a browser sends for a page on another site: an Origin it names (or null), or Sec-Fetch-Site.
  const refused: Case[] = [
    { name: 'POST /__mock/reset as text/plain from Origin https://evil.example', method: 'POST', path: '/__mock/reset', headers: { origin: EVIL, 'content-type': 'text/plain' }, body: 'x' },
    { name: 'POST /__mock/reset as a form from Origin https://evil.example', method: 'POST', path: '/__mock/reset', headers: { origin: EVIL, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' }, body: 'a=1' },
    { name: 'POST /__mock/reset as multipart from Origin https://evil.example', method: 'POST', path: '/__mock/reset', headers: { origin: EVIL, 'content-type': 'multipart/form-data; boundary=x' }, body: '--x--' },
    { name: 'POST /__mock/reset as JSON with X-Mock-Session from Origin https://evil.example', method: 'POST', path: '/__mock/reset', headers: { origin: EVIL, ...JSON_TYPE, 'x-mock-session': 'default' } },
    { name: 'PUT /__mock/faults as JSON from Origin https://evil.example', method: 'PUT', path: '/__mock/faults', headers: { origin: EVIL, ...JSON_TYPE }, body: '{"rules":[{"operationId":"*","status":503}]}' },
    { name: 'GET /__mock/state from Origin https://evil.example', method: 'GET', path: '/__mock/state', headers: { origin: EVIL } },
    { name: 'POST /__mock/reset as JSON from Origin null', method: 'POST', path: '/__mock/reset', headers: { origin: 'null', ...JSON_TYPE } },
    { name: 'POST /__mock/reset with Origin null and Sec-Fetch-Site same-origin', method: 'POST', path: '/__mock/reset', headers: { origin: 'null', 'sec-fetch-site': 'same-origin' } },
    { name: 'POST /__mock/reset with Sec-Fetch-Site cross-site and no Origin', method: 'POST', path: '/__mock/reset', headers: { 'sec-fetch-site': 'cross-site' } },
    { name: 'GET /__mock/state navigated to with Sec-Fetch-Site same-site and no Origin', method: 'GET', path: '/__mock/state', headers: { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'navigate' } },
    { name: 'DELETE /__mock/requests with Sec-Fetch-Site Cross-Site (any case)', method: 'DELETE', path: '/__mock/requests', headers: { 'sec-fetch-site': 'Cross-Site' } },
  ];
  for (const c of refused) {
    it(`${c.name} responds 403 in the envelope and changes nothing`, async () => {
      await addOne(t, 'guarded');
      const before = await listed(t);
      const faults = (await raw(t, { method: 'GET', path: '/__mock/faults' })).body;
      const res = await raw(t, { method: c.method, path: c.path, headers: c.headers, body: c.body, auth: null });
      expectEnvelope(res, 403, /^Cross-site (GET|POST|PUT|DELETE) \/__mock\/\w+ refused: (Origin|Sec-Fetch-Site) /);
      expect(await listed(t)).toEqual(before);
      expect((await raw(t, { method: 'GET', path: '/__mock/faults' })).body).toEqual(faults);
    });
  }
  // A tool (curl, Python, a test runner) sends neither Origin nor Sec-Fetch-Site: served as anyone else.
  const tool = (c: Case & { status: number; allow?: string; error?: RegExp }) => c;
  const served = [
    tool({ name: 'curl -X POST /__mock/reset (no header at all)', method: 'POST', path: '/__mock/reset', headers: {}, status: 200 }),
    tool({ name: 'curl -X POST /__mock/reset?all=true (no header at all)', method: 'POST', path: '/__mock/reset?all=true', headers: {}, status: 200 }),
    tool({ name: 'POST /__mock/reset as text/plain from a tool', method: 'POST', path: '/__mock/reset', headers: { 'content-type': 'text/plain' }, body: 'x', status: 200 }),
    tool({ name: 'curl -X DELETE /__mock/requests (no body, no header)', method: 'DELETE', path: '/__mock/requests', headers: {}, status: 200 }),
    tool({ name: 'curl -X DELETE /__mock/state (no body, a route without DELETE)', method: 'DELETE', path: '/__mock/state', headers: {}, status: 405, allow: 'GET, PUT, HEAD, OPTIONS', error: /DELETE/ }),
    tool({ name: 'curl -X DELETE /__mock/reset (a route without DELETE)', method: 'DELETE', path: '/__mock/reset', headers: {}, status: 405, allow: 'POST, OPTIONS', error: /DELETE/ }),
    tool({ name: 'PUT /__mock/state as text/plain from a tool', method: 'PUT', path: '/__mock/state', headers: { 'content-type': 'text/plain' }, body: '{"integrations":[]}', status: 415, error: /text\/plain/ }),
    tool({ name: 'PUT /__mock/faults as text/plain from a tool', method: 'PUT', path: '/__mock/faults', headers: { 'content-type': 'text/plain' }, body: '{"rules":[]}', status: 415, error: /text\/plain/ }),
    tool({ name: 'POST /__mock/reset with X-Mock-Session', method: 'POST', path: '/__mock/reset', headers: { 'x-mock-session': 'guard-1' }, status: 200 }),
    tool({ name: 'POST /__mock/reset as application/json without a body', method: 'POST', path: '/__mock/reset', headers: JSON_TYPE, status: 200 }),
    tool({ name: 'PUT /__mock/state as JSON', method: 'PUT', path: '/__mock/state', headers: { ...JSON_TYPE, 'x-mock-session': 'guard-2' }, body: '{"integrations":[]}', status: 200 }),
    tool({ name: 'GET /__mock/requests with no Origin', method: 'GET', path: '/__mock/requests', headers: {}, status: 200 }),
    // What a browser sends for its user or for an allowed page.
    tool({ name: 'PUT /__mock/faults as JSON from a loopback page', method: 'PUT', path: '/__mock/faults', headers: { ...JSON_TYPE, origin: PAGE }, body: '{"rules":[]}', status: 200 }),
    tool({ name: 'POST /__mock/reset from an allowed loopback page that is cross-site', method: 'POST', path: '/__mock/reset', headers: { origin: 'http://localhost:5173', 'sec-fetch-site': 'cross-site' }, status: 200 }),
    tool({ name: 'POST /__mock/reset from the allowed loopback Origin http://127.0.0.1:8080, same-site', method: 'POST', path: '/__mock/reset', headers: { origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-site', 'content-type': 'text/plain' }, body: 'x', status: 200 }),
    tool({ name: 'GET /__mock/state from the docs page (Sec-Fetch-Site same-origin, no Origin)', method: 'GET', path: '/__mock/state', headers: { 'sec-fetch-site': 'same-origin' }, status: 200 }),
    tool({ name: 'GET /__mock/state typed into the address bar (Sec-Fetch-Site none)', method: 'GET', path: '/__mock/state', headers: { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' }, status: 200 }),
  ];
  for (const c of served) {
    it(`${c.name} responds ${c.status}${c.allow ? ' with Allow' : ''}`, async () => {
      const res = await raw(t, { method: c.method, path: c.path, headers: c.headers, body: c.body, auth: null });
      expect(res.status, JSON.stringify(res.body)).toBe(c.status);
      if (c.allow) expect(res.headers.allow).toBe(c.allow);
      if (c.error) expectEnvelope(res, c.status, c.error);
      if (c.headers.origin) expect(res.headers['access-control-allow-origin']).toBe(c.headers.origin);
    });
  }
  it('curl -X POST /__mock/reset?all=true with no header really forgets every session', async () => {
    await addOne(t, 'to be forgotten');
    expect(JSON.stringify(await listed(t))).toContain('to be forgotten');
    expect((await raw(t, { method: 'POST', path: '/__mock/reset?all=true', auth: null })).status).toBe(200);
    expect(JSON.stringify(await listed(t))).not.toContain('to be forgotten');
  });
  it('OPTIONS /__mock/state responds 204 with Allow GET, PUT, HEAD, OPTIONS', async () => {
    const res = await raw(t, { method: 'OPTIONS', path: '/__mock/state', auth: null });
    expect(res.status).toBe(204);
    expect(res.headers.allow).toBe('GET, PUT, HEAD, OPTIONS');
  });
  it('HEAD /integration is journaled as HEAD with the status of GET', async () => {
    const session = { 'x-mock-session': 'head-journal' };
    expect((await raw(t, { method: 'HEAD', path: '/integration', headers: session })).status).toBe(200);
    const journal = (await raw(t, { method: 'GET', path: '/__mock/requests?session=head-journal' })).body as { requests: Array<{ method: string; status: number; operationId: string }> };
    expect(journal.requests.map((r) => [r.method, r.status, r.operationId])).toEqual([['HEAD', 200, 'listIntegrations']]);
  });
  it('HEAD /__mock/state responds 200 with the headers of GET and no body', async () => {
    const [get, head] = [await raw(t, { method: 'GET', path: '/__mock/state' }), await raw(t, { method: 'HEAD', path: '/__mock/state' })];
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.body).toBeUndefined();
  });
});

describe('the attacks of issue 13, against a --state-file', () => {
  const dir = tempDir('gij-mock-cross-site-');
  const stateFile = join(dir, 'state.json');
  let s: Target;
  beforeAll(async () => { s = await startTarget({ logLevel: 'silent', stateFile }); });
  afterAll(() => s.close());

  it('a cross-site simple POST /__mock/reset?all=true (Origin evil, text/plain) responds 403; the store and the file are intact', async () => {
    await addOne(s, 'kept');
    const file = readFileSync(stateFile, 'utf8');
    const before = await listed(s);
    const res = await raw(s, { method: 'POST', path: '/__mock/reset?all=true', auth: null, headers: { origin: EVIL, 'content-type': 'text/plain' }, body: '' });
    expectEnvelope(res, 403, /not an allowed origin/);
    expect(await listed(s)).toEqual(before);
    expect(readFileSync(stateFile, 'utf8')).toBe(file);
  });
  it('POST /__mock/reset?all=true with a foreign Host responds 421; the store and the file are intact', async () => {
    await addOne(s, 'kept too');
    const file = readFileSync(stateFile, 'utf8');
    const before = await listed(s);
    const res = await raw(s, { method: 'POST', path: '/__mock/reset?all=true', auth: null, headers: { host: 'evil.example', ...JSON_TYPE } });
    expectEnvelope(res, 421, /evil\.example/);
    expect(await listed(s)).toEqual(before);
    expect(readFileSync(stateFile, 'utf8')).toBe(file);
  });
  it('a DNS-rebinding read of /__mock/state (Host evil.example:PORT) and of the API with the admin password respond 421 with no data', async () => {
    await addOne(s, 'secret-looking name');
    const host = `evil.example:${new URL(s.baseUrl).port}`;
    for (const path of ['/__mock/state', '/integration']) {
      const res = await raw(s, { method: 'GET', path, headers: { host } });
      expectEnvelope(res, 421, /evil\.example/);
      expect(JSON.stringify(res.body)).not.toContain('secret-looking name');
    }
    expect((await listed(s)).length).toBeGreaterThan(0);
  });
});

describe('the built gij-mock with --state-file, --allowed-hosts and --cors-origins', () => {
  const dir = tempDir('gij-mock-cross-site-cli-');
  it('refuses the cross-site reset, a foreign Host and a rebinding read; answers the listed name and origin; the file never changes', async () => {
    const stateFile = join(dir, 'state.json');
    const server = await spawnServer(['--state-file', stateFile, '--allowed-hosts', 'jira-mock.test', '--cors-origins', 'https://app.example.org']);
    try {
      const cli: Target = { baseUrl: server.baseUrl, admin: `Basic ${Buffer.from('admin:admin').toString('base64')}`, remote: true, logLines: [], close: async () => {} };
      await addOne(cli, 'kept by the CLI');
      const file = readFileSync(stateFile, 'utf8');
      const port = new URL(server.baseUrl).port;
      expectEnvelope(await raw(cli, { method: 'POST', path: '/__mock/reset?all=true', auth: null, headers: { origin: EVIL, 'content-type': 'text/plain' }, body: 'x' }), 403, /not an allowed origin/);
      expectEnvelope(await raw(cli, { method: 'POST', path: '/__mock/reset?all=true', auth: null, headers: { host: `evil.example:${port}`, ...JSON_TYPE } }), 421, /evil\.example/);
      expectEnvelope(await raw(cli, { method: 'GET', path: '/__mock/state', headers: { host: `evil.example:${port}` } }), 421, /evil\.example/);
      // A loopback page is another site once --cors-origins lists only app.example.org.
      expectEnvelope(await raw(cli, { method: 'POST', path: '/__mock/reset?all=true', auth: null, headers: { origin: PAGE, ...JSON_TYPE } }), 403, /not an allowed origin/);
      expect((await raw(cli, { method: 'GET', path: '/integration', headers: { host: `jira-mock.test:${port}` } })).status).toBe(200);
      const fromApp = await raw(cli, { method: 'GET', path: '/integration', headers: { origin: 'https://app.example.org' } });
      expect(fromApp.headers['access-control-allow-origin']).toBe('https://app.example.org');
      expect(readFileSync(stateFile, 'utf8')).toBe(file);
      expect(JSON.stringify(await listed(cli))).toContain('kept by the CLI');
    } finally {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
  }, 30_000);
});

describe('the docs cannot be framed by another origin', () => {
  for (const path of ['/docs', '/docs/mock-admin']) {
    for (const method of ['GET', 'HEAD']) {
      it(`${method} ${path} sends CSP frame-ancestors 'self' and X-Frame-Options SAMEORIGIN, once each`, async () => {
        const res = await fetch(`${t.baseUrl}${path}`, { method });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        // fetch joins repeated headers with ", ": one value means one header (no second, conflicting policy).
        expect(res.headers.get('content-security-policy')).toBe("frame-ancestors 'self'");
        expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      });
    }
  }
});
