// Hostile ids, encoded path tricks and query strings: each answers the operation's documented 4xx
// envelope and touches no integration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../helpers/contract.js';
import { hasSocket, startTarget, testHost, type Target } from '../helpers/target.js';
import { addOne, expectRejected, JSON_TYPE, listed, raw } from './support.js';

let t: Target;
beforeAll(async () => {
  t = await startTarget({ logLevel: 'silent' });
  await addOne(t, 'id 1 must survive');
});
afterAll(() => t.close());

const withId = operations.filter((o) => /\{(?:integrationId|repoId)\}/.test(o.path));
// A fetch or MSW host is reached through a WHATWG URL, whose parser resolves dot segments ('.', '..', '%2e%2e')
// before any host sees the request: those raw paths exist only on a socket (node:http and Express hosts).
const RAW_PATHS = testHost() === 'node' || testHost() === 'express';
const isDotSegment = (text: string) => /(^|\/)(\.|%2e){1,2}(\/|$)/i.test(text);
const request = (operationId: string, id: string, query = '') => {
  const op = withId.find((o) => o.operationId === operationId)!;
  const path = `${op.path.replace(/\{(?:integrationId|repoId)\}/, id)}${query || (operationId === 'setIntegrationDisabled' ? '?disable=true' : '')}`;
  return { method: op.method, path, headers: JSON_TYPE, body: op.method === 'PUT' && operationId === 'updateIntegration' ? '{"displayName":"changed"}' : undefined };
};

describe('hostile integration ids', () => {
  const ids = [
    'abc', '-1', '0', '2147483648', '99999999999999999999', '1.5', '1e3', '0x1', '0b1', '+1', 'Infinity', 'NaN',
    '%20', '1%00', '1%20', '%2e%2e', '..', '.', '%2F', '1%2F2', '%2e%2e%2F%2e%2e%2Fintegration', '1;x', '%E0%A4%A', '%00',
  ];
  for (const op of withId) {
    for (const id of ids.filter((i) => RAW_PATHS || !isDotSegment(i))) {
      it(`${op.method} ${op.path} with id ${id} responds 400 or 404 with the envelope and changes nothing`, async () => {
        const before = await listed(t);
        const res = await raw(t, request(op.operationId, id));
        expectRejected(op.operationId, res, [400, 404]);
        expect(await listed(t)).toEqual(before);
      });
    }
  }
  for (const id of ['0x1', '1e0', '+1', '1.0', 'Infinity']) {
    it(`GET /integration/${id} is not read as id 1: it responds 400`, async () => {
      expectRejected('getIntegration', await raw(t, request('getIntegration', id)), 400);
    });
  }
});

describe('path traversal and encoded slashes outside the id', () => {
  const paths = [
    '/rest/gitplugin/1.0/integration/../../../etc/passwd',
    '/rest/gitplugin/1.0/integration%2F1',
    '/rest/gitplugin/1.0/%2e%2e/1.0/integration',
    '/rest/gitplugin/1.0/repository/1%2Fdisable?disable=true',
    '/rest/gitplugin/1.0/integration//1',
    '/__mock/%E0%A4%A',
    '/__mock/requests/%zz',
  ];
  for (const path of paths.filter((p) => RAW_PATHS || !isDotSegment(p))) {
    it(`GET ${path} responds with a 4xx envelope and changes nothing`, async () => {
      const before = await listed(t);
      const res = await raw(t, { method: 'GET', path });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body).toMatchObject({ success: false, error: expect.any(String), advice: expect.any(String) });
      expect(await listed(t)).toEqual(before);
    });
  }
});

describe('query strings', () => {
  const cases = [
    { operationId: 'listIntegrations', given: 'a 15 KB unknown parameter', query: `?x=${'a'.repeat(15 * 1024)}` },
    { operationId: 'removeIntegration', given: 'a 15 KB deleteFiles value', query: `?deleteFiles=${'a'.repeat(15 * 1024)}` },
    { operationId: 'setIntegrationDisabled', given: 'disable=true&disable=false', query: '?disable=true&disable=false' },
    { operationId: 'setIntegrationDisabled', given: 'disable=true&disable=true', query: '?disable=true&disable=true' },
    { operationId: 'setIntegrationDisabled', given: 'disable=maybe', query: '?disable=maybe' },
    { operationId: 'setIntegrationDisabled', given: 'disable=TRUE', query: '?disable=TRUE' },
    { operationId: 'setIntegrationDisabled', given: 'disable=1', query: '?disable=1' },
    { operationId: 'setIntegrationDisabled', given: 'an empty disable', query: '?disable=' },
    { operationId: 'setIntegrationDisabled', given: 'disable[]=true', query: '?disable[]=true' },
    { operationId: 'setIntegrationDisabled', given: 'disable[a]=true', query: '?disable[a]=true' },
    { operationId: 'setIntegrationDisabled', given: 'no disable', query: '?' },
    { operationId: 'setIntegrationDisabled', given: 'a bad percent-escape', query: '?disable=%E0%A4%A' },
    { operationId: 'setIntegrationDisabled', given: '__proto__[disable]=true', query: '?disable=true&__proto__[polluted]=1' },
    { operationId: 'removeIntegration', given: 'deleteFiles=true&deleteFiles=false', query: '?deleteFiles=true&deleteFiles=false' },
    { operationId: 'removeIntegration', given: 'deleteFiles=maybe', query: '?deleteFiles=maybe' },
  ];
  for (const c of cases) {
    it(`${c.operationId} with ${c.given} responds 400 with the envelope and changes nothing`, async () => {
      const before = await listed(t);
      const op = operations.find((o) => o.operationId === c.operationId)!;
      const res = await raw(t, { method: op.method, path: `${op.path.replace(/\{(?:integrationId|repoId)\}/, '1')}${c.query}` });
      expectRejected(c.operationId, res, 400);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(await listed(t)).toEqual(before);
    });
  }
  it('disable=true&disable=false says the parameter is given more than once', async () => {
    const res = await raw(t, { method: 'PUT', path: '/repository/1/disable?disable=true&disable=false' });
    expect((res.body as { error: string }).error).toBe('disable is given more than once; send it once');
  });
  it('an empty disable says it must not be empty', async () => {
    const res = await raw(t, { method: 'PUT', path: '/repository/1/disable?disable=' });
    expect((res.body as { error: string }).error).toBe('disable must not be empty');
  });
  // Node's HTTP parser, before gij-mock: the msw host has no socket and no parser.
  if (hasSocket()) it('a request line over Node\'s 16 KiB header limit is refused by Node itself with 431 (no envelope)', async () => {
    const res = await raw(t, { method: 'GET', path: `/integration?x=${'a'.repeat(16 * 1024)}` });
    expect(res.status).toBe(431);
  });
});

describe('paths that only look like the API', () => {
  // Jira's paths are case-sensitive: these are unknown routes, with or without credentials, and
  // never reach a handler (a mismatch between matchers once let such a path skip authentication).
  const lookalikes = [
    '/REST/gitplugin/1.0/integration',
    '/rest/gitplugin/1.0/INTEGRATION',
    '/rest/GitPlugin/1.0/integration/1',
    '/restful/gitplugin/1.0/integration',
    '/rest/gitplugin/1.0/integrations',
  ];
  for (const path of lookalikes) {
    it(`GET ${path} with credentials responds 404 with the envelope`, async () => {
      const res = await raw(t, { method: 'GET', path });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ success: false, error: expect.any(String), advice: expect.any(String) });
    });
    // Everything under /rest/ asks for credentials first, as Jira does; elsewhere it is simply unknown.
    it(`GET ${path} without credentials responds ${path.startsWith('/rest/') ? 401 : 404}`, async () => {
      const res = await raw(t, { method: 'GET', path, auth: null });
      expect(res.status).toBe(path.startsWith('/rest/') ? 401 : 404);
      expect(res.body).toMatchObject({ success: false, error: expect.any(String), advice: expect.any(String) });
    });
    it(`POST ${path} adds nothing`, async () => {
      const before = await listed(t);
      const res = await raw(t, { method: 'POST', path, headers: JSON_TYPE, body: '{"type":"GITHUB","pat":"x"}' });
      expect(res.status).toBe(404);
      expect(await listed(t)).toEqual(before);
    });
  }
});
