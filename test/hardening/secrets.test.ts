// Known unique secrets sent through every operation — valid adds of every type, updates, and requests
// that fail in every way — never appear in any response body or header, log line, journal or export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpResult } from '../helpers/contract.js';
import { addExamples } from '../helpers/fixture.js';
import { call } from '../helpers/http.js';
import { runId, startTarget, type Target } from '../helpers/target.js';
import { JSON_TYPE, raw } from './support.js';

let t: Target;
beforeAll(async () => { t = await startTarget({ logLevel: 'trace' }); });
afterAll(() => t.close());

const secrets: string[] = [];
const secret = (what: string) => {
  const s = `S3cr3t-${what}-${runId}-${secrets.length}`;
  secrets.push(s);
  return s;
};
const seen: Array<{ what: string; text: string }> = [];
const keep = (what: string, res: HttpResult) => seen.push({ what, text: `${JSON.stringify(res.headers)}\n${typeof res.body === 'string' ? res.body : JSON.stringify(res.body)}` });
const SESSION = { 'x-mock-session': `secrets-${runId}` };

/** The example with every secret field it carries replaced by a fresh unique secret. */
function withSecrets(body: Record<string, unknown>, tag: string): Record<string, unknown> {
  const out = { ...body };
  for (const field of ['username', 'password', 'pat'] as const) {
    if (field in out && !(field === 'username' && out.username === 'all')) out[field] = secret(`${tag}-${field}`);
  }
  return out;
}

describe('secrets sent through every operation', () => {
  const ids: number[] = [];

  it('adds of every type and their updates answer 200', async () => {
    for (const { name, body } of addExamples) {
      const add = await call(t, 'POST', '/integration', { body: withSecrets(body, name), headers: SESSION });
      keep(`add ${name}`, add);
      expect(add.status, JSON.stringify(add.body)).toBe(200);
      const { id } = (add.body as { integration: { id: number } }).integration;
      ids.push(id);
      const update = await call(t, 'PUT', `/integration/${id}`, { body: withSecrets({ username: '', password: '', pat: '' }, `update-${name}`), headers: SESSION });
      keep(`update ${name}`, update);
    }
    // A TFS_SERVER integration with a pat and username "all": the pat is the secret.
    const tfs = await call(t, 'POST', '/integration', { body: { type: 'TFS_SERVER', origin: 'http://tfs', username: 'all', pat: secret('tfs-pat') }, headers: SESSION });
    keep('add TFS_SERVER pat', tfs);
    expect(tfs.status).toBe(200);
  });

  it('failing requests that carry secrets answer 4xx', async () => {
    const id = ids[0]!;
    const failing: Array<[string, Promise<HttpResult>]> = [
      ['unquoted secret (malformed JSON)', raw(t, { method: 'POST', path: '/integration', headers: { ...JSON_TYPE, ...SESSION }, body: `{"type":"GITHUB","pat":${secret('unquoted')}}` })],
      ['secret then garbage', raw(t, { method: 'POST', path: '/integration', headers: { ...JSON_TYPE, ...SESSION }, body: `{"type":"GITHUB","pat":"${secret('garbage')}" x}` })],
      ['secret as the whole body', raw(t, { method: 'POST', path: '/integration', headers: { ...JSON_TYPE, ...SESSION }, body: JSON.stringify(secret('whole')) })],
      ['pat too long', call(t, 'POST', '/integration', { body: { type: 'GITHUB', pat: `${secret('long')}${'x'.repeat(1100)}` }, headers: SESSION })],
      ['pat of the wrong type', call(t, 'POST', '/integration', { body: { type: 'GITHUB', pat: [secret('array')] }, headers: SESSION })],
      ['secret in an unknown field', call(t, 'POST', '/integration', { body: { type: 'GITHUB', pat: secret('p'), passwd: secret('passwd') }, headers: SESSION })],
      ['TFS_SERVER pat with a secret username', call(t, 'POST', '/integration', { body: { type: 'TFS_SERVER', origin: 'http://tfs', username: secret('tfs-user'), pat: secret('tfs-pat2') }, headers: SESSION })],
      ['GERRIT missing password', call(t, 'POST', '/integration', { body: { type: 'GERRIT', origin: 'http://g', username: secret('gerrit-user') }, headers: SESSION })],
      ['update with a type change', call(t, 'PUT', `/integration/${id}`, { body: { type: 'GERRIT', password: secret('typechange') }, headers: SESSION })],
      ['update of an unknown id', call(t, 'PUT', '/integration/2147483647', { body: { pat: secret('unknown-id') }, headers: SESSION })],
      ['secret in a query value', call(t, 'PUT', `/repository/${id}/disable?disable=${secret('query')}`, { headers: SESSION })],
      ['Basic with a secret password', call(t, 'GET', '/integration', { auth: `Basic ${Buffer.from(`admin:${secret('basic')}`).toString('base64')}`, headers: SESSION })],
      ['Basic with a secret user name', call(t, 'GET', '/integration', { auth: `Basic ${Buffer.from(`${secret('basic-user')}:x`).toString('base64')}`, headers: SESSION })],
      ['Bearer with a secret token', call(t, 'GET', '/integration', { auth: `Bearer ${secret('bearer')}`, headers: SESSION })],
      ['non-administrator sending secrets', call(t, 'POST', '/integration', { auth: t.user ?? null, body: { type: 'GITLAB', pat: secret('user-pat') }, headers: SESSION })],
    ];
    for (const [what, pending] of failing) {
      const res = await pending;
      keep(what, res);
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
    }
  });

  it('reads, switches and removes answer 200', async () => {
    keep('list', await call(t, 'GET', '/integration', { headers: SESSION }));
    for (const id of ids) {
      keep(`get ${id}`, await call(t, 'GET', `/integration/${id}`, { headers: SESSION }));
      keep(`disable ${id}`, await call(t, 'PUT', `/repository/${id}/disable?disable=true`, { headers: SESSION }));
    }
    keep('list after disable', await call(t, 'GET', '/integration', { headers: SESSION }));
    for (const id of ids.slice(0, 3)) keep(`remove ${id}`, await call(t, 'DELETE', `/integration/${id}`, { headers: SESSION }));
  });

  it('no response body or header carries a secret', () => {
    expect(secrets.length).toBeGreaterThan(40);
    for (const { what, text } of seen) for (const s of secrets) expect(text.includes(s), `${what} answered ${s}`).toBe(false);
  });

  it('no log line carries a secret', () => {
    const log = t.logLines.join('\n');
    expect(t.logLines.length).toBeGreaterThan(0);
    for (const s of secrets) expect(log.includes(s), `the log holds ${s}`).toBe(false);
  });

  it('neither the journal nor the state export carries a secret (when the server has them)', async () => {
    for (const path of ['/__mock/requests', `/__mock/requests?session=${SESSION['x-mock-session']}`, '/__mock/state']) {
      const res = await call(t, 'GET', path, { headers: SESSION });
      if (res.status === 404) continue;
      expect(res.status).toBe(200);
      const text = JSON.stringify(res.body);
      if (path.startsWith('/__mock/requests')) expect(text).toContain('addIntegration');
      for (const s of secrets) expect(text.includes(s), `${path} holds ${s}`).toBe(false);
    }
  });
});
