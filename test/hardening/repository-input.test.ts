// Hostile input to the repository operations: wrong types, huge strings, unknown fields and prototype keys in
// the bodies of Add and Update Repository; bad ids in the disable path and the Delete query; repeated and odd
// query parameters; the `.json` suffix forms. Each answers a 400/404 in the envelope (never a 5xx) and leaves the
// store as it was: the full lists of integrations and repositories are compared before and after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectContract } from '../helpers/contract.js';
import { call } from '../helpers/http.js';
import { startTarget, type Target } from '../helpers/target.js';
import { addOne, expectRejected, JSON_TYPE, listed, raw } from './support.js';

let t: Target;
let repoId: number;
let integrationId: number;
// A fixed clock: nothing is indexed between two reads, so any difference is a change a refusal made.
beforeAll(async () => {
  t = await startTarget({ logLevel: 'silent', clock: 1_700_000_000_000 });
  integrationId = await addOne(t, 'discovers three');
  const res = await call(t, 'POST', '/repository', { body: { origin: 'https://github.com/TestOrg/standalone.git', pat: 'p' } });
  expectContract('addRepository', res, 200);
  repoId = (res.body as { id: number }).id;
});
afterAll(() => t.close());

/** Everything a client can read of the store: integrations, and every repository (disabled ones included). */
async function everything(): Promise<unknown> {
  const repositories = await call(t, 'GET', '/repository');
  expectContract('listRepositories', repositories, 200);
  return { integrations: await listed(t), repositories: (repositories.body as { repositories: unknown[] }).repositories };
}
const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort();
const namesBefore = prototypeNames();

/** Sends the request, expects a documented 4xx envelope, and that nothing changed or leaked into Object.prototype. */
async function refused(operationId: string | undefined, request: { method: string; path: string; body?: string }, statuses: number[] = [400]): Promise<void> {
  const before = await everything();
  const res = await raw(t, { ...request, headers: JSON_TYPE });
  if (operationId) expectRejected(operationId, res, statuses);
  else {
    expect(statuses).toContain(res.status);
    expect(res.body).toMatchObject({ success: false, error: expect.any(String), advice: expect.any(String) });
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(prototypeNames()).toEqual(namesBefore);
  expect(await everything()).toEqual(before);
}

const long = (n: number) => 'x'.repeat(n);
const badFields: Array<{ given: string; fields: string }> = [
  { given: 'origin as a number', fields: '"origin":1' },
  { given: 'an empty origin', fields: '"origin":""' },
  { given: 'displayName as true', fields: '"displayName":true' },
  { given: 'global as the string "true"', fields: '"global":"true"' },
  { given: 'projectMappingIds as a string', fields: '"projectMappingIds":"10000"' },
  { given: 'a project id of 1.5', fields: '"global":false,"projectMappingIds":[1.5]' },
  { given: 'a project id written 1e4', fields: '"global":false,"projectMappingIds":[1e4]' },
  { given: 'a project id of 2^63', fields: '"global":false,"projectMappingIds":[9223372036854775808]' },
  { given: 'maxMinsToCommitEmail of -1', fields: '"maxMinsToCommitEmail":-1' },
  { given: 'maxMinsToCommitEmail of 2^31', fields: '"maxMinsToCommitEmail":2147483648' },
  { given: 'maxMinsToCommitEmail of 1e400', fields: '"maxMinsToCommitEmail":1e400' },
  { given: 'an empty mainBranch', fields: '"mainBranch":""' },
  { given: 'realRoot without absoluteRoot', fields: '"realRoot":"elsewhere"' },
  // One past the spec's bound for a repository origin (2700: the longest address discovery derives).
  { given: 'an origin of 2701 characters', fields: `"origin":"https://h/${long(2691)}"` },
  { given: 'a displayName of 2001 characters', fields: `"displayName":"${long(2001)}"` },
  { given: 'a pat of 1025 characters', fields: `"pat":"${long(1025)}"` },
  { given: 'a webLinkType of 101 characters', fields: `"webLinkType":"${long(101)}"` },
  { given: '10,001 project ids', fields: `"global":false,"projectMappingIds":[${Array.from({ length: 10_001 }, (_, i) => i + 1).join(',')}]` },
  { given: 'an unknown field (an integration\'s awsRegion)', fields: '"awsRegion":"us-east-1"' },
  { given: 'a misspelt field', fields: '"mainbranch":"develop"' },
  { given: 'a 20,000-character field name', fields: `"${long(20_000)}":1` },
  { given: '__proto__', fields: '"__proto__":{"polluted":"yes","global":false}' },
  { given: 'constructor.prototype', fields: '"constructor":{"prototype":{"polluted":"yes"}}' },
  { given: 'prototype', fields: '"prototype":{"polluted":"yes"}' },
  { given: '__proto__ inside projectMappingIds', fields: '"projectMappingIds":[{"__proto__":{"polluted":"yes"}}]' },
  { given: '__proto__ nested in a string field', fields: '"displayName":{"__proto__":{"polluted":"yes"}}' },
];

describe('addRepository bodies', () => {
  for (const c of badFields) {
    it(`POST /repository with ${c.given} responds 400 and adds nothing`, async () => {
      const origin = c.fields.includes('"origin"') ? '' : '"origin":"https://github.com/TestOrg/refused.git",';
      await refused('addRepository', { method: 'POST', path: '/repository', body: `{${origin}${c.fields}}` });
    });
  }
  for (const [given, body] of [['an array', '[]'], ['a string', '"x"'], ['null', 'null'], ['a number', '1'], ['an id', '{"origin":"https://h/x.git","id":5}']]) {
    it(`POST /repository with ${given} as the body responds 400 and adds nothing`, async () => {
      await refused('addRepository', { method: 'POST', path: '/repository', body });
    });
  }
});

describe('updateRepository bodies', () => {
  for (const c of badFields) {
    it(`PUT /repository with ${c.given} responds 400 and changes nothing`, async () => {
      await refused('updateRepository', { method: 'PUT', path: '/repository', body: `{"id":${repoId},${c.fields}}` });
    });
  }
  const ids: Array<[string, string, number[]]> = [
    ['no id', '{"displayName":"x"}', [400]], ['id as a string', '{"id":"1"}', [400]], ['id 0', '{"id":0}', [400]], ['id -1', '{"id":-1}', [400]],
    ['id 2^31', '{"id":2147483648}', [400]], ['id 2^53', '{"id":9007199254740992}', [400]], ['id 1.5', '{"id":1.5}', [400]],
    ['id written 1e3', '{"id":1e3}', [400]], ['id written 2.0', '{"id":2.0}', [400]], ['id null', '{"id":null}', [400]], ['id as an array', '{"id":[2]}', [400]],
    ['an unknown id', '{"id":999999,"displayName":"x"}', [404]],
  ];
  for (const [given, body, statuses] of ids) {
    it(`PUT /repository with ${given} responds ${statuses.join(' or ')} and changes nothing`, async () => {
      await refused('updateRepository', { method: 'PUT', path: '/repository', body }, statuses);
    });
  }
  it('PUT /repository with an integration\'s id responds 404 and changes nothing', async () => {
    await refused('updateRepository', { method: 'PUT', path: '/repository', body: `{"id":${integrationId},"displayName":"x"}` }, [404]);
  });
});

describe('ids and values in the query and the path', () => {
  const removeQueries = [
    'id=abc', 'id=1e3', 'id=-1', 'id=0', 'id=2147483648', 'id=9007199254740992', 'id=1.5', 'id=0x1', 'id=%2B1', 'id=01', 'id=', 'id=%00',
    'id=%20', 'deleteFiles=true', '', 'id=REPO&id=REPO', 'id[]=REPO', 'id[a]=REPO', 'id=REPO&deleteFiles=maybe', 'id=REPO&deleteFiles=true&deleteFiles=false',
    'id=REPO&deleteFiles=', 'id=REPO&force=true', 'id=REPO&__proto__[polluted]=1', `id=REPO&x=${long(8000)}`,
  ];
  for (const query of removeQueries) {
    it(`DELETE /repository?${query.slice(0, 60)} responds 400 or 404 and removes nothing`, async () => {
      await refused('removeRepository', { method: 'DELETE', path: `/repository?${query.replaceAll('REPO', String(repoId))}` }, [400, 404]);
    });
  }
  const listQueries = [
    'projectKey=', 'projectKey=TEST&projectKey=TEST', `projectKey=${long(256)}`, 'projectKey[]=TEST', 'all=maybe', 'all=1', 'all=true&all=false',
    'all=true&projectKey=TEST', 'projectKey=NOPE', 'projectKey=%00', 'projectKey=test', 'expand=all', '__proto__[polluted]=1',
  ];
  for (const query of listQueries) {
    it(`GET /repository?${query.slice(0, 60)} responds 400 or 404 with the envelope`, async () => {
      await refused('listRepositories', { method: 'GET', path: `/repository?${query}` }, [400, 404]);
    });
  }
  const pathIds = ['abc', '-1', '0', '1e3', '2147483648', '9007199254740992', '1.5', '0x1', '+1', '01', '%00', ' 1'.replace(' ', '%20')];
  for (const id of pathIds) {
    it(`PUT /repository/${id}/disable?disable=true responds 400 or 404 and changes nothing`, async () => {
      await refused('setIntegrationDisabled', { method: 'PUT', path: `/repository/${id}/disable?disable=true` }, [400, 404]);
    });
  }
  for (const query of ['disable=maybe', 'disable=true&disable=false', 'disable=', 'disable=1', '']) {
    it(`PUT /repository/{repository}/disable?${query} responds 400 and changes nothing`, async () => {
      await refused('setIntegrationDisabled', { method: 'PUT', path: `/repository/${repoId}/disable?${query}` });
    });
  }
});

describe('the .json suffix forms', () => {
  it('GET /repository.json answers what GET /repository does', async () => {
    const plain = await call(t, 'GET', '/repository');
    const suffixed = await call(t, 'GET', '/repository.json');
    expectContract('listRepositories', suffixed, 200);
    expect(suffixed.body).toEqual(plain.body);
  });
  it('GET /integration/{id}.json and PUT /repository/{id}/disable.json answer as their plain forms (every host)', async () => {
    const plain = await call(t, 'GET', `/integration/${integrationId}`);
    const suffixed = await call(t, 'GET', `/integration/${integrationId}.json`);
    expectContract('getIntegration', suffixed, 200);
    expect(suffixed.body).toEqual(plain.body);
    expectContract('setIntegrationDisabled', await call(t, 'PUT', `/repository/${repoId}/disable.json?disable=false`), 200);
  });
  const cases: Array<{ operationId?: string; method: string; path: () => string; body?: () => string; statuses: number[] }> = [
    { operationId: 'addRepository', method: 'POST', path: () => '/repository.json', body: () => '{"origin":1}', statuses: [400] },
    { operationId: 'addRepository', method: 'POST', path: () => '/repository.json', body: () => '{"origin":"https://h/x.git","__proto__":{"polluted":1}}', statuses: [400] },
    { operationId: 'updateRepository', method: 'PUT', path: () => '/repository.json', body: () => '{"id":999999}', statuses: [404] },
    { operationId: 'updateRepository', method: 'PUT', path: () => '/repository.json', body: () => `{"id":${integrationId},"displayName":"x"}`, statuses: [404] },
    { operationId: 'removeRepository', method: 'DELETE', path: () => '/repository.json?id=abc', statuses: [400] },
    { operationId: 'removeRepository', method: 'DELETE', path: () => `/repository.json?id=${repoId ?? 'REPO'}&id=${repoId ?? 'REPO'}`, statuses: [400] },
    { operationId: 'listRepositories', method: 'GET', path: () => '/repository.json?projectKey=NOPE', statuses: [404] },
    { operationId: 'setIntegrationDisabled', method: 'PUT', path: () => `/repository/${repoId}/disable.json?disable=maybe`, statuses: [400] },
    { operationId: 'setIntegrationDisabled', method: 'PUT', path: () => '/repository/abc/disable.json?disable=true', statuses: [400] },
    // Not served: another suffix, the suffix twice, or in another case (Mock rule: one `.json` is stripped).
    { method: 'GET', path: () => '/repository.xml', statuses: [404] },
    { method: 'GET', path: () => '/repository.json.json', statuses: [404] },
    { method: 'DELETE', path: () => `/repository.JSON?id=${repoId}`, statuses: [404] },
    { method: 'PUT', path: () => `/repository/${repoId}.json/disable?disable=true`, statuses: [400, 404] },
  ];
  for (const c of cases) {
    it(`${c.method} ${c.path().replaceAll(String(repoId), 'REPO')} ${c.body ? `with ${c.body().slice(0, 40)} ` : ''}responds ${c.statuses.join(' or ')} and changes nothing`, async () => {
      await refused(c.operationId, { method: c.method, path: c.path(), body: c.body?.() }, c.statuses);
    });
  }
});
