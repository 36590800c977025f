// Turns schema validation errors (from express-openapi-validator or Ajv) into one sentence that names
// each field and its rule, with the per-type rule text of the spec as advice.
import type { JsonSchema, OpenApiDocument } from './spec.js';

export interface SchemaProblem {
  /** JSON pointer with the location first: `/body/origin`, `/query/disable`, `/params/integrationId` */
  path: string;
  /** The JSON Schema keyword that failed (`required`, `enum`, …), or `unknownQuery` */
  keyword: string;
  message: string;
}

export interface RenderedProblems {
  problems: string;
  advice?: string;
}

// Patterns read badly as regular expressions; say what they mean instead.
const PATTERN_MEANING: Record<string, string> = {
  apiPath: 'must be empty or start with "/"',
  origin: 'must be an absolute http:// or https:// URL',
};

/** JSON-pointer escaping of one key (`~` → `~0`, `/` → `~1`), so a key such as `repo/name` stays one segment. */
const escapeKey = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

function fieldName(path: string): string {
  const [, location = '', ...rest] = path.split('/');
  if (rest.length === 0) return location === 'body' ? 'the body' : location;
  // Segments are JSON-pointer escaped (`~1` is '/', `~0` is '~'), so a key such as `repo/name` stays one name.
  const unescape = (seg: string) => seg.replace(/~1/g, '/').replace(/~0/g, '~');
  return rest.map((seg, i) => (/^\d+$/.test(seg) ? `[${seg}]` : `${i ? '.' : ''}${unescape(seg)}`)).join('');
}

/** The `then` branch of IntegrationTypeRules for a type, if the body names a known type. */
export function typeRule(spec: OpenApiDocument, type: unknown): JsonSchema | undefined {
  const rules = spec.components.schemas.IntegrationTypeRules?.allOf as JsonSchema[] | undefined;
  return rules?.find((r) => (r.if as { properties: { type: { const: string } } }).properties.type.const === type)
    ?.then as JsonSchema | undefined;
}

/** `pat, or username and password` from the anyOf branches of a type rule. */
function alternatives(rule: JsonSchema): { text: string; fields: Set<string> } {
  const fields = new Set<string>();
  const parts = ((rule.anyOf ?? []) as JsonSchema[]).map((branch) => {
    const required = (branch.required ?? []) as string[];
    required.forEach((f) => fields.add(f));
    const consts = Object.entries((branch.properties ?? {}) as Record<string, JsonSchema>)
      .filter(([, s]) => 'const' in s)
      .map(([name, s]) => `${name} "${String(s.const)}"`);
    return required.join(' and ') + (consts.length ? ` with ${consts.join(' and ')}` : '');
  });
  return { text: parts.join(', or '), fields };
}

export function renderProblems(items: readonly SchemaProblem[], body: unknown, spec: OpenApiDocument): RenderedProblems {
  const type = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).type : undefined;
  const rule = typeof type === 'string' ? typeRule(spec, type) : undefined;
  const when = rule ? ` when type is ${String(type)}` : '';
  const anyOfFailed = items.some((i) => i.keyword === 'anyOf' && i.path === '/body');
  const alt = rule && anyOfFailed ? alternatives(rule) : undefined;
  const out: string[] = [];
  if (alt) out.push(`${alt.text} ${alt.text.includes(', or ') ? 'are' : 'is'} required${when}`);
  for (const item of items) {
    const field = fieldName(item.path);
    const last = field.split(/[.[]/).pop() ?? field;
    if (item.keyword === 'if' || item.keyword === 'anyOf') continue;
    if (alt && item.keyword === 'required' && alt.fields.has(last)) continue;
    let text: string;
    if (item.keyword === 'required') text = `${field} is required${field === 'type' ? '' : when}`;
    else if (item.keyword === 'unevaluatedProperties' || item.keyword === 'additionalProperties') text = `${field} is not a field of this request`;
    else if (item.keyword === 'unknownQuery') text = `${field} is not a query parameter of this operation`;
    else if (item.keyword === 'repeated') text = `${field} is given more than once; send it once`;
    else if (item.keyword === 'emptyValue') text = `${field} must not be empty`;
    else if (item.keyword === 'malformedUri') text = `the URL path ${item.path} is not valid percent-encoding`;
    else if (item.keyword === 'pattern') text = `${field} ${PATTERN_MEANING[last] ?? item.message}${last === 'origin' ? when : ''}`;
    else if (item.keyword === 'const' && last === 'username') text = `username must be "all" when a pat replaces the password${when}`;
    else if (item.keyword === 'minLength' && last === 'origin') text = `origin must not be empty${when}`;
    else if (item.keyword === 'type' && field === 'the body') text = 'the body must be a JSON object';
    else text = `${field} ${item.message}`;
    if (!out.includes(text)) out.push(text);
  }
  const touchesRule = rule !== undefined && (alt !== undefined || out.some((t) => t.endsWith(when)));
  return { problems: out.join('; ') || 'The request does not match the API contract', advice: touchesRule ? String(rule.description) : undefined };
}

/**
 * Express-openapi-validator's error items → SchemaProblem. `query` (the parsed query) tells a repeated
 * parameter (`disable=true&disable=false` parses to an array) from a wrong value.
 */
export function fromValidatorErrors(errors: ReadonlyArray<{ path?: string; message?: string; errorCode?: string }>, query: Record<string, unknown> = {}): SchemaProblem[] {
  return errors.map((e) => {
    const path = e.path ?? '/body';
    const message = e.message ?? 'is invalid';
    const [, location, name = ''] = path.split('/');
    let keyword = e.errorCode ? e.errorCode.replace(/\.openapi\.validation$/, '') : 'unknown';
    if (location === 'query' && Array.isArray(query[name])) keyword = 'repeated';
    else if (/^Unknown query parameter/.test(message)) keyword = 'unknownQuery';
    else if (/^Empty value found/.test(message)) keyword = 'emptyValue';
    else if (/malformed uri/i.test(message)) keyword = 'malformedUri';
    // The validator appends an unknown key to the path unescaped: keep `repo/name` one field name.
    if ((keyword === 'unevaluatedProperties' || keyword === 'additionalProperties') && path.startsWith('/body/')) {
      return { path: `/body/${escapeKey(path.slice(6))}`, keyword, message };
    }
    return { path, keyword, message };
  });
}

/** Ajv's errors (instancePath relative to the body) → SchemaProblem. */
export function fromAjvErrors(errors: ReadonlyArray<{ instancePath: string; keyword: string; message?: string; params: Record<string, unknown> }>): SchemaProblem[] {
  return errors.map((e) => {
    const extra = e.params.missingProperty ?? e.params.unevaluatedProperty ?? e.params.additionalProperty;
    const escaped = extra === undefined ? '' : `/${escapeKey(String(extra))}`;
    // Ajv's enum message omits the values; the validator's own message lists them, so do the same here.
    const allowed = e.keyword === 'enum' && Array.isArray(e.params.allowedValues) ? `: ${e.params.allowedValues.join(', ')}` : '';
    return { path: `/body${e.instancePath}${escaped}`, keyword: e.keyword, message: `${e.message ?? 'is invalid'}${allowed}` };
  });
}
