// fast-check drives ≥ 10,000 arbitrary requests over every operation (integrations, repositories, reindex) —
// valid and broken bodies, ids, query strings, credentials and content types — and every answer must be a documented, spec-valid
// response (never 5xx). FUZZ_SEED=<n> replays a run; FUZZ_RUNS=<n> changes its length.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { matchRoute } from '../../src/operations.js';
import { expectContract, expectHeadLikeGet, expectOptionsAnswer, expectOptionsError, operations, spec } from '../helpers/contract.js';
import { addExamples } from '../helpers/fixture.js';
import { call } from '../helpers/http.js';
import { API, startTarget, type Target } from '../helpers/target.js';
import { raw } from '../hardening/support.js';

const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
console.log(`fuzz: seed ${seed}, ${RUNS} requests (replay with FUZZ_SEED=${seed})`);

let t: Target;
beforeAll(async () => { t = await startTarget({ logLevel: 'warn' }); });
afterAll(() => t.close());

const b64 = (s: string) => Buffer.from(s).toString('base64');
// Field names and example bodies of every request schema: the integration and the repository families.
const fields = [...new Set(['IntegrationSettings', 'RepositorySettings', 'RepositoryUpdateRequest', 'ReindexRequest']
  .flatMap((name) => Object.keys((spec.components.schemas[name]?.properties ?? {}) as object)))];
/** Stands for an id the session holds (or 1), in a body's `id`/`repoId` or a query; replaced just before sending. */
const KNOWN = '__KNOWN_ID__';
const examplesOf = (prefix: RegExp) => Object.entries((spec.components as { examples?: Record<string, { value: unknown }> }).examples ?? {})
  .filter(([name]) => prefix.test(name)).map(([, e]) => e.value as Record<string, unknown>);
const repositoryExamples = [...examplesOf(/^Repository(Add|Update)\w*Request$/), ...examplesOf(/^Reindex\w*Request$/)]
  .map((b) => ('id' in b ? { ...b, id: KNOWN } : 'repoId' in b && typeof b.repoId === 'number' ? { ...b, repoId: KNOWN } : b));
const SESSIONS = ['', 'fuzz-a', 'fuzz-b'];
const known = new Map<string, number[]>(SESSIONS.map((s) => [s, []]));
/** The standalone repositories of each session: the ids Update and Delete Repository name (an integration's answers 404). */
const knownRepositories = new Map<string, number[]>(SESSIONS.map((s) => [s, []]));

const scalar = fc.oneof(fc.boolean(), fc.integer(), fc.double(), fc.string({ maxLength: 40 }), fc.constant(null),
  fc.constantFrom('', 'https://x.example', '/jira/repos/*', 'all', 'us-east-1', 'GITHUB', 'AWS', 2147483648, 1e308, -1));
const key = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...fields, 'type', 'integrationType', 'id') },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'awsregion', 'Pat') },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) });
const value = fc.oneof({ weight: 5, arbitrary: scalar }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
const example = fc.constantFrom(...addExamples.map((e) => e.body), ...repositoryExamples);
// Large bodies are generated as short tokens and built just before sending, so a counterexample stays readable.
const deep = fc.tuple(fc.integer({ min: 2, max: 5000 }), fc.constantFrom('array', 'object')).map(([n, kind]) => `<<${n} nested ${kind}s>>`);
function expand(body: string | undefined): string | undefined {
  const m = /^<<(\d+) nested (array|object)s>>$/.exec(body ?? '');
  if (m) return m[2] === 'array' ? `${'['.repeat(Number(m[1]))}${']'.repeat(Number(m[1]))}` : `${'{"a":'.repeat(Number(m[1]))}1${'}'.repeat(Number(m[1]))}`;
  if (body === '<<1.1 MB body>>') return JSON.stringify({ type: 'GITHUB', pat: 'p', displayName: 'x'.repeat(1_100_000) });
  return body;
}

/** Bodies for one operation: its own spec examples most often, any other example, and broken ones. */
const bodyFor = (own: ReadonlyArray<Record<string, unknown>>) => fc.oneof(
  { weight: 6, arbitrary: (own.length ? fc.constantFrom(...own) : example).map((b) => JSON.stringify(b)) },
  { weight: 2, arbitrary: example.map((b) => JSON.stringify(b)) },
  { weight: 6, arbitrary: fc.tuple(example, fc.dictionary(key, value, { maxKeys: 3 })).map(([b, extra]) => JSON.stringify({ ...b, ...extra })) },
  { weight: 6, arbitrary: fc.dictionary(key, value, { maxKeys: 4 }).map((o) => JSON.stringify(o)) },
  { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: fc.tuple(example, fc.nat()).map(([b, n]) => { const s = JSON.stringify(b); return s.slice(0, n % s.length); }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: fc.constant('<<1.1 MB body>>') },
  { weight: 4, arbitrary: fc.constant(undefined) },
);
const id = fc.oneof(
  { weight: 8, arbitrary: fc.constant('known') },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: 5000 }).map(String) },
  { weight: 2, arbitrary: fc.constantFrom('0', '2147483647', '2147483648', '99999999999999999999', 'abc', '0x1', '1e3', '+1', '1.5', 'Infinity', '..', '%2e%2e', '%2F', '%00', '%E0%A4%A', '') },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }).map(encodeURIComponent) },
);
// The queries an operation answers 2xx to (most requests), else odd and wrong ones; a query is always sent where one is required.
const GOOD_QUERIES: Record<string, string[]> = {
  setIntegrationDisabled: ['disable=true', 'disable=false'],
  removeRepository: [`id=${KNOWN}`, `id=${KNOWN}&deleteFiles=true`, `id=${KNOWN}&deleteFiles=false`],
  removeIntegration: ['deleteFiles=true', 'deleteFiles=false'],
  listRepositories: ['projectKey=TEST', 'all=true', 'all=false', 'projectKey=NOPE'],
  getReindexStatus: [`repoId=${KNOWN}`, 'threadId=00000000-0000-4000-8000-000000000001'],
};
const query = fc.oneof(
  { weight: 6, arbitrary: fc.constant('good') },
  { weight: 2, arbitrary: fc.constantFrom('', 'disable=maybe', 'disable=', 'disable=true&disable=false', 'disable=TRUE', 'deleteFiles=true', 'deleteFiles=false', 'deleteFiles=yes', 'x=1', '__proto__[x]=1', 'disable=true&bogus=1',
    'id=abc', 'id=1e3', 'id=-1', 'id=9007199254740992', `id=${KNOWN}&id=${KNOWN}`, 'id=', 'projectKey=', 'all=true&projectKey=TEST', 'all=maybe', 'repoId=0', 'threadId=') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((s) => `disable=${encodeURIComponent(s)}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('id', 'projectKey', 'all', 'repoId', 'threadId', 'deleteFiles'), fc.string({ maxLength: 20 })).map(([k, v]) => `${k}=${encodeURIComponent(v)}`) },
);
const auth = fc.oneof(
  { weight: 12, arbitrary: fc.constant(`Basic ${b64('admin:admin')}`) },
  { weight: 3, arbitrary: fc.constant('Bearer admin-token') },
  { weight: 1, arbitrary: fc.constantFrom(`Basic ${b64('user:user')}`, 'Bearer user-token', null, '', 'Basic', `Basic ${b64('admin')}`, 'Bearer a b', 'Digest x', `basic ${b64('admin:admin')}`) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'Basic Bearer :=+/abc123'.split('')), maxLength: 30 }) },
);
const contentType = fc.oneof(
  { weight: 10, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom(undefined, 'text/plain', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/x-www-form-urlencoded', 'application/vnd.x+json', 'application/xml', ';;') },
);
/** The example bodies the spec gives an operation's request (ids replaced by KNOWN). */
function ownExamples(op: (typeof operations)[number]): Array<Record<string, unknown>> {
  const refs = ((spec.paths[op.path]![op.method.toLowerCase()] as { requestBody?: { content?: Record<string, { examples?: Record<string, { $ref?: string }> }> } })
    .requestBody?.content?.['application/json']?.examples) ?? {};
  return Object.values(refs).flatMap((e) => examplesOf(new RegExp(`^${e.$ref?.split('/').pop()}$`)))
    .map((b) => ('id' in b ? { ...b, id: KNOWN } : 'repoId' in b && typeof b.repoId === 'number' ? { ...b, repoId: KNOWN } : b));
}
const request = fc.constantFrom(...operations).chain((o) => fc.record({
  op: fc.constant({ operationId: o.operationId, method: o.method, path: o.path }),
  otherMethod: fc.option(fc.constantFrom('PATCH', 'GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'HEAD'), { freq: 12 }),
  // Now and then a Host the mock does not answer to (DNS rebinding): 421 before anything else.
  host: fc.oneof(
    { weight: 30, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('evil.example', 'evil.example:2990', 'localhost.evil.example', '127.0.0.1.nip.io:80') },
  ),
  id, pick: fc.nat(), query, body: bodyFor(ownExamples(o)), auth, contentType,
  session: fc.constantFrom(...SESSIONS),
  chunked: fc.boolean(),
}));

let sent = 0;
it(`${RUNS} arbitrary requests: no 5xx, every answer documented and valid per the spec`, async () => {
  await fc.assert(fc.asyncProperty(request, async (r) => {
    // Every 250 requests all sessions start empty again, so lists (validated item by item) stay small.
    if (++sent % 250 === 0) {
      expect((await call(t, 'POST', '/__mock/reset?all=true', { headers: { 'x-mock-session': 'default' } })).status).toBe(200);
      for (const list of [...known.values(), ...knownRepositories.values()]) list.length = 0;
    }
    const ids = known.get(r.session)!;
    const idText = r.id === 'known' ? String(ids.length ? ids[r.pick % ids.length] : 1) : r.id;
    const repositories = knownRepositories.get(r.session)!;
    const repositoryOp = ['updateRepository', 'removeRepository'].includes(r.op.operationId) && r.id === 'known' && repositories.length > 0;
    const knownText = repositoryOp ? String(repositories[r.pick % repositories.length]) : idText;
    const method = r.otherMethod ?? r.op.method;
    const good = GOOD_QUERIES[r.op.operationId] ?? [''];
    const queryText = (r.query === 'good' ? good[r.pick % good.length]! : r.query).replaceAll(KNOWN, knownText);
    const path = `${r.op.path.replace(/\{(?:integrationId|repoId)\}/, idText)}${r.op.operationId in GOOD_QUERIES || r.pick % 7 === 0 ? `?${queryText}` : ''}`;
    const headers: Record<string, string> = {};
    if (r.contentType !== undefined) headers['content-type'] = r.contentType;
    if (r.session) headers['x-mock-session'] = r.session;
    if (r.host) headers.host = r.host;
    const sentBody = expand(r.body)?.replaceAll(`"${KNOWN}"`, /^\d+$/.test(knownText) ? knownText : JSON.stringify(knownText));
    const res = await raw(t, { method, path, headers, body: sentBody, chunked: r.chunked, auth: r.auth });
    const what = `${method} ${path} auth=${r.auth} ct=${r.contentType} body=${String(r.body).slice(0, 300)}`;
    expect(res.status, `${what}\n→ ${JSON.stringify(res.body)}`).toBeLessThan(500);
    const match = matchRoute(operations, method, path.split('?')[0]!);
    // A wrong method answers 405, which every operation of the path documents: credit the one generated.
    const onPath = operations.filter((o) => o.pattern.test(path.split('?')[0]!));
    const op = match.operation ?? onPath.find((o) => o.operationId === r.op.operationId) ?? onPath[0];
    if (method === 'HEAD') {
      // HEAD answers as the same request's GET would, without the body (the spec's "Browsers" section).
      const get = await raw(t, { method: 'GET', path, headers, body: sentBody, chunked: r.chunked, auth: r.auth });
      if (match.operation) {
        expectContract(match.operation.operationId, get);
        expectHeadLikeGet(match.operation.operationId, get, res);
      } else {
        expect(res.status, what).toBe(get.status);
        expect(res.body, what).toBeUndefined();
      }
      return;
    }
    if (r.host) expect(res.status, what).toBe(421);
    // OPTIONS on a spec path answers 204 with Allow (the spec's "Browsers" section), whatever else was sent.
    if (op && method === 'OPTIONS') {
      if (r.host) expectOptionsError(op.path, res, 421);
      else expectOptionsAnswer(op.path, res);
    } else if (op) expectContract(op.operationId, res);
    else expect(res.body, what).toMatchObject({ success: false, error: expect.any(String), advice: expect.any(String) });
    if (op?.operationId === 'addIntegration' && res.status === 200) ids.push((res.body as { integration: { id: number } }).integration.id);
    if (op?.operationId === 'addRepository' && res.status === 200) {
      ids.push((res.body as { id: number }).id);
      repositories.push((res.body as { id: number }).id);
    }
  }), { seed, numRuns: RUNS, endOnFailure: true });
  expect(sent).toBeGreaterThanOrEqual(RUNS);
  const bugs = t.logLines.filter((l) => l.includes('"level":50'));
  expect(bugs, bugs.slice(0, 3).join('\n')).toEqual([]);
  console.log(`fuzz: ${sent} requests sent with seed ${seed}, API prefix ${API}`);
});
