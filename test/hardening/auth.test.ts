// Authorization header abuse: every malformed, unknown or oversized credential answers 401 with the
// envelope and a challenge (never 5xx, never access), on every operation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../helpers/contract.js';
import { hasSocket, startTarget, type Target } from '../helpers/target.js';
import { addOne, expectRejected, JSON_TYPE, listed, raw } from './support.js';

let t: Target;
beforeAll(async () => {
  t = await startTarget({ logLevel: 'silent' });
  await addOne(t);
});
afterAll(() => t.close());

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
// Header values travel as bytes; Node reads them as latin1, so UTF-8 is sent as its latin1 spelling.
const bytes = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

const rejected: Array<{ given: string; header: string }> = [
  { given: 'an empty header', header: '' },
  { given: 'Basic with no credentials', header: 'Basic ' },
  { given: 'Basic alone', header: 'Basic' },
  { given: 'Basic without a colon', header: `Basic ${b64('admin')}` },
  { given: 'Basic with an empty user name', header: `Basic ${b64(':admin')}` },
  { given: 'Basic with an empty password', header: `Basic ${b64('admin:')}` },
  { given: 'Basic that is not base64', header: 'Basic !!!not-base64!!!' },
  { given: 'Basic with base64 of binary noise', header: `Basic ${Buffer.from([0xff, 0xfe, 0x00, 0x3a, 0x80]).toString('base64')}` },
  { given: 'Basic with two credentials', header: `Basic ${b64('admin:admin')} ${b64('admin:admin')}` },
  { given: 'Basic with a token as password', header: `Basic ${b64('admin:admin-token')}` },
  { given: 'Basic with a non-ASCII password', header: `Basic ${b64('admin:ädmïn')}` },
  { given: 'Basic with non-ASCII bytes', header: bytes('Basic äöü') },
  { given: 'the Digest scheme', header: 'Digest username="admin", realm="x", nonce="y", response="z"' },
  { given: 'the Negotiate scheme', header: 'Negotiate YIIB' },
  { given: 'the token scheme (GitHub style)', header: 'token admin-token' },
  { given: 'a bare token without scheme', header: 'admin-token' },
  { given: 'a scheme with digits', header: 'B4sic abc' },
  { given: 'Bearer with no token', header: 'Bearer ' },
  { given: 'Bearer with spaces inside the token', header: 'Bearer admin -token' },
  { given: 'Bearer with a tab separator', header: 'Bearer\tadmin-token' },
  { given: 'Bearer with non-ASCII', header: bytes('Bearer tökén-😀') },
  { given: 'Bearer with a password as token', header: 'Bearer admin' },
  { given: 'Bearer with an 8 KB token', header: `Bearer ${'a'.repeat(8192)}` },
  { given: 'Basic with a 12 KB password', header: `Basic ${b64(`admin:${'x'.repeat(9000)}`)}` },
];

describe('malformed and unknown credentials', () => {
  for (const op of operations) {
    for (const c of rejected) {
      it(`${op.method} ${op.operationId} with ${c.given} responds 401 with a challenge`, async () => {
        const before = await listed(t);
        const path = `${op.path.replace(/\{(?:integrationId|repoId)\}/, '1')}${op.operationId === 'setIntegrationDisabled' ? '?disable=true' : ''}`;
        const res = await raw(t, { method: op.method, path, auth: c.header, headers: JSON_TYPE, body: op.method === 'GET' || op.method === 'DELETE' ? undefined : '{"type":"GITHUB","pat":"p"}' });
        expectRejected(op.operationId, res, 401);
        expect(String(res.headers['www-authenticate'])).toMatch(/^Basic realm="gij-mock", Bearer realm="gij-mock"$/);
        expect(await listed(t)).toEqual(before);
      });
    }
  }
});

describe('scheme names are case-insensitive (RFC 9110 §11.1)', () => {
  for (const header of [`basic ${b64('admin:admin')}`, `BASIC ${b64('admin:admin')}`, 'bearer admin-token', 'BEARER admin-token']) {
    it(`GET /integration with "${header.split(' ')[0]} …" responds 200`, async () => {
      expect((await raw(t, { method: 'GET', path: '/integration', auth: header })).status).toBe(200);
    });
  }
  it('GET /integration with lowercase basic for a non-administrator still responds 403', async () => {
    expectRejected('listIntegrations', await raw(t, { method: 'GET', path: '/integration', auth: `basic ${b64('user:user')}` }), 403);
  });
});

describe('very long headers', () => {
  it('a 15 KB unrelated header with valid credentials is served (under Node\'s 16 KiB limit)', async () => {
    expect((await raw(t, { method: 'GET', path: '/integration', headers: { 'x-padding': 'a'.repeat(15 * 1024) } })).status).toBe(200);
  });
  // Node's HTTP parser refuses a header section over --max-http-header-size (16 KiB) before any gij-mock
  // code runs: 431 with an empty body and a closed connection. Accepted: no request reaches the store.
  // The msw host has no socket and so no parser: there the long header reaches gij-mock (15 KB case above).
  for (const [given, headers, auth] of hasSocket() ? [
    ['a 20 KB Authorization header', {}, `Bearer ${'a'.repeat(20 * 1024)}`],
    ['a 17 KB unrelated header', { 'x-padding': 'a'.repeat(17 * 1024) }, undefined],
  ] as const : []) {
    it(`GET /integration with ${given} is refused by Node with 431 and changes nothing`, async () => {
      const before = await listed(t);
      const res = await raw(t, { method: 'GET', path: '/integration', headers, auth });
      expect(res.status).toBe(431);
      expect(await listed(t)).toEqual(before);
    });
  }
});
