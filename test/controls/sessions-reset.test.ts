// X-Mock-Session isolation and POST /__mock/reset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/http.js';
import { startTarget, type Target } from '../helpers/target.js';

let t: Target;
beforeAll(async () => { t = await startTarget({ logLevel: 'silent' }); });
afterAll(() => t.close());

const add = (session: string, n: number) =>
  call(t, 'POST', '/integration', { body: { type: 'GITLAB', pat: 'p', displayName: `${session}-${n}` }, headers: { 'x-mock-session': session } });
const list = async (session?: string) =>
  (await call(t, 'GET', '/integration', session ? { headers: { 'x-mock-session': session } } : {})).body as { integrations: Array<{ id: number; displayName: string }> };

describe('X-Mock-Session', () => {
  it('two concurrent sessions adding 100 integrations each see exactly their own 100', async () => {
    const results = await Promise.all([...Array(100).keys()].flatMap((i) => [add('worker-a', i), add('worker-b', i)]));
    expect(results.every((r) => r.status === 200)).toBe(true);
    for (const s of ['worker-a', 'worker-b']) {
      const names = (await list(s)).integrations.map((i) => i.displayName);
      expect(names).toHaveLength(100);
      expect(names.every((n) => n.startsWith(`${s}-`))).toBe(true);
      expect(new Set(names).size).toBe(100);
    }
    expect((await list()).integrations.some((i) => i.displayName.startsWith('worker-'))).toBe(false);
  });

  it('ids are deterministic per store: each new session starts at 1', async () => {
    const first = await add('fresh-1', 0);
    const second = await add('fresh-2', 0);
    expect((first.body as { integration: { id: number } }).integration.id).toBe(1);
    expect((second.body as { integration: { id: number } }).integration.id).toBe(1);
  });

  it('a malformed session name responds 400 with the envelope', async () => {
    const res = await call(t, 'GET', '/integration', { headers: { 'x-mock-session': 'bad name!' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, error: expect.stringContaining('X-Mock-Session') });
  });
});

describe('POST /__mock/reset', () => {
  it('empties only the calling session, and ids start at 1 again', async () => {
    await add('r1', 1);
    await add('r2', 1);
    const res = await call(t, 'POST', '/__mock/reset', { headers: { 'x-mock-session': 'r1' } });
    expect(res).toMatchObject({ status: 200, body: { success: true } });
    expect((await list('r1')).integrations).toEqual([]);
    expect((await list('r2')).integrations).toHaveLength(1);
    expect(((await add('r1', 2)).body as { integration: { id: number } }).integration.id).toBe(1);
  });

  it('with all=true forgets every session', async () => {
    await add('r3', 1);
    expect((await call(t, 'POST', '/__mock/reset?all=true', { headers: { 'x-mock-session': 'default' } })).status).toBe(200);
    expect((await list('r3')).integrations).toEqual([]);
    expect((await list('r2')).integrations).toEqual([]);
  });
});
