// Assertions the contract files share, each derived from the spec rather than restated: which fields
// are secrets, which defaults apply, which methods a path accepts.
import { expect } from 'vitest';
import type { components } from '../../src/generated/openapi.js';
import { expectContract, operation, operations, spec, type HttpResult } from './contract.js';
import type { Send } from './http.js';

type ErrorBody = components['schemas']['ErrorResponse'];
type Integration = components['schemas']['Integration'];
type PropertyMap = Record<string, { writeOnly?: boolean; default?: unknown }>;

const settings = spec.components.schemas.IntegrationSettings?.properties as PropertyMap;
const returned = spec.components.schemas.Integration?.properties as PropertyMap;

/** The writeOnly fields of the request schemas: `username`, `password`, `pat`. */
export const SECRET_FIELDS: readonly string[] = Object.keys(settings).filter((k) => settings[k]?.writeOnly === true);

/** The secret values of a request body, and the JSON of its other fields. */
export function splitSecrets(body: Record<string, unknown>): { secrets: string[]; open: string } {
  const secrets = SECRET_FIELDS.map((f) => body[f]).filter((v): v is string => typeof v === 'string' && v !== '');
  return { secrets, open: JSON.stringify(Object.fromEntries(Object.entries(body).filter(([k]) => !SECRET_FIELDS.includes(k)))) };
}

/** No secret field, and none of the given secret values, appears anywhere in the answer. */
export function expectNoSecrets(res: HttpResult, secrets: Iterable<string> = []): void {
  const keys = keysOf(res.body);
  for (const field of SECRET_FIELDS) expect(keys, `answer has a ${field} field`).not.toContain(field);
  const text = JSON.stringify(res.body) ?? '';
  for (const value of secrets) expect(text, 'answer carries a secret that was sent').not.toContain(value);
}

function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
}

/** The error envelope of a checked response. */
export function errorOf(res: HttpResult): ErrorBody {
  return res.body as ErrorBody;
}

/** Checks the response against the spec, then that `error` says `text`. */
export function expectError(operationId: string, res: HttpResult, status: number, text: string | RegExp): ErrorBody {
  expectContract(operationId, res, status);
  const body = errorOf(res);
  if (typeof text === 'string') expect(body.error).toContain(text);
  else expect(body.error).toMatch(text);
  return body;
}

/** 401 with the envelope and a challenge naming the schemes. */
export function expectUnauthorized(operationId: string, res: HttpResult): void {
  expectError(operationId, res, 401, 'must be authenticated');
  expect(res.headers['www-authenticate']).toMatch(/\b(Basic|Bearer)\b/);
}

/** 403 with the envelope, saying an administrator is needed. */
export function expectForbidden(operationId: string, res: HttpResult): void {
  expectError(operationId, res, 403, 'administrator');
}

/** 404 with the vendor's own texts for an unknown id. */
export function expectNotFound(operationId: string, res: HttpResult, id: number): void {
  expectError(operationId, res, 404, `Repository with id=${id} does not exist`);
  expect(errorOf(res).advice).toBe('Please try again with an existing repository id.');
}

/**
 * PATCH on the path of `operationId` answers 405, credited to every operation of that path, with an
 * `Allow` header naming exactly the methods the spec gives the path, HEAD where it has GET, and OPTIONS.
 */
export async function expectMethodNotAllowed(send: Send, operationId: string, id?: number): Promise<void> {
  const { path } = operation(operationId);
  if (/\{(?:integrationId|repoId)\}/.test(path) && id === undefined) throw new Error(`${path} needs an id`);
  const concrete = path.replace(/\{(?:integrationId|repoId)\}/, String(id));
  const res = await send('PATCH', concrete);
  const onPath = operations.filter((o) => o.path === path);
  for (const op of onPath) expectError(op.operationId, res, 405, `PATCH is not allowed on ${concrete}`);
  const allow = String(res.headers.allow).split(',').map((m) => m.trim()).sort();
  const documented = onPath.map((o) => o.method);
  expect(allow).toEqual([...documented, ...(documented.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].sort());
}

/**
 * What the answer to a request must hold, from the spec alone: every field sent that the Integration
 * schema returns (type as integrationType) and, for an add, the schema default of every returnable
 * field left out. `origin`/`displayName` left out get generated values; `projectMappingIds` is a set,
 * returned only when `global` is false.
 */
export function expectedView(body: Record<string, unknown>, { defaults = true } = {}): Partial<Integration> {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(settings)) {
    if (!(key in returned) || schema.writeOnly) continue;
    const value = key in body ? body[key] : defaults ? schema.default : undefined;
    if (value !== undefined && !(key === 'origin' && value === '')) out[key] = value;
  }
  const type = body.type ?? body.integrationType;
  if (type !== undefined) out.integrationType = type;
  const ids = (body.projectMappingIds ?? []) as number[];
  if (out.global !== undefined) out.projectMappingIds = out.global === false ? [...new Set(ids)].sort((a, b) => a - b) : [];
  return out as Partial<Integration>;
}

/**
 * An integration without lastIndexedDate: since issue 21 it appears once the repositories an add discovered
 * are indexed (on the indexing clock, between two reads), so reads before and after compare without it.
 */
export function unindexed<T>(integration: T): T {
  if (integration === null || typeof integration !== 'object') return integration;
  const { lastIndexedDate: _indexed, ...rest } = integration as Record<string, unknown>;
  return rest as T;
}
