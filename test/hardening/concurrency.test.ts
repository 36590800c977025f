// Many clients at once: parallel adds get distinct ids and all are listed; updates, switches and reads
// racing a remove never answer 5xx and never bring the removed integration back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectContract, type HttpResult } from '../helpers/contract.js';
import { call } from '../helpers/http.js';
import { startTarget, type Target } from '../helpers/target.js';
import { addOne, listed } from './support.js';

let t: Target;
beforeAll(async () => { t = await startTarget({ logLevel: 'silent' }); });
afterAll(() => t.close());

describe('parallel adds', () => {
  it('1,000 parallel POST /integration answer 200 with 1,000 distinct ids, all listed', async () => {
    const session = { 'x-mock-session': 'parallel-adds' };
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) =>
      call(t, 'POST', '/integration', { body: { type: 'GITLAB', pat: `p${i}`, displayName: `parallel ${i}` }, headers: session })));
    for (const res of results) expectContract('addIntegration', res, 200);
    const ids = results.map((r) => (r.body as { integration: { id: number } }).integration.id);
    expect(new Set(ids).size).toBe(1000);
    const listedIds = (await listed(t, 'parallel-adds') as Array<{ id: number; displayName: string }>).map((i) => i.id);
    expect(listedIds).toEqual([...ids].sort((a, b) => a - b));
  });
});

describe('update, switch and read racing a remove', () => {
  const ROUNDS = 40;
  const allowed = (res: HttpResult) => expect([200, 404], JSON.stringify(res.body)).toContain(res.status);

  it(`${ROUNDS} rounds: every answer is 200 or 404, the removed integration stays gone`, async () => {
    const session = { 'x-mock-session': 'races' };
    for (let round = 0; round < ROUNDS; round++) {
      const id = await addOne(t, `race ${round}`, session);
      // Small injected delays make the requests arrive in a different order each round.
      const delay = (i: number) => ({ ...session, prefer: `delay=${(i * 7 + round * 3) % 13}` });
      const racing = [
        ...Array.from({ length: 8 }, (_, i) => call(t, 'PUT', `/integration/${id}`, { body: { displayName: `r${round}u${i}` }, headers: delay(i) })
          .then((res) => { allowed(res); expectContract('updateIntegration', res); })),
        ...Array.from({ length: 4 }, (_, i) => call(t, 'PUT', `/repository/${id}/disable?disable=${i % 2 === 0}`, { headers: delay(i + 8) })
          .then((res) => { allowed(res); expectContract('setIntegrationDisabled', res); })),
        ...Array.from({ length: 4 }, (_, i) => call(t, 'GET', `/integration/${id}`, { headers: delay(i + 12) })
          .then((res) => { allowed(res); expectContract('getIntegration', res); })),
        ...Array.from({ length: 3 }, (_, i) => call(t, 'DELETE', `/integration/${id}`, { headers: delay(i * 5) })
          .then((res) => { allowed(res); expectContract('removeIntegration', res); return res.status; })),
      ];
      const outcomes = await Promise.all(racing);
      expect(outcomes.filter((s) => s === 200), 'exactly one remove succeeds').toHaveLength(1);
      const after = await call(t, 'GET', `/integration/${id}`, { headers: session });
      expectContract('getIntegration', after, 404);
      expect((await listed(t, 'races') as Array<{ id: number }>).some((i) => i.id === id)).toBe(false);
    }
  });

  it('after the races a new add gets a fresh id (removed ids are not reused)', async () => {
    const session = { 'x-mock-session': 'races' };
    const id = await addOne(t, 'after the races', session);
    expect(id).toBeGreaterThan(ROUNDS);
  });
});
