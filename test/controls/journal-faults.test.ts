// GET/DELETE /__mock/requests, Prefer code/delay, and fault rules with a seed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/http.js';
import { startTarget, type Target } from '../helpers/target.js';

let t: Target;
beforeAll(async () => { t = await startTarget({ logLevel: 'silent', journalLimit: 5, maxDelayMs: 500 }); });
afterAll(() => t.close());

interface Entry { operationId: string | null; session: string; status: number; body: unknown; method: string; path: string }
const journal = async (query = '') => ((await call(t, 'GET', `/__mock/requests${query}`)).body as { requests: Entry[] }).requests;

describe('the request journal', () => {
  it('records operationId, session, status and the body with every secret replaced by ***', async () => {
    await call(t, 'DELETE', '/__mock/requests', { headers: { 'x-mock-session': 'default' } });
    await call(t, 'POST', '/integration', { body: { type: 'AWS', username: 'AKIAXYZ', password: 'hunter2', awsRegion: 'eu-west-1' }, headers: { 'x-mock-session': 'j1' } });
    const [entry] = await journal('?session=j1');
    expect(entry).toMatchObject({ operationId: 'addIntegration', session: 'j1', status: 200, method: 'POST', path: '/rest/gitplugin/1.0/integration' });
    expect(entry!.body).toEqual({ type: 'AWS', username: '***', password: '***', awsRegion: 'eu-west-1' });
    expect(JSON.stringify(await journal())).not.toMatch(/hunter2|AKIAXYZ/);
  });

  it('filters by operationId and is capped at --journal-limit, dropping the oldest', async () => {
    await call(t, 'DELETE', '/__mock/requests', { headers: { 'x-mock-session': 'default' } });
    for (let i = 0; i < 7; i++) await call(t, 'GET', '/integration');
    await call(t, 'GET', '/integration/424242');
    const all = await journal();
    expect(all).toHaveLength(5);
    expect(all.at(-1)).toMatchObject({ operationId: 'getIntegration', status: 404 });
    expect(await journal('?operationId=getIntegration')).toHaveLength(1);
    expect((await call(t, 'DELETE', '/__mock/requests', { headers: { 'x-mock-session': 'default' } })).status).toBe(200);
    expect(await journal()).toEqual([]);
  });
});

describe('Prefer header', () => {
  it('code=503 answers 503 with the envelope and changes nothing', async () => {
    const res = await call(t, 'POST', '/integration', { body: { type: 'GITLAB', pat: 'p', displayName: 'faulted' }, headers: { prefer: 'code=503' } });
    expect(res).toMatchObject({ status: 503, body: { success: false, error: expect.stringContaining('503') } });
    const list = (await call(t, 'GET', '/integration')).body as { integrations: Array<{ displayName: string }> };
    expect(list.integrations.some((i) => i.displayName === 'faulted')).toBe(false);
  });

  it('delay=250 delays the answer by at least 250 ms; beyond --max-delay responds 400', async () => {
    const started = performance.now();
    expect((await call(t, 'GET', '/integration', { headers: { prefer: 'delay=250' } })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(245);
    const tooLong = await call(t, 'GET', '/integration', { headers: { prefer: 'delay=501' } });
    expect(tooLong).toMatchObject({ status: 400, body: { error: expect.stringContaining('0 to 500 ms') } });
  });
});

describe('PUT /__mock/faults', () => {
  const statuses = async (n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await call(t, 'GET', '/integration')).status);
    return out;
  };
  it('a probabilistic rule with a seed gives the same sequence every time it is set', async () => {
    const rules = { rules: [{ operationId: 'listIntegrations', status: 500, probability: 0.5 }], seed: 42 };
    expect((await call(t, 'PUT', '/__mock/faults', { body: rules })).status).toBe(200);
    const first = await statuses(20);
    await call(t, 'PUT', '/__mock/faults', { body: rules });
    expect(await statuses(20)).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(200);
    await call(t, 'PUT', '/__mock/faults', { body: { rules: [] } });
    expect(new Set(await statuses(5))).toEqual(new Set([200]));
  });

  it('a rule for another operation leaves this one alone; a bad rule responds 400', async () => {
    await call(t, 'PUT', '/__mock/faults', { body: { rules: [{ operationId: 'addIntegration', status: 502 }] } });
    expect((await call(t, 'GET', '/integration')).status).toBe(200);
    expect((await call(t, 'POST', '/integration', { body: { type: 'GITLAB', pat: 'p' } })).status).toBe(502);
    const bad = await call(t, 'PUT', '/__mock/faults', { body: { rules: [{ operationId: 'x', status: 200 }] } });
    expect(bad).toMatchObject({ status: 400, body: { success: false } });
    await call(t, 'PUT', '/__mock/faults', { body: { rules: [] } });
  });
});
