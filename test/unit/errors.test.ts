// The error catalogue kept equal to the spec in both directions, and every body shaped like ErrorResponse.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError, catalogue, MAX_ERROR_TEXT, type ErrorCode } from '../../src/errors.js';
import { operationsOf } from '../../src/operations.js';
import { loadSpec, projectRoot, SpecSchemas } from '../../src/spec.js';

const spec = loadSpec();
const operations = operationsOf(spec);
const errorBody = new SpecSchemas(spec, 'response').validator('/components/schemas/ErrorResponse');

type Params<C extends ErrorCode> = Parameters<(typeof catalogue)[C]['error']>[0];
// One sample per code; adding a code to the catalogue without a sample here does not compile.
const SAMPLES: { [C in ErrorCode]: Params<C> } = {
  invalidRequest: { problems: 'origin is required when type is GITHUB_SERVER' },
  malformedJson: { detail: 'Unexpected end of JSON input' },
  typeChange: { from: 'GITHUB', to: 'GITLAB' },
  unauthenticated: { reason: 'No Authorization header was sent.' },
  notAdministrator: { user: 'user' },
  reindexForbidden: { user: 'user', action: 'reindex repository 2' },
  integrationNotFound: { id: 5 },
  routeNotFound: { method: 'GET', path: '/nowhere' },
  methodNotAllowed: { method: 'PATCH', path: '/rest/gitplugin/1.0/integration', allowed: 'GET, POST, HEAD, OPTIONS' },
  payloadTooLarge: { limit: 1048576 },
  unsupportedMediaType: { contentType: 'text/plain' },
  misdirectedRequest: { host: 'evil.example:2990' },
  crossSiteRefused: { method: 'POST', path: '/__mock/reset', reason: 'Origin https://evil.example is not an allowed origin (--cors-origins)' },
  storageFailed: { reason: 'ENOSPC' },
  sessionLimit: { max: 1000 },
  stateBytesLimit: { max: 268435456, held: 268000000, growth: 600000 },
  integrationLimit: { max: 10000 },
  idSpaceExhausted: { max: 2147483647 },
  reindexLimit: { limit: 'threads', max: 1000 },
  threadNotFound: { threadId: '00000000-0000-4000-8000-000000000001' },
  projectNotFound: { key: 'NOPE' },
  internal: { requestId: '1b4e28ba-2fa1-11d2-883f-0016d3cca427' },
};
const codes = Object.keys(catalogue) as ErrorCode[];
const render = <C extends ErrorCode>(code: C): ApiError => ApiError.of(code, SAMPLES[code]);

const documentedErrorStatuses = new Set(operations.flatMap((o) => o.statuses).filter((s) => /^[45]\d\d$/.test(s)).map(Number));

describe('error catalogue ⇄ spec', () => {
  it('the spec documents some 4xx statuses (sanity check of the derivation)', () => {
    expect(documentedErrorStatuses.size).toBeGreaterThan(0);
  });
  for (const code of codes) {
    it(`catalogue ${code} (${catalogue[code].status}) answers a status some operation documents`, () => {
      expect(documentedErrorStatuses.has(catalogue[code].status)).toBe(true);
    });
  }
  for (const status of documentedErrorStatuses) {
    it(`spec error status ${status} has at least one catalogue entry`, () => {
      expect(codes.filter((c) => catalogue[c].status === status)).not.toEqual([]);
    });
  }
  it('catalogue internal is a 500 and every operation documents 500 (a bug, or one asked for with Prefer)', () => {
    expect(catalogue.internal.status).toBe(500);
    for (const op of operations) expect(op.statuses, op.operationId).toContain('500');
  });
  it('every documented error response of every operation uses the ErrorResponse schema', () => {
    const responses = (spec.components as unknown as { responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }> }).responses;
    for (const op of operations) {
      const documented = (spec.paths[op.path]![op.method.toLowerCase()] as { responses: Record<string, { $ref?: string }> }).responses;
      for (const status of op.statuses.filter((s) => documentedErrorStatuses.has(Number(s)))) {
        const ref = documented[status]?.$ref;
        expect(ref, `${op.operationId} ${status}`).toMatch(/^#\/components\/responses\//);
        const schemaRef = responses[ref!.split('/').pop()!]?.content['application/json']?.schema.$ref;
        expect(schemaRef, `${op.operationId} ${status}`).toBe('#/components/schemas/ErrorResponse');
      }
    }
  });
});

describe('error catalogue bodies', () => {
  for (const code of codes) {
    it(`ApiError.of(${code}) has the catalogue status and a body valid against ErrorResponse`, () => {
      const e = render(code);
      expect(e.status).toBe(catalogue[code].status);
      expect(e.code).toBe(code);
      expect(errorBody(e.body), JSON.stringify(errorBody.errors)).toBe(true);
      expect(e.message).toBe(e.body.error);
    });
  }
  it('ApiError.of(unauthenticated) carries the headers it is given', () => {
    expect(ApiError.of('unauthenticated', SAMPLES.unauthenticated, { 'WWW-Authenticate': 'Basic' }).headers).toEqual({ 'WWW-Authenticate': 'Basic' });
  });
  it('ApiError.of(invalidRequest) quoting a 100,000-character field name is cut to MAX_ERROR_TEXT and stays a valid ErrorResponse', () => {
    const e = ApiError.of('invalidRequest', { problems: `${'k'.repeat(100_000)} is not a field of this request`, advice: 'a'.repeat(20_000) });
    expect(e.body.error).toHaveLength(MAX_ERROR_TEXT);
    expect(e.body.error.endsWith('…')).toBe(true);
    expect(e.body.advice).toHaveLength(MAX_ERROR_TEXT);
    expect(e.message).toBe(e.body.error);
    expect(errorBody(e.body), JSON.stringify(errorBody.errors)).toBe(true);
    expect(errorBody({ ...e.body, error: `${e.body.error}x` })).toBe(false);
  });
  it('ApiError.of(invalidRequest) uses the given advice, else a default one', () => {
    expect(ApiError.of('invalidRequest', { problems: 'p', advice: 'do x' }).body.advice).toBe('do x');
    expect(ApiError.of('invalidRequest', { problems: 'p' }).body.advice).not.toBe('');
  });
});

describe('error texts the spec or the vendor documents', () => {
  interface DocExample { name: string; response?: unknown }
  const vendor = JSON.parse(readFileSync(join(projectRoot, 'test', 'fixtures', 'vendor-examples.json'), 'utf8')) as DocExample[];
  it('integrationNotFound for id 5 equals the vendor’s documented unknown-id answer', () => {
    const documented = vendor.filter((e) => /unknown id/.test(e.name)).map((e) => e.response);
    expect(documented).toHaveLength(1);
    expect(render('integrationNotFound').body).toEqual(documented[0]);
    expect(render('integrationNotFound').body).toEqual({ success: false, error: 'Repository with id=5 does not exist', advice: 'Please try again with an existing repository id.' });
  });
  const exampleOf = (response: string, name: string): unknown =>
    (spec.components as unknown as { responses: Record<string, { content: Record<string, { examples: Record<string, { value: unknown }> }> }> })
      .responses[response]?.content['application/json']?.examples[name]?.value;
  const cases: Array<{ code: ErrorCode; response: string; example: string }> = [
    { code: 'integrationNotFound', response: 'NotFound', example: 'unknownId' },
    { code: 'malformedJson', response: 'BadRequest', example: 'malformedJson' },
    { code: 'methodNotAllowed', response: 'MethodNotAllowed', example: 'methodNotAllowed' },
    { code: 'payloadTooLarge', response: 'PayloadTooLarge', example: 'tooLarge' },
    { code: 'unsupportedMediaType', response: 'UnsupportedMediaType', example: 'wrongType' },
    { code: 'internal', response: 'InternalError', example: 'bug' },
  ];
  for (const c of cases) {
    it(`catalogue ${c.code} renders the spec example ${c.response}.${c.example} exactly`, () => {
      const example = exampleOf(c.response, c.example);
      expect(example).toBeDefined();
      expect(render(c.code).body).toEqual(example);
    });
  }
});
