// Turns schema validation errors (from express-openapi-validator or Ajv) into one sentence that names
// each field and its rule, with the per-type rule text of the spec as advice.
import type { JsonSchema, OpenApiDocument } from './spec.js';

export interface SchemaProblem {
  /** JSON pointer with the location first: `/body/origin`, `/query/disable`, `/params/integrationId` */
  path: string;
  /** The JSON Schema keyword that failed (`required`, `enum`, …), `unknownQuery`, or `sentence` (message is the whole sentence) */
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
export const escapeKey = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');
/** The key a JSON-pointer segment names (`~1` is '/', `~0` is '~'). */
export const unescapeKey = (segment: string): string => segment.replace(/~1/g, '/').replace(/~0/g, '~');

function fieldName(path: string): string {
  const [, location = '', ...rest] = path.split('/');
  if (rest.length === 0) return location === 'body' ? 'the body' : location;
  // Segments are JSON-pointer escaped, so a key such as `repo/name` stays one name.
  // A client-chosen name is cut short: the answer (and a warning header) stays bounded.
  const unescape = (seg: string) => {
    const name = unescapeKey(seg);
    return name.length > MAX_NAME ? `${name.slice(0, MAX_NAME)}...` : name;
  };
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

/** At most this many problems are named in one answer; the rest are counted. */
export const MAX_PROBLEMS = 20;

/**
 * The sentences kept (the first ones, at most the bound), then one that counts the rest of `total`:
 * `and 3 more problems`. Every bounded list of sentences (400s, state imports, warnings) ends this way.
 */
export function countTheRest(kept: readonly string[], total: number, noun: string): string[] {
  const more = total - kept.length;
  return more > 0 ? [...kept, `and ${more} more ${noun}${more === 1 ? '' : 's'}`] : [...kept];
}
const MAX_NAME = 100;
const LOCATION_RANK: Record<string, number> = { params: 0, query: 1, body: 2 };
const fieldOrders = new WeakMap<OpenApiDocument, Map<string, number>>();

/**
 * Body field names in the order the spec declares them: the request schemas' own properties, then
 * those of IntegrationSettings. Problems are listed in this order.
 */
function fieldOrder(spec: OpenApiDocument): Map<string, number> {
  let order = fieldOrders.get(spec);
  if (!order) {
    const props = (name: string) => Object.keys((spec.components.schemas[name]?.properties ?? {}) as object);
    order = new Map();
    // Parameters (path and query) by their place in the spec too.
    const params = Object.values(spec.paths).flatMap((item) => [item.parameters, ...Object.values(item).map((op) => (op as JsonSchema | undefined)?.parameters)])
      .flatMap((list) => (Array.isArray(list) ? (list as JsonSchema[]) : [])).map((p) => String(p.name ?? ''));
    for (const key of [...params, ...props('IntegrationRequest'), ...props('IntegrationUpdateRequest'), ...props('IntegrationSettings')]) if (!order.has(key)) order.set(key, order.size);
    fieldOrders.set(spec, order);
  }
  return order;
}

/** Sort key of a problem: location (path, query, body), then the field's place in the spec, then array index. */
function rankOf(path: string, order: Map<string, number>): number[] {
  const [, location = 'body', first = '', second] = path.split('/');
  const fieldRank = order.get(unescapeKey(first)) ?? order.size;
  return [LOCATION_RANK[location] ?? 3, fieldRank, second !== undefined && /^\d+$/.test(second) ? Number(second) : -1];
}
const compareRanks = (a: number[], b: number[]) => a.reduce((d, v, i) => d || v - b[i]!, 0);

/** One problem's sentence (the same in a 400 and in a lenient-mode warning). */
function sentenceOf(item: SchemaProblem, when: string): string | undefined {
  const field = fieldName(item.path);
  const last = field.split(/[.[]/).pop() ?? field;
  if (item.keyword === 'if' || item.keyword === 'anyOf') return undefined;
  if (item.keyword === 'required') return `${field} is required${field === 'type' ? '' : when}`;
  if (item.keyword === 'unevaluatedProperties' || item.keyword === 'additionalProperties') return `${field} is not a field of this request`;
  if (item.keyword === 'unknownQuery') return `${field} is not a query parameter of this operation`;
  if (item.keyword === 'repeated') return `${field} is given more than once; send it once`;
  if (item.keyword === 'emptyValue') return `${field} must not be empty`;
  if (item.keyword === 'malformedUri') return `the URL path ${item.path} is not valid percent-encoding`;
  if (item.keyword === 'pattern') return `${field} ${PATTERN_MEANING[last] ?? item.message}${last === 'origin' ? when : ''}`;
  if (item.keyword === 'const' && last === 'username') return `username must be "all" when a pat replaces the password${when}`;
  if (item.keyword === 'minLength' && last === 'origin') return `origin must not be empty${when}`;
  if (item.keyword === 'minLength' && item.message === 'must NOT have fewer than 1 characters') return `${field} must not be empty (leave it out instead)`;
  if (item.keyword === 'type' && field === 'the body') return 'the body must be a JSON object';
  if (item.keyword === 'integerForm') return `${field} must be a whole number written without a fraction or exponent`;
  if (item.keyword === 'sentence') return item.message;
  return `${field} ${item.message}`;
}

/**
 * Every problem of a request as one text: de-duplicated, in the order of the fields in the spec (path,
 * query, then body), at most MAX_PROBLEMS named and the rest counted. The advice is the per-type rule
 * when a rule of the body's type failed, and covers the other fields when there are any.
 */
export function renderProblems(items: readonly SchemaProblem[], body: unknown, spec: OpenApiDocument): RenderedProblems {
  const type = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).type : undefined;
  const rule = typeof type === 'string' ? typeRule(spec, type) : undefined;
  const when = rule ? ` when type is ${String(type)}` : '';
  const anyOfFailed = items.some((i) => i.keyword === 'anyOf' && i.path === '/body');
  const alt = rule && anyOfFailed ? alternatives(rule) : undefined;
  const order = fieldOrder(spec);
  const sentences = new Map<string, number[]>();
  const add = (text: string, rank: number[]) => {
    const known = sentences.get(text);
    if (!known || compareRanks(rank, known) < 0) sentences.set(text, rank);
  };
  if (alt) add(`${alt.text} ${alt.text.includes(', or ') ? 'are' : 'is'} required${when}`, [...alt.fields].map((f) => rankOf(`/body/${f}`, order)).sort(compareRanks)[0] ?? [2, 0, -1]);
  // A nullable field (oneOf [rule, null], e.g. Reindex's repoId): its "must be null" names the alternative, not
  // what is wrong, whenever the value broke the other branch (repoId 0 answered only "repoId must be null").
  const nullBranch = (i: SchemaProblem) => i.keyword === 'type' && i.message === 'must be null';
  const kept = items.filter((i) => !nullBranch(i) || !items.some((o) => o.path === i.path && !nullBranch(o) && o.keyword !== 'oneOf'));
  // A value of the wrong type breaks its field's other rules too (enum, pattern…): say only the type.
  const wrongType = new Set(kept.filter((i) => i.keyword === 'type').map((i) => i.path));
  for (const item of kept) {
    if (wrongType.has(item.path) && item.keyword !== 'type') continue;
    const last = fieldName(item.path).split(/[.[]/).pop() ?? '';
    if (alt && item.keyword === 'required' && alt.fields.has(last)) continue;
    const text = sentenceOf(item, when);
    if (text !== undefined) add(text, rankOf(item.path, order));
  }
  // A stable sort: problems of one field keep the validator's order.
  const all = [...sentences.entries()].sort((a, b) => compareRanks(a[1], b[1])).map(([text]) => text);
  const named = countTheRest(all.slice(0, MAX_PROBLEMS), all.length, 'problem');
  const ruleTexts = all.filter((t) => when !== '' && (t.endsWith(when) || t === `${alt?.text} are required${when}` || t === `${alt?.text} is required${when}`));
  const touchesRule = rule !== undefined && ruleTexts.length > 0;
  const others = all.length - ruleTexts.length;
  const advice = touchesRule
    ? `${String(rule.description)}${others > 0 ? ' Also correct the other fields named above; /docs lists every field and rule.' : ''}`
    : undefined;
  return { problems: named.join('; ') || 'The request does not match the API contract', advice };
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
