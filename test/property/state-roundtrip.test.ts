// fast-check law of durable state: whatever the API accepted (every integration type, many generated
// integrations, then some disabled and some removed) comes back identical from a restart on --state-file
// and from GET /__mock/state → PUT /__mock/state, although no file or export holds a secret.
// Runs: GIJ_PROPERTY_RUNS / 3 (at least 3); replay a failure with GIJ_PROPERTY_SEED.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { call } from '../helpers/http.js';
import { startTarget, type Target } from '../helpers/target.js';
import { anyValidBody, integrationTypes, validBody, type Body } from './arbitraries.js';
import { propertyRuns, propertySeed as seed, seedLine } from '../helpers/property-settings.js';
import { tempDir } from '../helpers/temp-dir.js';

const runs = Math.max(3, Math.ceil(propertyRuns(9) / 3));
const dir = tempDir('gij-mock-roundtrip-');
const SECRET_FIELDS = ['password', 'pat', 'username'];

/** One body of every type, then up to 30 more of any type; which to disable and which to remove. */
const scenario = fc.record({
  everyType: fc.tuple(...integrationTypes.map(validBody)),
  more: fc.array(anyValidBody, { maxLength: 12 }),
  disable: fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }),
  remove: fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }),
});

const state = async (t: Target, session = 'default') => ({
  list: (await call(t, 'GET', '/integration', { headers: { 'x-mock-session': session } })).body,
  exported: (await call(t, 'GET', '/__mock/state', { headers: { 'x-mock-session': session } })).body,
});

/** Every string value of a state file or log (one JSON document a line), except those under a secret key. */
function writtenValues(text: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key?: string): void => {
    if (typeof v === 'string') { if (!SECRET_FIELDS.includes(key ?? '')) out.push(v); } else if (Array.isArray(v)) v.forEach((x) => walk(x));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  for (const line of text.split('\n')) if (line.trim()) walk(JSON.parse(line));
  return out;
}

describe.skipIf(Boolean(process.env.GIJ_BASE_URL))('durable state round trip', () => {
  it('every accepted integration of every type survives a restart from --state-file and export → import identically, with no secret written', async () => {
    console.log(seedLine(runs, 'runs'));
    let run = 0;
    await fc.assert(fc.asyncProperty(scenario, async ({ everyType, more, disable, remove }) => {
      const stateFile = join(dir, `run-${run++}.json`);
      const bodies: Body[] = [...everyType, ...more];
      const first = await startTarget({ logLevel: 'silent', stateFile });
      let before;
      try {
        const ids: number[] = [];
        for (const body of bodies) {
          const added = await call(first, 'POST', '/integration', { body });
          expect(added.status, JSON.stringify(added.body)).toBe(200);
          ids.push((added.body as { integration: { id: number } }).integration.id);
        }
        for (const [i, id] of ids.entries()) {
          if (disable[i]) expect((await call(first, 'PUT', `/repository/${id}/disable?disable=true`)).status).toBe(200);
          if (remove[i]) expect((await call(first, 'DELETE', `/integration/${id}`)).status).toBe(200);
        }
        before = await state(first);
        // Export → import into another session gives the very same export and list.
        const imported = await call(first, 'PUT', '/__mock/state', { body: before.exported, headers: { 'x-mock-session': 'copy' } });
        expect(imported.status, JSON.stringify(imported.body)).toBe(200);
        expect(await state(first, 'copy')).toEqual(before);
      } finally {
        await first.close();
      }
      const written = readFileSync(stateFile, 'utf8') + readFileSync(`${stateFile}.log`, 'utf8');
      // Every secret key in the files holds "***"; no secret value appears (unless some open field holds the same text).
      const secretKeys = [...written.matchAll(/"(password|pat|username)":("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[2]!) as string);
      expect(secretKeys.every((v) => v === '***')).toBe(true);
      // String values only: the files' own keys (an index task's "name") are not something a client sent.
      const open = JSON.stringify(bodies.map((b) => Object.fromEntries(Object.entries(b).filter(([k]) => !SECRET_FIELDS.includes(k)))));
      const values = [stateFile, `${stateFile}.log`].flatMap((file) => writtenValues(readFileSync(file, 'utf8')));
      for (const body of bodies) for (const f of SECRET_FIELDS) {
        const secret = body[f];
        if (typeof secret === 'string' && secret.length > 3 && !open.includes(JSON.stringify(secret).slice(1, -1))) expect(values.filter((v) => v.includes(secret)), f).toEqual([]);
      }
      const second = await startTarget({ logLevel: 'silent', stateFile });
      try {
        expect(await state(second)).toEqual(before);
        expect(await state(second, 'copy')).toEqual(before);
      } finally {
        await second.close();
      }
      // No shrinking: each run starts two servers, so shrinking would take minutes; the seed replays the failure.
    }), { numRuns: runs, seed, endOnFailure: true });
  }, Math.max(60_000, runs * 15_000));
});
