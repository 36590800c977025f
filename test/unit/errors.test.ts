// The error catalogue kept equal to the spec in both directions, and every body shaped like ErrorResponse.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError, catalogue, type ErrorCode } from '../../src/errors.js';
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
  integrationNotFound: { id: 5 },
  routeNotFound: { method: 'GET', path: '/nowhere' },
  methodNotAllowed: { method: 'PATCH', path: '/rest/gitplugin/1.0/integration', allowed: 'GET, POST' },
  payloadTooLarge: { limit: 1048576 },
  unsupportedMediaType: { contentType: 'text/plain' },
  storageFailed: { reason: 'ENOSPC' },
  sessionLimit: { max: 1000 },
  integrationLimit: { max: 10000 },
  idSpaceExhausted: { max: 2147483647 },
  internal: { requestId: '00000000-0000-0000-0000-000000000000' },
};
const codes = Object.keys(catalogue) as ErrorCode[];
const render = <C extends ErrorCode>(code: C): ApiError => ApiError.of(code, SAMPLES[code]);

const documentedErrorStatuses = new Set(operations.flatMap((o) => o.statuses).filter((s) => /^[45]\d\d$/.test(s)).map(Number));
// 500 is the one answer for a gij-mock bug; the contract documents what a correct server answers.
const clientErrorCodes = codes.filter((c) => c !== 'internal');

describe('error catalogue ⇄ spec', () => {
  it('the spec documents some 4xx statuses (sanity check of the derivation)', () => {
    expect(documentedErrorStatuses.size).toBeGreaterThan(0);
  });
  for (const code of clientErrorCodes) {
    it(`catalogue ${code} (${catalogue[code].status}) answers a status some operation documents`, () => {
      expect(documentedErrorStatuses.has(catalogue[code].status)).toBe(true);
    });
  }
  for (const status of documentedErrorStatuses) {
    it(`spec error status ${status} has at least one catalogue entry`, () => {
      expect(clientErrorCodes.filter((c) => catalogue[c].status === status)).not.toEqual([]);
    });
  }
  it('catalogue internal is the only entry outside the documented statuses, and it is a 500', () => {
    expect(codes.filter((c) => !documentedErrorStatuses.has(catalogue[c].status))).toEqual(['internal']);
    expect(catalogue.internal.status).toBe(500);
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
  ];
  for (const c of cases) {
    it(`catalogue ${c.code} renders the spec example ${c.response}.${c.example} exactly`, () => {
      const example = exampleOf(c.response, c.example);
      expect(example).toBeDefined();
      expect(render(c.code).body).toEqual(example);
    });
  }
});
