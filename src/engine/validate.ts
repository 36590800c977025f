// Request and response validation against the spec, with Ajv (Ajv2020 + ajv-formats through SpecSchemas).
// One function per operation returning SchemaProblem[], made on the operation's first request (start-up
// pays nothing): taken from the build's precompiled module (dist/bundle/validators.cjs, Ajv standalone code,
// scripts/build-validators.mjs) when it was made from this very spec, else compiled here (~200 ms of Ajv). Paths and keywords are those express-openapi-validator reports
// (/params/…, /query/…, /body/…), so renderProblems words a 400 the same whichever validator found it.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Operation } from '../operations.js';
import { type JsonSchema, type OpenApiDocument, projectRoot, SpecSchemas, withoutAnnotations } from '../spec.js';
import { escapeKey, fromAjvErrors, type SchemaProblem } from '../validation-messages.js';
import type { ValidationView } from './types.js';

export type RequestValidator = (view: ValidationView) => SchemaProblem[];
/** Problems of a 200 answer's JSON against the response view (writeOnly fields forbidden). */
export type ResponseValidator = (status: number, body: unknown) => SchemaProblem[];

export interface Validators {
  request(op: Operation): RequestValidator;
  response(op: Operation): ResponseValidator;
}

const pointerOf = (...keys: string[]) => `/${keys.map(escapeKey).join('/')}`;

function deref(spec: OpenApiDocument, node: unknown): JsonSchema {
  const ref = (node as JsonSchema | undefined)?.$ref;
  if (typeof ref !== 'string') return (node ?? {}) as JsonSchema;
  return ref.slice(2).split('/').reduce<JsonSchema>((n, key) => n[key] as JsonSchema, spec);
}

/** Parameters arrive as text: coerced to their schema's type, as the validator does. `source`: see specAjv. */
export function parameterAjv(source = false): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, coerceTypes: true, code: { source } });
  addFormats.default(ajv);
  return ajv;
}

// The schema set, shared by the engine and the build so that both validate with the same schemas.
// Keys name each validate function in the precompiled module.
export const parametersKey = (op: Operation, where: 'path' | 'query') => `${where} ${op.operationId}`;
export const bodyKey = (op: Operation) => `body ${op.operationId}`;
export const responseKey = (op: Operation, status: string) => `${status} ${op.operationId}`;

/** The object schema of an operation's path or query parameters (parameterAjv), if it has any. */
export function parametersSchema(spec: OpenApiDocument, op: Operation, where: 'path' | 'query'): JsonSchema | undefined {
  const item = spec.paths[op.path] as JsonSchema;
  const operation = item[op.method.toLowerCase()] as JsonSchema;
  const list = [...((item.parameters ?? []) as unknown[]), ...((operation.parameters ?? []) as unknown[])].map((p) => deref(spec, p)).filter((p) => p.in === where);
  if (list.length === 0) return undefined;
  return {
    type: 'object',
    properties: Object.fromEntries(list.map((p) => [String(p.name), withoutAnnotations(inlineRefs(spec, p.schema))])),
    required: list.filter((p) => p.required === true).map((p) => String(p.name)),
  };
}

/** A parameter's schema with its local $refs replaced by what they name: the parameter object has no id to resolve them from. */
function inlineRefs(spec: OpenApiDocument, node: unknown, depth = 0): unknown {
  if (depth > 32 || node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((item) => inlineRefs(spec, item, depth + 1));
  if (typeof (node as JsonSchema).$ref === 'string') return inlineRefs(spec, deref(spec, node), depth + 1);
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inlineRefs(spec, value, depth + 1)]));
}

/** The JSON pointer of the request body's schema (request view), if the operation takes a body. */
export const bodyPointer = (op: Operation) => (op.takesBody ? pointerOf('paths', op.path, op.method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema') : undefined);

/** The JSON pointer of a documented JSON answer's schema (response view), if there is one for this status. */
export function responsePointer(spec: OpenApiDocument, op: Operation, status: string): string | undefined {
  const responses = (spec.paths[op.path] as JsonSchema)[op.method.toLowerCase()] as { responses: Record<string, unknown> };
  if (!(status in responses.responses)) return undefined;
  const answer = responses.responses[status] as { $ref?: unknown };
  const response = deref(spec, answer) as { content?: Record<string, unknown> };
  if (!response.content?.['application/json']) return undefined;
  // Ajv finds a schema by a pointer that does not pass through a $ref: a shared response by its own.
  const at = typeof answer.$ref === 'string' ? answer.$ref.slice(1) : pointerOf('paths', op.path, op.method.toLowerCase(), 'responses', status);
  return `${at}${pointerOf('content', 'application/json', 'schema')}`;
}

/** What the build writes: the spec's digest and one validate function per key, by the Ajv that made it. */
export interface PrecompiledValidators {
  readonly specDigest: string;
  readonly parameters: Readonly<Record<string, ValidateFunction>>;
  readonly request: Readonly<Record<string, ValidateFunction>>;
  readonly response: Readonly<Record<string, ValidateFunction>>;
}

/** Identifies the spec a precompiled module was made from: the same document gives the same digest. */
export const specDigest = (spec: OpenApiDocument) => createHash('sha256').update(JSON.stringify(spec)).digest('hex');

export const precompiledPath = join(projectRoot, 'dist', 'bundle', 'validators.cjs');

/** The build's validators if they exist and were made from this spec; otherwise undefined (compile here). */
export function loadPrecompiled(spec: OpenApiDocument, path: string = precompiledPath): PrecompiledValidators | undefined {
  let module: PrecompiledValidators;
  try {
    module = createRequire(import.meta.url)(path) as PrecompiledValidators;
  } catch {
    return undefined; // not built (tests from src before a build): compile at run time
  }
  return module.specDigest === specDigest(spec) ? module : undefined;
}

function paramErrors(location: 'params' | 'query', errors: readonly ErrorObject[], values: Readonly<Record<string, unknown>>): SchemaProblem[] {
  return errors.map((e) => {
    const name = e.keyword === 'required' ? String(e.params.missingProperty) : e.instancePath.split('/')[1] ?? '';
    const path = `/${location}/${escapeKey(name)}`;
    const allowed = e.keyword === 'enum' && Array.isArray(e.params.allowedValues) ? `: ${e.params.allowedValues.join(', ')}` : '';
    // A parameter given more than once reads as a list (the renderer says "send it once").
    const keyword = location === 'query' && Array.isArray(values[name]) ? 'repeated' : e.keyword;
    return { path, keyword, message: `${e.message ?? 'is invalid'}${allowed}` };
  });
}

export function createValidators(spec: OpenApiDocument, precompiled: () => PrecompiledValidators | undefined = () => loadPrecompiled(spec)): Validators {
  const bodies = new SpecSchemas(spec, 'request');
  const answers = new SpecSchemas(spec, 'response');
  let ajv: Ajv2020 | undefined;
  let built: PrecompiledValidators | undefined | null = null; // null: not looked for yet
  const prebuilt = () => (built === null ? (built = precompiled()) : built);
  const requests = new Map<string, RequestValidator>();
  const responses = new Map<string, ResponseValidator>();

  const compileRequest = (op: Operation): RequestValidator => {
    const objectOf = (where: 'path' | 'query'): ValidateFunction | undefined => {
      const schema = parametersSchema(spec, op, where);
      if (!schema) return undefined;
      return prebuilt()?.parameters[parametersKey(op, where)] ?? (ajv ??= parameterAjv()).compile(schema);
    };
    const path = objectOf('path');
    const query = objectOf('query');
    const pointer = bodyPointer(op);
    const body = pointer ? (prebuilt()?.request[bodyKey(op)] ?? bodies.validator(pointer)) : undefined;
    return (view) => {
      const problems: SchemaProblem[] = [];
      if (path) {
        const copy = { ...view.params };
        if (!path(copy)) problems.push(...paramErrors('params', path.errors ?? [], view.params));
      }
      if (query) {
        const copy = { ...view.query };
        if (!query(copy)) problems.push(...paramErrors('query', query.errors ?? [], view.query));
      }
      if (body && view.body !== undefined && !body(view.body)) problems.push(...fromAjvErrors(body.errors ?? []));
      return problems;
    };
  };

  const compileResponse = (op: Operation): ResponseValidator => {
    const checks = new Map<number, ValidateFunction>();
    return (status, value) => {
      let check = checks.get(status);
      if (!check) {
        const pointer = responsePointer(spec, op, String(status));
        if (!pointer) return [];
        check = prebuilt()?.response[responseKey(op, String(status))] ?? answers.validator(pointer);
        checks.set(status, check);
      }
      return check(value) ? [] : fromAjvErrors(check.errors ?? []);
    };
  };

  return {
    request: (op) => requests.get(op.operationId) ?? requests.set(op.operationId, compileRequest(op)).get(op.operationId)!,
    response: (op) => responses.get(op.operationId) ?? responses.set(op.operationId, compileResponse(op)).get(op.operationId)!,
  };
}
