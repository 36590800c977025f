// --seed, GET/PUT /__mock/state and --clock (--state-file: durable-state.test.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { call } from '../helpers/http.js';
import { startTarget, type Target } from '../helpers/target.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('gij-mock-state-');
const seedPath = join(dir, 'seed.json');
writeFileSync(seedPath, JSON.stringify({ integrations: [{ id: 7, type: 'GITLAB', pat: 'seed-secret', displayName: 'seeded' }] }));
type List = { integrations: Array<{ id: number; displayName: string; initDate: number }> };

let t: Target;
beforeAll(async () => { t = await startTarget({ ...loadConfig(['--seed', seedPath, '--clock', '1700000000000'], {}), logLevel: 'silent' }); });
afterAll(() => t.close());

describe('--seed and --clock', () => {
  it('every store starts with the seed; adds continue after its largest id with the fixed clock', async () => {
    expect(((await call(t, 'GET', '/integration')).body as List).integrations.map((i) => i.displayName)).toEqual(['seeded']);
    const added = (await call(t, 'POST', '/integration', { body: { type: 'AZURE', pat: 'p' } })).body as { integration: { id: number; initDate: number } };
    expect(added.integration).toMatchObject({ id: 8, initDate: 1700000000000 });
    await call(t, 'POST', '/__mock/reset', { headers: { 'x-mock-session': 'default' } });
    expect(((await call(t, 'GET', '/integration')).body as List).integrations.map((i) => i.id)).toEqual([7]);
  });

  it('a seed entry that breaks a rule stops start-up with the entry and the rule named', () => {
    const bad = join(dir, 'bad-seed.json');
    writeFileSync(bad, JSON.stringify({ integrations: [{ type: 'GITLAB', pat: 'p' }, { type: 'GERRIT', origin: 'http://g' }] }));
    expect(() => loadConfig(['--seed', bad], {})).toThrow(/integrations\[1\]: .*username.*required when type is GERRIT/);
  });
});

describe('GET and PUT /__mock/state', () => {
  it('exports with secrets as *** and imports back to the same integrations', async () => {
    const exported = (await call(t, 'GET', '/__mock/state', { headers: { 'x-mock-session': 's1' } })).body as Record<string, unknown>;
    expect(JSON.stringify(exported)).not.toContain('seed-secret');
    expect(JSON.stringify(exported)).toContain('"pat":"***"');
    const imported = await call(t, 'PUT', '/__mock/state', { body: exported, headers: { 'x-mock-session': 's2' } });
    expect(imported).toMatchObject({ status: 200, body: { integrations: 1 } });
    const [a, b] = await Promise.all(['s1', 's2'].map(async (s) => (await call(t, 'GET', '/integration', { headers: { 'x-mock-session': s } })).body));
    expect(b).toEqual(a);
  });

  it('an import with a rule-breaking entry responds 400 naming it and changes nothing', async () => {
    const res = await call(t, 'PUT', '/__mock/state', { body: { integrations: [{ type: 'AWS', username: 'u', password: 'p' }] } });
    expect(res).toMatchObject({ status: 400, body: { error: 'integrations[0]: awsRegion is required when type is AWS' } });
    expect(((await call(t, 'GET', '/integration')).body as List).integrations).toHaveLength(1);
  });
});
