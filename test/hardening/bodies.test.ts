// Hostile request bodies on add and update: every one answers the documented 4xx envelope of the
// operation, the server stays up, and the store is exactly as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectContract } from '../helpers/contract.js';
import { call } from '../helpers/http.js';
import { startTarget, type Target } from '../helpers/target.js';
import { addOne, expectRejected, JSON_TYPE, listed, raw } from './support.js';

let t: Target;
let id: number;
beforeAll(async () => {
  t = await startTarget({ logLevel: 'silent' });
  id = await addOne(t, 'the one to update');
});
afterAll(() => t.close());

const deep = (n: number, open: string, leaf: string, close: string) => `${open.repeat(n)}${leaf}${close.repeat(n)}`;
const valid = JSON.stringify({ type: 'GITHUB', pat: 'p', displayName: 'should not be stored' });

interface Case { given: string; body?: string; headers?: Record<string, string>; chunked?: boolean; want: number[] }
const cases: Case[] = [
  { given: 'malformed JSON', body: '{"type": GITHUB}', want: [400] },
  { given: 'truncated JSON', body: valid.slice(0, 20), want: [400] },
  { given: 'a trailing comma', body: '{"type":"GITHUB","pat":"p",}', want: [400] },
  { given: 'an empty body', body: '', want: [400] },
  { given: 'a body of spaces', body: '   \n ', want: [400] },
  { given: 'null as the body', body: 'null', want: [400] },
  { given: 'an array as the body', body: `[${valid}]`, want: [400] },
  { given: 'a string as the body', body: '"GITHUB"', want: [400] },
  { given: 'a number as the body', body: '42', want: [400] },
  { given: 'true as the body', body: 'true', want: [400] },
  { given: 'a 2 MB body', body: JSON.stringify({ type: 'GITHUB', pat: 'p', displayName: 'x'.repeat(2_000_000) }), want: [413] },
  { given: 'a 2 MB chunked body', body: JSON.stringify({ type: 'GITHUB', pat: 'p', displayName: 'x'.repeat(2_000_000) }), chunked: true, want: [413] },
  { given: '100,000 nested arrays', body: deep(100_000, '[', '', ']'), want: [400] },
  { given: '100,000 nested objects', body: deep(100_000, '{"a":', '1', '}'), want: [400] },
  { given: '2,500 nested arrays inside a field', body: `{"type":"GITHUB","pat":"p","projectMappingIds":${deep(2500, '[', '', ']')}}`, want: [400] },
  { given: '2,500 nested objects inside a field', body: `{"type":"GITHUB","pat":"p","displayName":${deep(2500, '{"a":', '1', '}')}}`, want: [400] },
  { given: 'Content-Type text/plain', body: valid, headers: { 'content-type': 'text/plain' }, want: [415] },
  { given: 'no Content-Type', body: valid, headers: {}, want: [400, 415] },
  { given: 'Content-Type application/x-www-form-urlencoded', body: 'type=GITHUB&pat=p', headers: { 'content-type': 'application/x-www-form-urlencoded' }, want: [415] },
  { given: 'Content-Type multipart/form-data', body: '--b\r\n\r\n--b--', headers: { 'content-type': 'multipart/form-data; boundary=b' }, want: [415] },
  { given: 'Content-Type application/xml', body: '<type>GITHUB</type>', headers: { 'content-type': 'application/xml' }, want: [415] },
  { given: 'a malformed Content-Type', body: valid, headers: { 'content-type': ';;;' }, want: [400, 415] },
  { given: 'charset latin1', body: valid, headers: { 'content-type': 'application/json; charset=latin1' }, want: [415] },
  { given: 'Content-Encoding gzip on a plain body', body: valid, headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, want: [400] },
  { given: 'Content-Encoding br on a plain body', body: valid, headers: { ...JSON_TYPE, 'content-encoding': 'br' }, want: [400] },
  { given: 'an unknown Content-Encoding', body: valid, headers: { ...JSON_TYPE, 'content-encoding': 'x-lzma' }, want: [415] },
  { given: 'no body and no Content-Type', want: [400, 415] },
];

const targets = [
  { operationId: 'addIntegration', method: 'POST', path: () => '/integration' },
  { operationId: 'updateIntegration', method: 'PUT', path: () => `/integration/${id}` },
];

for (const op of targets) {
  describe(`${op.method} ${op.operationId} with a hostile body`, () => {
    for (const c of cases) {
      it(`${op.method} with ${c.given} responds ${c.want.join(' or ')} with the envelope and changes nothing`, async () => {
        const before = await listed(t);
        const res = await raw(t, { method: op.method, path: op.path(), body: c.body, chunked: c.chunked, headers: c.headers ?? JSON_TYPE });
        expectRejected(op.operationId, res, c.want);
        expect(await listed(t)).toEqual(before);
      });
    }
  });
}

describe('error texts', () => {
  it('POST with an empty body says the body is empty', async () => {
    const res = await raw(t, { method: 'POST', path: '/integration', body: '', headers: JSON_TYPE });
    expect((res.body as { error: string }).error).toMatch(/body is empty/);
  });
  it('POST with 100,000 nested objects names the nesting limit', async () => {
    const res = await raw(t, { method: 'POST', path: '/integration', body: deep(100_000, '{"a":', '1', '}'), headers: JSON_TYPE });
    expect((res.body as { error: string }).error).toMatch(/nests deeper than \d+ levels/);
  });
  it('POST with a bad gzip body says it cannot be decoded', async () => {
    const res = await raw(t, { method: 'POST', path: '/integration', body: valid, headers: { ...JSON_TYPE, 'content-encoding': 'gzip' } });
    expect((res.body as { error: string }).error).toMatch(/cannot be decoded as Content-Encoding gzip/);
  });
  it('the server still answers after every hostile body', async () => {
    expect((await listed(t)).length).toBeGreaterThanOrEqual(1);
  });
});

describe('the journal keeps no large body', () => {
  it('POST with a 100 KB body sent chunked (no Content-Length) is journaled as a note, not the body', async () => {
    const body = JSON.stringify({ type: 'GITHUB', pat: 'p', displayName: 'x'.repeat(100_000) });
    expectRejected('addIntegration', await raw(t, { method: 'POST', path: '/integration', body, chunked: true, headers: { ...JSON_TYPE, 'x-mock-session': 'chunked' } }), 400);
    const journal = await call(t, 'GET', '/__mock/requests?session=chunked');
    if (journal.status === 404) return; // a server without the journal keeps nothing
    const [entry] = (journal.body as { requests: Array<{ body: unknown }> }).requests.slice(-1);
    expect(JSON.stringify(entry!.body).length).toBeLessThan(16 * 1024);
  });
});

describe('a body sent to an operation that takes none is ignored', () => {
  // list, get, remove and enable/disable document no 413 or 415: their body is not read, as in Jira.
  const big = JSON.stringify({ x: 'x'.repeat(2_000_000) });
  const cases = [
    { operationId: 'listIntegrations', method: 'GET', path: () => '/integration', want: 200 },
    { operationId: 'getIntegration', method: 'GET', path: () => `/integration/${id}`, want: 200 },
    { operationId: 'setIntegrationDisabled', method: 'PUT', path: () => `/repository/${id}/disable?disable=false`, want: 200 },
    { operationId: 'removeIntegration', method: 'DELETE', path: () => '/integration/2147483647', want: 404 },
    { operationId: 'setIntegrationDisabled', method: 'GET', path: () => `/repository/${id}/disable`, want: 405 },
  ];
  for (const c of cases) {
    for (const [given, body, headers] of [['a 2 MB body', big, JSON_TYPE], ['charset latin1', '{}', { 'content-type': 'application/json; charset=latin1' }], ['malformed JSON', '{', JSON_TYPE]] as const) {
      it(`${c.method} ${c.operationId} with ${given} responds ${c.want}`, async () => {
        const res = await raw(t, { method: c.method, path: c.path(), body, headers });
        expectContract(c.operationId, res, c.want);
      });
    }
  }
});
