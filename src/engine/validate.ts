// Request and response validation against the spec, with Ajv (Ajv2020 + ajv-formats through SpecSchemas).
// One function per operation returning SchemaProblem[], each compiled once, on the operation's first
// request (start-up pays no compile). Paths and keywords are those express-openapi-validator reports
// (/params/…, /query/…, /body/…), so renderProblems words a 400 the same whichever validator found it.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Operation } from '../operations.js';
import { type JsonSchema, type OpenApiDocument, SpecSchemas, withoutAnnotations } from '../spec.js';
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

/** Parameters arrive as text: coerced to their schema's type, as the validator does. */
function parameterAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, coerceTypes: true });
  addFormats.default(ajv);
  return ajv;
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

export function createValidators(spec: OpenApiDocument): Validators {
  const bodies = new SpecSchemas(spec, 'request');
  const answers = new SpecSchemas(spec, 'response');
  let ajv: Ajv2020 | undefined;
  const requests = new Map<string, RequestValidator>();
  const responses = new Map<string, ResponseValidator>();

  const compileRequest = (op: Operation): RequestValidator => {
    const item = spec.paths[op.path] as JsonSchema;
    const operation = item[op.method.toLowerCase()] as JsonSchema;
    const params = [...((item.parameters ?? []) as unknown[]), ...((operation.parameters ?? []) as unknown[])].map((p) => deref(spec, p));
    const objectOf = (where: string): ValidateFunction | undefined => {
      const list = params.filter((p) => p.in === where);
      if (list.length === 0) return undefined;
      ajv ??= parameterAjv();
      return ajv.compile({
        type: 'object',
        properties: Object.fromEntries(list.map((p) => [String(p.name), withoutAnnotations(p.schema)])),
        required: list.filter((p) => p.required === true).map((p) => String(p.name)),
      });
    };
    const path = objectOf('path');
    const query = objectOf('query');
    const body = op.bodyRequired ? bodies.validator(pointerOf('paths', op.path, op.method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema')) : undefined;
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
        const responses = (spec.paths[op.path] as JsonSchema)[op.method.toLowerCase()] as { responses: Record<string, unknown> };
        if (!(String(status) in responses.responses)) return [];
        const response = deref(spec, responses.responses[String(status)]) as { content?: Record<string, unknown> };
        if (!response.content?.['application/json']) return [];
        check = answers.validator(pointerOf('paths', op.path, op.method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema'));
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
