// Checks the schema validator cannot make, run before it so that one 400 names every problem: the path
// id's written form, query parameters the operation does not have (or sent empty), and whole numbers
// written with a fraction or exponent (JSON.parse turns 9007199254740991.4 into an integer, so only the
// body's text shows it), and the body schema's dependentRequired (realRoot needs absoluteRoot), which the Express
// host's express-openapi-validator ignores. In lenient mode (--validation lenient) what the plugin would accept is
// rewritten as the plugin reads it, with a warning instead of a problem.
import type { Operation } from './operations.js';
import { MAX_ID } from './store.js';
import type { JsonSchema, OpenApiDocument } from './spec.js';
import { escapeKey, renderProblems, type SchemaProblem } from './validation-messages.js';
import { addWarnings } from './warnings.js';

interface OperationFacts {
  /** query parameter name → its schema type */
  readonly query: ReadonlyMap<string, string | undefined>;
  /** The name of the path's id parameter (integrationId, repoId), if it has one */
  readonly idName: string | undefined;
  /** Top-level fields of the body schema (empty: no body) */
  readonly bodyFields: ReadonlySet<string>;
  /** The body schema's dependentRequired (field → the fields it needs beside it) */
  readonly needs: ReadonlyArray<readonly [string, readonly string[]]>;
}

/** The integration id as written in the path (percent-decoded), or undefined when it cannot be decoded. */
export function rawIntegrationId(path: string): string | undefined {
  try {
    // One `.json` suffix on the last segment only (spec: Mock rule); `/repository/5.json/disable` has the id `5.json`.
    return decodeURIComponent(/\/(?:integration|repository)\/([^/]+?)(?:\.json$|\/|$)/.exec(path)?.[1] ?? '');
  } catch {
    return undefined; // the router reports bad percent-encoding
  }
}
/** Only the canonical decimal form is an id: `0x1`, `+1`, `1e0` or `01` are not read as 1. */
export const isCanonicalId = (raw: string): boolean => /^[1-9][0-9]{0,9}$/.test(raw);
export const idFormProblem = (raw: string, name = 'integrationId'): string => `${name} must be a decimal integer from 1 to ${MAX_ID}, got '${raw.slice(0, 40)}'`;

function deref(spec: OpenApiDocument, node: unknown): JsonSchema {
  const ref = (node as JsonSchema | undefined)?.$ref;
  if (typeof ref !== 'string') return (node ?? {}) as JsonSchema;
  return ref.slice(2).split('/').reduce<JsonSchema>((n, key) => n[key] as JsonSchema, spec);
}

function factsOf(spec: OpenApiDocument, op: Operation): OperationFacts {
  const item = spec.paths[op.path] as JsonSchema;
  const operation = item[op.method.toLowerCase()] as JsonSchema;
  const params = [...((item.parameters ?? []) as unknown[]), ...((operation.parameters ?? []) as unknown[])].map((p) => deref(spec, p));
  // A parameter's `x-aliases` are other spellings of it the app accepts (Reindex status: `threadID` for `threadId`).
  const query = new Map(params.filter((p) => p.in === 'query').flatMap((p) => [String(p.name), ...((p['x-aliases'] ?? []) as string[])]
    .map((name) => [name, (p.schema as JsonSchema | undefined)?.type as string | undefined] as const)));
  const body = deref(spec, (operation.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined)?.content?.['application/json']?.schema);
  const fields = new Set(Object.keys((body.properties ?? {}) as object));
  for (const part of (body.allOf ?? []) as unknown[]) for (const key of Object.keys((deref(spec, part).properties ?? {}) as object)) fields.add(key);
  const needs = Object.entries((body.dependentRequired ?? {}) as Record<string, string[]>);
  return { query, idName: params.find((p) => p.in === 'path' && (p.name === 'integrationId' || p.name === 'repoId'))?.name as string | undefined, bodyFields: fields, needs };
}

/**
 * JSON pointers (under /body) of the numbers written with a fraction or an exponent whose first key is
 * one of `fields`. `text` is valid JSON (it has been parsed), so a small scanner is enough.
 */
export function nonIntegerForms(text: string, fields: ReadonlySet<string>): string[] {
  if (!/\d[.eE]/.test(text)) return [];
  const out: string[] = [];
  const stack: Array<{ array: boolean; key: string; index: number }> = [];
  let expectKey = false;
  const token = /"(?:[^"\\]|\\.)*"|-?\d+(\.\d+)?([eE][+-]?\d+)?|[{}[\]:,]|true|false|null/gy;
  for (let i = 0; i < text.length;) {
    if (/\s/.test(text[i]!)) { i++; continue; }
    token.lastIndex = i;
    const m = token.exec(text);
    if (!m) break;
    i = token.lastIndex;
    const t = m[0];
    const top = stack[stack.length - 1];
    if (t[0] === '"') { if (top && !top.array && expectKey) top.key = JSON.parse(t) as string; }
    else if (t === '{' || t === '[') { stack.push({ array: t === '[', key: '', index: 0 }); expectKey = t === '{'; }
    else if (t === '}' || t === ']') stack.pop();
    else if (t === ':') expectKey = false;
    else if (t === ',') { if (top?.array) top.index++; else expectKey = true; }
    else if ((m[1] !== undefined || m[2] !== undefined) && stack.length > 0 && fields.has(stack[0]!.key)) {
      out.push(`/body${stack.map((s) => `/${s.array ? s.index : escapeKey(s.key)}`).join('')}`);
    }
  }
  return out;
}

/** What the checks see of a request: its operation, the raw path, the parsed query and the body's text. */
export interface CheckedRequest {
  readonly operation: Operation;
  readonly path: string;
  readonly query: Readonly<Record<string, string | string[]>>;
  readonly rawBody?: string;
  /** The parsed body, for the rules between fields (express-openapi-validator ignores dependentRequired) */
  readonly body?: unknown;
}

export interface RequestChecks {
  /** Lenient mode: removes body fields the operation does not have (in place), one warning each; returns the body as received when any was. */
  dropUnknownFields(op: Operation, body: unknown, warnings: string[]): unknown;
  /** Problems to name with the validator's; in lenient mode the query as the plugin reads it, with warnings. */
  collect(req: CheckedRequest, warnings: string[]): { problems: SchemaProblem[]; query: Record<string, string | string[]> };
}

export function requestChecks(spec: OpenApiDocument, lenient: boolean): RequestChecks {
  const facts = new Map<string, OperationFacts>();
  const factsFor = (op: Operation) => {
    let f = facts.get(op.operationId);
    if (!f) facts.set(op.operationId, (f = factsOf(spec, op)));
    return f;
  };
  const sentence = (p: SchemaProblem) => renderProblems([p], undefined, spec).problems;

  const dropUnknownFields = (op: Operation, body: unknown, warnings: string[]) => {
    if (!lenient || body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
    const { bodyFields } = factsFor(op);
    const unknown = Object.keys(body).filter((k) => !bodyFields.has(k));
    if (unknown.length === 0) return undefined;
    const received = structuredClone(body);
    for (const key of unknown) delete (body as Record<string, unknown>)[key];
    addWarnings(warnings, unknown.map((k) => sentence({ path: `/body/${escapeKey(k)}`, keyword: 'unevaluatedProperties', message: '' })));
    return received;
  };

  const collect = (req: CheckedRequest, warningsOut: string[]) => {
    const f = factsFor(req.operation);
    const problems: SchemaProblem[] = [];
    const warnings: SchemaProblem[] = [];
    if (f.idName) {
      const raw = rawIntegrationId(req.path);
      // Only forms the validator would coerce to a valid id (`0x1`, `+1`, `1e0`, `01`); it names the others.
      const coerced = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
      if (raw !== undefined && !isCanonicalId(raw) && Number.isInteger(coerced) && coerced >= 1 && coerced <= MAX_ID) {
        problems.push({ path: `/params/${f.idName}`, keyword: 'sentence', message: idFormProblem(raw, f.idName) });
      }
    }
    const query: Record<string, string | string[]> = { ...req.query };
    for (const [name, value] of Object.entries(query)) {
      const path = `/query/${escapeKey(name)}`;
      if (!f.query.has(name)) {
        (lenient ? warnings : problems).push({ path, keyword: 'unknownQuery', message: '' });
        if (lenient) delete query[name];
        continue;
      }
      let v = value;
      if (Array.isArray(v) && lenient) {
        // Jersey reads the first value of a parameter given more than once.
        warnings.push({ path, keyword: 'repeated', message: '' });
        v = v[0]!;
      }
      if (v === '') (lenient ? warnings : problems).push({ path, keyword: 'emptyValue', message: '' });
      if (lenient && f.query.get(name) === 'boolean' && typeof v === 'string') {
        // Jersey's Boolean.valueOf: a case-insensitive "true" is true, anything else false.
        if (v !== 'true' && v !== 'false' && v !== '') warnings.push({ path, keyword: 'type', message: 'must be boolean' });
        v = v.toLowerCase() === 'true' ? 'true' : 'false';
      }
      if (v !== value) query[name] = v;
    }
    if (req.rawBody !== undefined) {
      for (const path of nonIntegerForms(req.rawBody, f.bodyFields)) problems.push({ path, keyword: 'integerForm', message: '' });
    }
    const sent = req.body !== null && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : undefined;
    for (const [field, needed] of sent ? f.needs : []) {
      if (!Object.hasOwn(sent!, field)) continue;
      for (const need of needed.filter((n) => !Object.hasOwn(sent!, n))) {
        problems.push({ path: `/body/${escapeKey(need)}`, keyword: 'sentence', message: `${field} needs ${need}: send both, or neither` });
      }
    }
    addWarnings(warningsOut, warnings.map(sentence));
    return { problems, query };
  };

  return { dropUnknownFields, collect };
}
