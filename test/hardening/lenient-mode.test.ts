// --validation lenient: what the plugin accepts is accepted, and each thing strict mode refuses comes back
// as an X-Gij-Mock-Warning header (strict mode's own sentence) and on the journal entry. What the
// plugin refuses too stays a 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unindexed } from '../helpers/expectations.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { MAX_WARNINGS } from '../../src/warnings.js';
import { call } from '../helpers/http.js';
import { startTarget, type Target } from '../helpers/target.js';

let lenient: Target;
let strict: Target;
beforeAll(async () => {
  [lenient, strict] = await Promise.all([startTarget({ logLevel: 'silent', validation: 'lenient' }), startTarget({ logLevel: 'silent' })]);
});
afterAll(() => Promise.all([lenient.close(), strict.close()]));

const warningsOf = (res: { headers: Record<string, string | string[] | undefined> }) => String(res.headers['x-gij-mock-warning'] ?? '').split(', ').filter(Boolean);
const strictError = (res: { body: unknown }) => (res.body as { error: string }).error;
const lastJournal = async (t: Target, operationId = '') => ((await call(t, 'GET', `/__mock/requests?operationId=${operationId}`)).body as { requests: Array<{ warnings: string[]; body: unknown }> }).requests.at(-1)!;
const addGithub = async (t: Target) => ((await call(t, 'POST', '/integration', { body: { type: 'GITHUB', pat: 'p' } })).body as { integration: Record<string, unknown> & { id: number } }).integration;

describe('--validation', () => {
  it('loadConfig takes strict (the default) and lenient, from the flag or GIJ_MOCK_VALIDATION, and refuses anything else', () => {
    expect(loadConfig([], {}).validation).toBe('strict');
    expect(loadConfig(['--validation', 'lenient'], {}).validation).toBe('lenient');
    expect(loadConfig([], { GIJ_MOCK_VALIDATION: 'lenient' }).validation).toBe('lenient');
    expect(() => loadConfig(['--validation', 'loose'], {})).toThrow(ConfigError);
  });
});

describe('lenient mode accepts what the plugin accepts, with strict mode’s sentence as a warning', () => {
  it('POST /integration with an unknown field responds 200 without storing it; strict mode refuses it with the same sentence', async () => {
    const body = { type: 'GITLAB', pat: 'secret-pat', awsregion: 'eu-west-1' };
    const res = await call(lenient, 'POST', '/integration', { body });
    expect(res.status).toBe(200);
    expect((res.body as { integration: object }).integration).not.toHaveProperty('awsregion');
    const refused = await call(strict, 'POST', '/integration', { body });
    expect(refused.status).toBe(400);
    expect(warningsOf(res)).toEqual([strictError(refused)]);
    expect(warningsOf(res)).toEqual(['awsregion is not a field of this request']);
    const entry = await lastJournal(lenient);
    expect(entry.warnings).toEqual(['awsregion is not a field of this request']);
    expect(JSON.stringify(entry.body)).not.toContain('secret-pat');
    expect(entry.body).toMatchObject({ type: 'GITLAB', awsregion: '***' });
  });

  for (const [value, disabled] of [['TRUE', true], ['True', true], ['yes', false], ['1', false]] as const) {
    it(`PUT /repository/{id}/disable?disable=${value} reads it as Jersey does (${String(disabled)}) with the warning strict mode's 400 gives`, async () => {
      const { id } = await addGithub(lenient);
      const res = await call(lenient, 'PUT', `/repository/${id}/disable?disable=${value}`);
      expect(res.status).toBe(200);
      const got = (await call(lenient, 'GET', `/integration/${id}`)).body as { integration: Array<{ disabled: boolean }> };
      expect(got.integration[0]!.disabled).toBe(disabled);
      const refused = await call(strict, 'PUT', `/repository/${(await addGithub(strict)).id}/disable?disable=${value}`);
      expect(refused.status).toBe(400);
      expect(warningsOf(res)).toEqual([strictError(refused)]);
      expect((await lastJournal(lenient, 'setIntegrationDisabled')).warnings).toEqual([strictError(refused)]);
    });
  }

  it('PUT /repository/{id}/disable?disable=true&disable=false takes the first value, as Jersey does, with a warning', async () => {
    const { id } = await addGithub(lenient);
    const res = await call(lenient, 'PUT', `/repository/${id}/disable?disable=true&disable=false`);
    expect(res.status).toBe(200);
    expect(((await call(lenient, 'GET', `/integration/${id}`)).body as { integration: Array<{ disabled: boolean }> }).integration[0]!.disabled).toBe(true);
    expect(warningsOf(res)).toEqual(['disable is given more than once; send it once']);
  });

  it('GET /integration?bogus=1 responds 200 with the warning strict mode refuses it with', async () => {
    const res = await call(lenient, 'GET', '/integration?bogus=1');
    expect(res.status).toBe(200);
    const refused = await call(strict, 'GET', '/integration?bogus=1');
    expect(warningsOf(res)).toEqual([strictError(refused)]);
  });

  it('PUT of an integration read back with initDate changed responds 200, keeps initDate and warns', async () => {
    const read = await addGithub(lenient);
    const res = await call(lenient, 'PUT', `/integration/${read.id}`, { body: { ...read, initDate: 1, displayName: 'renamed' } });
    expect(res.status).toBe(200);
    expect(unindexed((res.body as { integration: unknown }).integration)).toEqual(unindexed({ ...read, displayName: 'renamed' }));
    expect(warningsOf(res)).toEqual(['initDate cannot change: the server sets it; leave it out or send the value read back']);
  });

  it(`POST /integration with 25 unknown fields lists ${MAX_WARNINGS} warnings and counts the rest`, async () => {
    const extra = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`extra${String(i).padStart(2, '0')}`, i]));
    const res = await call(lenient, 'POST', '/integration', { body: { type: 'GITHUB', pat: 'p', ...extra } });
    expect(res.status).toBe(200);
    const lines = warningsOf(res);
    expect(lines).toHaveLength(MAX_WARNINGS + 1);
    expect(lines.at(-1)).toBe('and 5 more warnings');
    expect((await lastJournal(lenient)).warnings).toEqual(lines);
  });

  it('POST /integration with an unknown field named in non-ASCII answers 200 with the name escaped in the header', async () => {
    const res = await call(lenient, 'POST', '/integration', { body: { type: 'GITHUB', pat: 'p', 'név\r\n': 1 } });
    expect(res.status).toBe(200);
    expect(warningsOf(res)).toEqual(['n\\u00e9v\\u000d\\u000a is not a field of this request']);
  });

  it('a strict-mode answer has no warning header and an empty warnings list in the journal', async () => {
    const res = await call(strict, 'GET', '/integration');
    expect(res.headers['x-gij-mock-warning']).toBeUndefined();
    expect((await lastJournal(strict)).warnings).toEqual([]);
  });
});

describe('lenient mode still refuses what the plugin refuses', () => {
  for (const [given, body] of [
    ['a missing field the type requires', { type: 'GITHUB_SERVER', pat: 'p' }],
    ['a wrong type', { type: 'GITHUB', pat: 'p', global: 'yes' }],
    ['an unknown type', { type: 'BITBUCKET', pat: 'p' }],
  ] as const) {
    it(`POST /integration with ${given} responds 400 in lenient mode as in strict mode`, async () => {
      const [l, s] = await Promise.all([call(lenient, 'POST', '/integration', { body }), call(strict, 'POST', '/integration', { body })]);
      expect(l.status).toBe(400);
      expect(l.body).toEqual(s.body);
    });
  }
  it('PUT /repository/{id}/disable without disable responds 400 in lenient mode', async () => {
    const { id } = await addGithub(lenient);
    expect((await call(lenient, 'PUT', `/repository/${id}/disable`)).status).toBe(400);
  });
  it('an unknown field and a missing required field: 400 naming the missing field, the unknown one as a warning', async () => {
    const res = await call(lenient, 'POST', '/integration', { body: { type: 'GITLAB', colour: 'red' } });
    expect(res.status).toBe(400);
    expect(strictError(res)).toBe('pat is required when type is GITLAB');
    expect(warningsOf(res)).toEqual(['colour is not a field of this request']);
  });
});
