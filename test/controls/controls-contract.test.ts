// The controls' own contract (issue 14): fault rules name real operations and ask for no longer delay
// than --max-delay, Prefer tokens are exact, seeds are 32-bit, 413 names the route's limit, non-JSON
// bodies answer 415, wrong methods 405 with Allow, paths are case-sensitive, and injected 401/405
// faults carry the headers real ones have.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHALLENGE } from '../../src/auth.js';
import { loadConfig, ConfigError } from '../../src/config.js';
import { toApiError } from '../../src/error-handler.js';
import { operationsOf } from '../../src/operations.js';
import { loadSpec, projectRoot } from '../../src/spec.js';
import { call } from '../helpers/http.js';
import { startTarget, type Target } from '../helpers/target.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let t: Target;
beforeAll(async () => { t = await startTarget({ logLevel: 'silent', maxDelayMs: 300 }); });
afterAll(() => t.close());

const setFaults = (body: unknown) => call(t, 'PUT', '/__mock/faults', { body });
const clearFaults = () => setFaults({ rules: [] });

describe('PUT /__mock/faults', () => {
  it('with a rule for the unknown operationId addIntegrations responds 400 naming the allowed ones', async () => {
    const res = await setFaults({ rules: [{ operationId: 'addIntegrations', status: 503 }] });
    expect(res.status).toBe(400);
    expect((res.body as { error: string }).error).toMatch(/rules\[0\]\.operationId must be equal to one of the allowed values: .*addIntegration, .*\*/);
    expect((await call(t, 'GET', '/__mock/faults')).body).toMatchObject({ rules: [] });
  });

  it("the FaultRule operationId enum is exactly openapi.yaml's operationIds plus *", () => {
    const admin = loadSpec(join(projectRoot, 'openapi', 'mock-admin.yaml'));
    const rule = admin.components.schemas.FaultRule!.properties as Record<string, { enum: string[] }>;
    expect([...rule.operationId!.enum].sort()).toEqual([...operationsOf(loadSpec()).map((o) => o.operationId), '*'].sort());
  });

  it('with a rule delay above --max-delay responds 400 like a Prefer delay does, and keeps the old rules', async () => {
    await setFaults({ rules: [{ operationId: 'listIntegrations', delayMs: 1 }] });
    const res = await setFaults({ rules: [{ operationId: 'listIntegrations', delayMs: 301 }] });
    expect(res.status).toBe(400);
    expect((res.body as { error: string }).error).toBe('rules[0].delayMs must be 0 to 300 ms (--max-delay), got 301');
    const prefer = await call(t, 'GET', '/integration', { headers: { prefer: 'delay=301' } });
    expect(prefer.status).toBe(400);
    expect((await call(t, 'GET', '/__mock/faults')).body).toMatchObject({ rules: [{ operationId: 'listIntegrations', delayMs: 1 }] });
    await clearFaults();
  });

  it('with seed 1e20 responds 400; seeds 0 and 4294967295 are accepted', async () => {
    const res = await call(t, 'PUT', '/__mock/faults', { rawBody: '{"rules":[],"seed":1e20}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect((res.body as { error: string }).error).toMatch(/seed must be <= 4294967295/);
    expect((await setFaults({ rules: [], seed: 0 })).status).toBe(200);
    expect((await setFaults({ rules: [], seed: 4294967295 })).status).toBe(200);
    expect((await setFaults({ rules: [], seed: -1 })).status).toBe(400);
  });

  it('as text/plain responds 415 and changes nothing', async () => {
    const res = await call(t, 'PUT', '/__mock/faults', { rawBody: '{"rules":[{"operationId":"*","status":503}]}', headers: { 'content-type': 'text/plain', 'x-mock-session': 'default' } });
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ success: false, error: 'Content-Type text/plain is not supported' });
    expect((await call(t, 'GET', '/__mock/faults')).body).toMatchObject({ rules: [] });
  });

  it('with a body over 100 KiB responds 413 naming 102400 bytes, not --body-limit', async () => {
    const res = await call(t, 'PUT', '/__mock/faults', { rawBody: JSON.stringify({ rules: [], pad: 'x'.repeat(110 * 1024) }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect((res.body as { error: string }).error).toBe('The request body is larger than 102400 bytes');
  });
});

describe('--faults file', () => {
  it('with a rule delay above --max-delay stops start-up with a problem naming the rule', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gij-faults-'));
    try {
      const file = join(dir, 'faults.json');
      writeFileSync(file, JSON.stringify({ rules: [{ operationId: 'addIntegration', delayMs: 5000 }] }));
      expect(() => loadConfig(['--faults', file, '--max-delay', '1000'], {})).toThrow(ConfigError);
      expect(() => loadConfig(['--faults', file, '--max-delay', '1000'], {})).toThrow(/rules\[0\]\.delayMs must be 0 to 1000 ms/);
      expect(loadConfig(['--faults', file, '--max-delay', '5000'], {}).faults?.rules).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Prefer header and fault rules together', () => {
  it('Prefer: nodelay=1 does not cancel a rule delay (the rule still waits)', async () => {
    await setFaults({ rules: [{ operationId: 'listIntegrations', delayMs: 250 }] });
    const started = Date.now();
    const res = await call(t, 'GET', '/integration', { headers: { prefer: 'nodelay=1' } });
    // A lower bound only: the wait cannot be shorter than asked, however busy the machine.
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(res.status).toBe(200);
    await clearFaults();
  });

  it('Prefer: DELAY=0 is the delay preference (names are case-insensitive) and overrides the rule', async () => {
    await setFaults({ rules: [{ operationId: 'listIntegrations', status: 503, delayMs: 0 }] });
    expect((await call(t, 'GET', '/integration', { headers: { prefer: 'DELAY=0, Code=418' } })).status).toBe(418);
    await clearFaults();
  });
});

describe('injected faults carry the headers of the status', () => {
  it('an injected 401 answers WWW-Authenticate', async () => {
    const res = await call(t, 'GET', '/integration', { headers: { prefer: 'code=401' } });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(CHALLENGE);
  });
  it('an injected 405 (fault rule) answers Allow with the methods of the path', async () => {
    await setFaults({ rules: [{ operationId: 'getIntegration', status: 405 }] });
    const res = await call(t, 'GET', '/integration/1');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, PUT, DELETE, HEAD, OPTIONS');
    await clearFaults();
  });
});

describe('/__mock routes', () => {
  it('PUT /__mock/state as text/plain responds 415', async () => {
    const res = await call(t, 'PUT', '/__mock/state', { rawBody: '{"integrations":[]}', headers: { 'content-type': 'text/plain', 'x-mock-session': 'default' } });
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ success: false, error: 'Content-Type text/plain is not supported' });
  });

  // X-Mock-Session names the session; a tool passes the cross-site guard without it (test/hardening/cross-site.test.ts).
  for (const [method, path, allow] of [['DELETE', '/__mock/reset', 'POST, OPTIONS'], ['POST', '/__mock/requests', 'GET, DELETE, HEAD, OPTIONS'], ['PATCH', '/__mock/state', 'GET, PUT, HEAD, OPTIONS'], ['POST', '/__mock/faults', 'GET, PUT, HEAD, OPTIONS']] as const) {
    it(`${method} ${path} responds 405 with Allow: ${allow}`, async () => {
      const res = await call(t, method, path, { headers: { 'x-mock-session': 'default' } });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe(allow);
      expect(res.body).toMatchObject({ success: false, error: `${method} is not allowed on ${path}`, advice: `Use one of: ${allow}.` });
    });
  }

  it('POST /__MOCK/RESET responds 404 (paths are case-sensitive) and resets nothing', async () => {
    const added = await call(t, 'POST', '/integration', { body: { type: 'GITLAB', pat: 'p' }, headers: { 'x-mock-session': 'case' } });
    expect(added.status).toBe(200);
    const res = await call(t, 'POST', '/__MOCK/RESET', { headers: { 'x-mock-session': 'case' } });
    expect(res.status).toBe(404);
    const list = await call(t, 'GET', '/integration', { headers: { 'x-mock-session': 'case' } });
    expect((list.body as { integrations: unknown[] }).integrations).toHaveLength(1);
  });

  it('a 413 names the limit body-parser applied (e.g. the 64 MiB state limit), not --body-limit', () => {
    // Sending 64 MiB in a test is too heavy; the route's limit reaches the answer through body-parser's
    // error, which the faults case above shows end to end.
    const res = { req: { headers: {} }, locals: {} } as unknown as Parameters<typeof toApiError>[3];
    const ctx = { bodyLimitBytes: 1048576, contextPath: '' } as Parameters<typeof toApiError>[4];
    const err = Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413, limit: 64 * 1024 * 1024 });
    expect(toApiError(err, 'PUT', '/__mock/state', res, ctx).body.error).toBe(`The request body is larger than ${64 * 1024 * 1024} bytes`);
  });

  it('an unknown /__mock path still responds 404', async () => {
    expect((await call(t, 'GET', '/__mock/nothing')).status).toBe(404);
  });
});
