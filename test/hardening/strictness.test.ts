// Issue 14, request side: what was too loose (empty secrets, unanchored host URLs, 9007199254740991.4 as a
// project id), displayName limits that let a read-back integration be sent back, and every problem of a
// request in one 400 (ordered as the spec's fields, bounded).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unindexed } from '../helpers/expectations.js';
import { MAX_PROBLEMS } from '../../src/validation-messages.js';
import { loadSpec, type JsonSchema } from '../../src/spec.js';
import { call } from '../helpers/http.js';
import { startTarget, type Target } from '../helpers/target.js';

let t: Target;
beforeAll(async () => { t = await startTarget({ logLevel: 'silent' }); });
afterAll(() => t.close());

const errorOf = (res: { body: unknown }) => (res.body as { error: string; advice: string });
const rawPost = (text: string) => call(t, 'POST', '/integration', { rawBody: text, headers: { 'content-type': 'application/json' } });
const count = async () => ((await call(t, 'GET', '/integration')).body as { integrations: unknown[] }).integrations.length;

describe('too loose before issue 14', () => {
  for (const [given, body, field] of [
    ['GITLAB with pat ""', { type: 'GITLAB', pat: '' }, 'pat'],
    ['GITHUB with username and password ""', { type: 'GITHUB', username: 'u', password: '' }, 'password'],
    ['GERRIT with username ""', { type: 'GERRIT', origin: 'https://g', username: '', password: 'p' }, 'username'],
  ] as const) {
    it(`POST /integration for ${given} responds 400: an empty secret does not satisfy "required"`, async () => {
      const before = await count();
      const res = await call(t, 'POST', '/integration', { body });
      expect(res.status).toBe(400);
      expect(errorOf(res).error).toContain(`${field} must not be empty`);
      expect(await count()).toBe(before);
    });
  }

  for (const origin of ['https://a b', 'https://a\r\nX-Injected: 1', 'https://a/\tb', 'https://a\u0000', 'https://host/ trailing']) {
    it(`POST /integration for GITHUB_SERVER with origin ${JSON.stringify(origin)} responds 400 (the URL pattern is anchored at both ends)`, async () => {
      const res = await call(t, 'POST', '/integration', { body: { type: 'GITHUB_SERVER', origin, pat: 'p' } });
      expect(res.status).toBe(400);
      expect(errorOf(res).error).toContain('origin must be an absolute http:// or https:// URL when type is GITHUB_SERVER');
    });
  }
  it('POST /integration for GITLAB_SERVER with origin https://git.example.org:8443/gitlab?x=1 is still accepted', async () => {
    expect((await call(t, 'POST', '/integration', { body: { type: 'GITLAB_SERVER', origin: 'https://git.example.org:8443/gitlab?x=1', pat: 'p' } })).status).toBe(200);
  });

  for (const [given, text, field] of [
    ['project id 9007199254740991.4 (JSON.parse rounds it to 2^53-1)', '{"type":"GITHUB","pat":"p","global":false,"projectMappingIds":[10000,9007199254740991.4]}', 'projectMappingIds[1]'],
    ['folderDepth 1.0', '{"type":"FILESPACE","origin":"/r/*","folderDepth":1.0}', 'folderDepth'],
    ['maxMinsToCommitEmail 1e3', '{"type":"GITHUB","pat":"p","maxMinsToCommitEmail":1e3}', 'maxMinsToCommitEmail'],
  ] as const) {
    it(`POST /integration with ${given} responds 400 naming ${field}`, async () => {
      const before = await count();
      const res = await rawPost(text);
      expect(res.status).toBe(400);
      expect(errorOf(res).error).toBe(`${field} must be a whole number written without a fraction or exponent`);
      expect(await count()).toBe(before);
    });
  }
  it('POST /integration with "1.5e3" inside a string value is accepted (only numbers are checked)', async () => {
    expect((await rawPost('{"type":"GITHUB","pat":"p","displayName":"v1.5e3 [1.0]","maxMinsToCommitEmail":1000}')).status).toBe(200);
  });
  it('PUT /integration/{id} with project id 9007199254740991.4 responds 400 too', async () => {
    const id = (errorOf(await call(t, 'POST', '/integration', { body: { type: 'GITHUB', pat: 'p' } })) as unknown as { integration: { id: number } }).integration.id;
    const res = await call(t, 'PUT', `/integration/${id}`, { rawBody: '{"global":false,"projectMappingIds":[9007199254740991.4]}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(errorOf(res).error).toContain('projectMappingIds[0] must be a whole number');
  });
});

describe('displayName limits', () => {
  it('POST /integration with a displayName of 2002 emoji (4004 UTF-16 units) is accepted: lengths count code points', async () => {
    const res = await call(t, 'POST', '/integration', { body: { type: 'GITHUB', pat: 'p', displayName: '😀'.repeat(2002) } });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
  });
  it('POST /integration with a displayName of 2003 characters responds 400 naming the limit', async () => {
    const res = await call(t, 'POST', '/integration', { body: { type: 'GITHUB', pat: 'p', displayName: 'x'.repeat(2003) } });
    expect(res.status).toBe(400);
    expect(errorOf(res).error).toBe('displayName must NOT have more than 2002 characters');
  });
  it('a GITHUB_SERVER integration with a 2000-character origin, read back and PUT as is, responds 200 unchanged', async () => {
    const origin = `https://h.example/${'p'.repeat(2000 - 'https://h.example/'.length)}`;
    const added = await call(t, 'POST', '/integration', { body: { type: 'GITHUB_SERVER', origin, pat: 'p' } });
    expect(added.status).toBe(200);
    const read = (added.body as { integration: { id: number; displayName: string } }).integration;
    expect(read.displayName).toHaveLength(2002);
    const put = await call(t, 'PUT', `/integration/${read.id}`, { body: read });
    expect(put.status, JSON.stringify(put.body).slice(0, 300)).toBe(200);
    expect(unindexed((put.body as { integration: unknown }).integration)).toEqual(unindexed(read));
  });
  it('PUT /integration/{id} with a read-back initDate changed responds 400 and changes nothing', async () => {
    const added = (await call(t, 'POST', '/integration', { body: { type: 'FILESPACE', origin: '/repos/*' } })).body as { integration: Record<string, unknown> };
    const read = added.integration;
    for (const [field, value] of [['initDate', 1], ['root', '/elsewhere/'], ['absoluteRoot', false], ['lastIndexedDate', 5]] as const) {
      const res = await call(t, 'PUT', `/integration/${String(read.id)}`, { body: { ...read, displayName: 'changed', [field]: value } });
      expect(res.status, field).toBe(400);
      expect(errorOf(res).error).toBe(`${field} cannot change: the server sets it; leave it out or send the value read back`);
    }
    expect(((await call(t, 'GET', `/integration/${String(read.id)}`)).body as { integration: unknown[] }).integration.map(unindexed)).toEqual([unindexed(read)]);
  });
});

describe('every problem in one 400', () => {
  const settings = loadSpec().components.schemas.IntegrationSettings!.properties as Record<string, JsonSchema>;
  // A value of the wrong JSON type for each settable field, in the spec's order.
  const wrong = Object.entries(settings).map(([field, s]) => {
    const type = s.type ?? 'string';
    return [field, type === 'boolean' || type === 'integer' || type === 'array' ? 'x' : 7] as const;
  });

  it('POST /integration with showAllTags, limitGitData and projectMappingIds wrong responds one 400 naming all three in spec order', async () => {
    const res = await call(t, 'POST', '/integration', { body: { type: 'GITHUB', pat: 'p', limitGitData: 'no', projectMappingIds: 'all', showAllTags: 'yes' } });
    expect(res.status).toBe(400);
    expect(errorOf(res).error).toBe('showAllTags must be boolean; projectMappingIds must be array; limitGitData must be boolean');
    expect(errorOf(res).advice).toMatch(/^Correct the fields named above/);
  });

  for (const n of [1, 2, 5, 12, MAX_PROBLEMS]) {
    it(`POST /integration with ${n} fields of the wrong type responds one 400 naming all ${n}, in spec order`, async () => {
      const body = { type: 'GITHUB', pat: 'p', ...Object.fromEntries(wrong.filter(([f]) => f !== 'pat').slice(0, n)) };
      const res = await call(t, 'POST', '/integration', { body });
      expect(res.status).toBe(400);
      const sentences = errorOf(res).error.split('; ');
      const named = [...new Set(sentences.map((s) => s.split(' ')[0]))];
      expect(named).toEqual(wrong.filter(([f]) => f !== 'pat').slice(0, n).map(([f]) => f));
    });
  }

  it(`POST /integration with every settable field wrong names the first ${MAX_PROBLEMS} problems and counts the rest`, async () => {
    const res = await call(t, 'POST', '/integration', { body: { type: 'GITHUB', ...Object.fromEntries(wrong) } });
    expect(res.status).toBe(400);
    const sentences = errorOf(res).error.split('; ');
    expect(sentences).toHaveLength(MAX_PROBLEMS + 1);
    expect(sentences.at(-1)).toMatch(/^and \d+ more problems$/);
    expect(sentences[0]).toMatch(/^displayName /);
  });

  it('PUT /integration/0x1?bogus=1 with a wrong body field names the id, the query parameter and the field, in that order', async () => {
    const res = await call(t, 'PUT', '/integration/0x1?bogus=1', { body: { global: 'yes' } });
    expect(res.status).toBe(400);
    expect(errorOf(res).error).toBe("integrationId must be a decimal integer from 1 to 2147483647, got '0x1'; bogus is not a query parameter of this operation; global must be boolean");
  });

  it('PUT /repository/{id}/disable?disable=maybe&extra=1 names both query problems', async () => {
    const res = await call(t, 'PUT', '/repository/1/disable?disable=maybe&extra=1');
    expect(res.status).toBe(400);
    expect(errorOf(res).error).toBe('disable must be boolean; extra is not a query parameter of this operation');
  });

  it('POST /integration for GITHUB_SERVER without origin and with a wrong showAllTags advises the type rule and the other field', async () => {
    const res = await call(t, 'POST', '/integration', { body: { type: 'GITHUB_SERVER', pat: 'p', showAllTags: 1 } });
    expect(res.status).toBe(400);
    expect(errorOf(res).error).toBe('origin is required when type is GITHUB_SERVER; showAllTags must be boolean');
    expect(errorOf(res).advice).toMatch(/^GITHUB_SERVER needs origin .* Also correct the other fields named above/);
  });

  it('the same problem found twice is named once', async () => {
    const res = await call(t, 'POST', '/integration', { body: { type: 'GITHUB', pat: 'p', global: false, projectMappingIds: ['a', 'a'] } });
    expect(res.status).toBe(400);
    expect(errorOf(res).error).toBe('projectMappingIds[0] must be integer; projectMappingIds[1] must be integer');
  });
});
