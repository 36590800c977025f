// fast-check law of updateIntegration (issue 14): an integration of any type, exactly as read back
// (retrieve-one and list), is a valid update body: PUT answers 200 and changes nothing, long origins
// (and so long generated names) included. Runs: GIJ_PROPERTY_RUNS (25 by default); replay a failure
// with GIJ_PROPERTY_SEED.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/http.js';
import { startTarget, type Target } from '../helpers/target.js';
import { anyValidBody, type Body } from './arbitraries.js';
import { propertyRuns, propertySeed as seed, seedLine } from '../helpers/property-settings.js';

const runs = propertyRuns(25);
const timeout = Math.max(30_000, runs * 400);

/** A valid body, sometimes with an origin of 256 to 2000 characters and no displayName (generated from it). */
const bodyWithLongOrigins: fc.Arbitrary<Body> = fc.tuple(anyValidBody, fc.option(fc.integer({ min: 256, max: 2000 }), { freq: 2 }), fc.boolean())
  .map(([body, length, dropName]) => {
    if (length === null) return body;
    const origin = body.type === 'FILESPACE' ? `/r/${'x'.repeat(length - 5)}/*` : `https://h.example/${'x'.repeat(length - 18)}`;
    const out: Body = { ...body, origin };
    if (dropName) delete out.displayName;
    return out;
  });

describe.skipIf(Boolean(process.env.GIJ_BASE_URL))('updateIntegration read-back property', () => {
  let target: Target;
  beforeAll(async () => {
    console.log(seedLine(runs));
    target = await startTarget({ logLevel: 'silent' });
  });
  afterAll(() => target.close());

  it('PUT /integration/{id} of any integration exactly as read back responds 200 and changes nothing', async () => {
    await fc.assert(fc.asyncProperty(bodyWithLongOrigins, async (body) => {
      const added = await call(target, 'POST', '/integration', { body });
      expect(added.status, JSON.stringify(added.body).slice(0, 500)).toBe(200);
      const { id } = (added.body as { integration: { id: number } }).integration;
      const [read] = ((await call(target, 'GET', `/integration/${id}`)).body as { integration: Array<Record<string, unknown>> }).integration;
      const listed = ((await call(target, 'GET', '/integration')).body as { integrations: Array<Record<string, unknown>> }).integrations.find((i) => i.id === id);
      expect(listed).toEqual(read);

      const put = await call(target, 'PUT', `/integration/${id}`, { body: read });
      expect(put.status, `${JSON.stringify(put.body).slice(0, 500)}\nsent ${JSON.stringify(read).slice(0, 500)}`).toBe(200);
      expect((put.body as { integration: unknown }).integration).toEqual(read);
      const after = ((await call(target, 'GET', `/integration/${id}`)).body as { integration: unknown[] }).integration;
      expect(after).toEqual([read]);
      expect((await call(target, 'DELETE', `/integration/${id}`)).status).toBe(200);
    }), { numRuns: runs, seed });
  }, timeout);
});
