// Checks a response against the spec's documented response for (operationId, status), with Ajv 2020
// compiled from openapi/openapi.yaml in a response view (writeOnly properties forbidden). It also
// records what was exercised, for the coverage table printed after the run.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { operationsOf, type Operation } from '../../src/operations.js';
import { loadSpec, SpecSchemas } from '../../src/spec.js';
import { browserRows, COVERAGE_DIR_PATH } from './coverage-report.js';

export const spec = loadSpec();
export const operations: readonly Operation[] = operationsOf(spec);
const responseSchemas = new SpecSchemas(spec, 'response');

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

const pointer = (...parts: string[]) => parts.map((p) => `/${p.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** The JSON pointer of the response schema the spec documents, following a components/responses $ref. */
export function responseSchemaPointer(op: Operation, status: number): string | undefined {
  const responses = (spec.paths[op.path]![op.method.toLowerCase()] as { responses: Record<string, { $ref?: string }> }).responses;
  const documented = responses[String(status)];
  if (!documented) return undefined;
  const base = documented.$ref ? documented.$ref.slice(1) : pointer('paths', op.path, op.method.toLowerCase(), 'responses', String(status));
  return `${base}${pointer('content', 'application/json', 'schema')}`;
}

export function operation(operationId: string): Operation {
  const op = operations.find((o) => o.operationId === operationId);
  if (!op) throw new Error(`unknown operationId ${operationId}`);
  return op;
}

/** Asserts status is documented for the operation, the content type is JSON and the body matches. */
export function expectContract(operationId: string, res: HttpResult, expectedStatus?: number): void {
  const op = operation(operationId);
  record(operationId, res.status);
  if (expectedStatus !== undefined) expect(res.status, JSON.stringify(res.body)).toBe(expectedStatus);
  const schemaAt = responseSchemaPointer(op, res.status);
  expect(schemaAt, `${operationId} answered ${res.status}, which the spec does not document`).toBeDefined();
  expect(String(res.headers['content-type'])).toMatch(/^application\/json\b/);
  const validate = responseSchemas.validator(schemaAt!);
  const ok = validate(res.body);
  expect(ok, `${operationId} ${res.status} body does not match the spec: ${JSON.stringify(validate.errors)}\n${JSON.stringify(res.body)}`).toBe(true);
  for (const header of requiredHeaders(op, res.status)) {
    expect(res.headers[header.toLowerCase()], `${operationId} ${res.status} lacks the required ${header} header`).toBeTruthy();
  }
}

/** The headers the spec marks `required` on the documented response (e.g. WWW-Authenticate on 401). */
function requiredHeaders(op: Operation, status: number): string[] {
  const responses = (spec.paths[op.path]![op.method.toLowerCase()] as { responses: Record<string, { $ref?: string }> }).responses;
  let documented = responses[String(status)] as { $ref?: string; headers?: Record<string, { required?: boolean }> } | undefined;
  if (documented?.$ref) documented = (spec.components as Record<string, Record<string, unknown>>).responses?.[documented.$ref.split('/').pop()!] as typeof documented;
  return Object.entries(documented?.headers ?? {}).filter(([, h]) => h.required === true).map(([name]) => name);
}

function record(operationId: string, status: number): void {
  mkdirSync(COVERAGE_DIR_PATH, { recursive: true });
  appendFileSync(join(COVERAGE_DIR_PATH, `${process.pid}.jsonl`), `${JSON.stringify({ operationId, status })}\n`);
}

/** Headers that differ between any two answers. */
const PER_ANSWER = new Set(['date', 'x-request-id', 'connection', 'keep-alive']);
const sameHeaders = (h: HttpResult['headers']) => Object.fromEntries(Object.entries(h).filter(([k]) => !PER_ANSWER.has(k)));

/** HEAD answered like the GET of the same request: same status and headers, no body. Recorded as `HEAD <operationId>`. */
export function expectHeadLikeGet(getOperationId: string, get: HttpResult, head: HttpResult): void {
  const row = `HEAD ${getOperationId}`;
  if (!browserRows(operations).some((r) => r.operationId === row)) throw new Error(`${getOperationId} is not a GET operation`);
  record(row, head.status);
  expect(head.status, JSON.stringify(get.body)).toBe(get.status);
  expect(sameHeaders(head.headers)).toEqual(sameHeaders(get.headers));
  expect(head.body).toBeUndefined();
  expect(get.body).toBeDefined();
}

/**
 * OPTIONS on a spec path (template, as in the spec) without a preflight: 204, no body, and `Allow`
 * naming the path's methods, HEAD where it has GET, and OPTIONS. Recorded as `OPTIONS <path>`.
 */
export function expectOptionsAnswer(path: string, res: HttpResult): void {
  const onPath = operations.filter((o) => o.path === path);
  if (onPath.length === 0) throw new Error(`${path} is not a path of the spec`);
  record(`OPTIONS ${path.replace('/rest/gitplugin/1.0', '')}`, res.status);
  expect(res.status, JSON.stringify(res.body)).toBe(204);
  expect(res.body).toBeUndefined();
  const documented = onPath.map((o) => o.method);
  const allow = String(res.headers.allow).split(',').map((m) => m.trim()).sort();
  expect(allow).toEqual([...documented, ...(documented.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].sort());
  expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
}

/** An error answer to OPTIONS on a spec path (e.g. 421): the envelope, recorded as `OPTIONS <path>`. */
export function expectOptionsError(path: string, res: HttpResult, status: number): void {
  record(`OPTIONS ${path.replace('/rest/gitplugin/1.0', '')}`, res.status);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const validate = responseSchemas.validator('/components/schemas/ErrorResponse');
  expect(validate(res.body), JSON.stringify(res.body)).toBe(true);
}
