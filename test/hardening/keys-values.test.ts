// Hostile keys and values inside otherwise valid bodies: prototype keys, numbers beyond int64, control
// characters, emoji, duplicate keys. Rejected ones leave the store unchanged; accepted ones round-trip.
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

const protoProbe = () => ({} as Record<string, unknown>);
const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort();
const namesBefore = prototypeNames();

const pollution = [
  { given: '__proto__ at the top', body: '{"type":"GITHUB","pat":"p","__proto__":{"polluted":"yes","global":false}}' },
  { given: 'constructor at the top', body: '{"type":"GITHUB","pat":"p","constructor":{"prototype":{"polluted":"yes"}}}' },
  { given: 'prototype at the top', body: '{"type":"GITHUB","pat":"p","prototype":{"polluted":"yes"}}' },
  { given: 'toString at the top', body: '{"type":"GITHUB","pat":"p","toString":"polluted"}' },
  { given: 'hasOwnProperty at the top', body: '{"type":"GITHUB","pat":"p","hasOwnProperty":1}' },
  { given: '__proto__ nested in a field', body: '{"type":"GITHUB","pat":"p","projectMappingIds":{"__proto__":{"polluted":"yes"}}}' },
  { given: 'constructor.prototype nested in a field', body: '{"type":"GITHUB","pat":"p","displayName":{"constructor":{"prototype":{"polluted":"yes"}}}}' },
  { given: '__proto__ inside an array item', body: '{"type":"GITHUB","pat":"p","projectMappingIds":[{"__proto__":{"polluted":"yes"}}]}' },
];

const numbers = [
  { given: 'an integer beyond int64', body: '{"type":"GITHUB","pat":"p","maxMinsToCommitEmail":99999999999999999999999}' },
  { given: 'a project id of 2^63', body: '{"type":"GITHUB","pat":"p","global":false,"projectMappingIds":[9223372036854775808]}' },
  { given: 'a project id of 2^53+1', body: '{"type":"GITHUB","pat":"p","global":false,"projectMappingIds":[9007199254740993]}' },
  { given: '1e308', body: '{"type":"GITHUB","pat":"p","folderDepth":1e308}' },
  { given: '1e400 (Infinity once parsed)', body: '{"type":"GITHUB","pat":"p","folderDepth":1e400}' },
  { given: '-1e308', body: '{"type":"GITHUB","pat":"p","maxMinsToCommitEmail":-1e308}' },
  { given: 'a fraction for an integer', body: '{"type":"GITHUB","pat":"p","folderDepth":1.5}' },
];

const ops = [
  { operationId: 'addIntegration', method: 'POST', path: () => '/integration', body: (b: string) => b },
  // The same keys on update: type is left out so only the hostile part decides.
  { operationId: 'updateIntegration', method: 'PUT', path: () => `/integration/${id}`, body: (b: string) => b.replace('"type":"GITHUB","pat":"p",', '') },
];

for (const op of ops) {
  describe(`${op.operationId} with prototype keys and huge numbers`, () => {
    for (const c of [...pollution, ...numbers]) {
      it(`${op.method} with ${c.given} responds 400, pollutes nothing and stores nothing`, async () => {
        const before = await listed(t);
        const res = await raw(t, { method: op.method, path: op.path(), body: op.body(c.body), headers: JSON_TYPE });
        expectRejected(op.operationId, res, 400);
        expect(protoProbe().polluted).toBeUndefined();
        expect(prototypeNames()).toEqual(namesBefore);
        expect(await listed(t)).toEqual(before);
      });
    }
  });
}

describe('strings with control characters and emoji (accepted and returned exactly)', () => {
  // Valid JSON strings: gij-mock keeps them as sent, as Jira stores any Java string.
  const names = [
    'nul \u0000 bell \u0007 esc \u001b del \u007f',
    'line\nbreaks\r\tand\u2028separators\u2029',
    'emoji 😀🚀 and ZWJ 👩‍💻, flags 🇳🇱',
    'lone surrogate \ud800 and \udfff',
    'bidi \u202e override',
  ];
  for (const displayName of names) {
    it(`POST and PUT with displayName ${JSON.stringify(displayName)} store and return it exactly`, async () => {
      const add = await call(t, 'POST', '/integration', { body: { type: 'GITHUB', pat: 'p', displayName } });
      expectContract('addIntegration', add, 200);
      const added = (add.body as { integration: { id: number; displayName: string } }).integration;
      expect(added.displayName).toBe(displayName);
      const update = await call(t, 'PUT', `/integration/${added.id}`, { body: { displayName: `${displayName}!` } });
      expectContract('updateIntegration', update, 200);
      const got = await call(t, 'GET', `/integration/${added.id}`);
      expectContract('getIntegration', got, 200);
      expect((got.body as { integration: Array<{ displayName: string }> }).integration[0]!.displayName).toBe(`${displayName}!`);
    });
  }
});

describe('duplicate keys (the last one wins, as JSON.parse does)', () => {
  it('POST with displayName twice stores the last value', async () => {
    const res = await raw(t, { method: 'POST', path: '/integration', body: '{"type":"GITHUB","pat":"p","displayName":"first","displayName":"last"}', headers: JSON_TYPE });
    expectContract('addIntegration', res, 200);
    expect((res.body as { integration: { displayName: string } }).integration.displayName).toBe('last');
  });
  it('POST with type twice is judged by the last type only', async () => {
    const ok = await raw(t, { method: 'POST', path: '/integration', body: '{"type":"FILESPACE","type":"GITHUB","pat":"p"}', headers: JSON_TYPE });
    expectContract('addIntegration', ok, 200);
    expect((ok.body as { integration: { integrationType: string } }).integration.integrationType).toBe('GITHUB');
    const before = await listed(t);
    const bad = await raw(t, { method: 'POST', path: '/integration', body: '{"type":"GITHUB","pat":"p","type":"GITLAB_SERVER"}', headers: JSON_TYPE });
    expectRejected('addIntegration', bad, 400);
    expect((bad.body as { error: string }).error).toMatch(/origin is required when type is GITLAB_SERVER/);
    expect(await listed(t)).toEqual(before);
  });
  it('PUT with type twice, the last one another type, responds 400 and changes nothing', async () => {
    const before = await listed(t);
    const res = await raw(t, { method: 'PUT', path: `/integration/${id}`, body: '{"type":"GITHUB","type":"GITLAB"}', headers: JSON_TYPE });
    expectRejected('updateIntegration', res, 400);
    expect(await listed(t)).toEqual(before);
  });
});

describe('state import (PUT /__mock/state) with prototype-named fields', () => {
  for (const key of ['toString', 'constructor', '__proto__']) {
    it(`an entry with ${key} responds 400 and imports nothing`, async () => {
      const session = { 'x-mock-session': `state-${key.replace(/_/g, '')}` };
      const before = await listed(t, session['x-mock-session']);
      const body = `{"integrations":[{"type":"GITHUB","pat":"p",${JSON.stringify(key)}:{"polluted":"yes"}}]}`;
      const res = await raw(t, { method: 'PUT', path: '/__mock/state', body, headers: { ...JSON_TYPE, ...session } });
      if (res.status === 404) return; // a server without mock controls
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body).toMatchObject({ success: false, error: expect.stringContaining(key) });
      expect(await listed(t, session['x-mock-session'])).toEqual(before);
      expect(protoProbe().polluted).toBeUndefined();
    });
  }
});
