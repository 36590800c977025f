// Valid add bodies of every type, derived from the spec: field values from IntegrationSettings, the
// per-type required fields from the then-branches of IntegrationTypeRules. Nothing is hand-listed.
import fc from 'fast-check';
import { loadSpec, SpecSchemas, type JsonSchema } from '../../src/spec.js';

export type Body = Record<string, unknown>;

export const spec = loadSpec();
export const requestSchemas = new SpecSchemas(spec, 'request');
const schemas = spec.components.schemas;
export const settingsProps = schemas.IntegrationSettings!.properties as Record<string, JsonSchema>;
export const integrationTypes = resolve({ $ref: '#/components/schemas/IntegrationType' }).enum as string[];

/** A node with its local $ref followed; sibling keywords (e.g. a then-branch's extra constraints) win. */
export function resolve(node: JsonSchema): JsonSchema {
  if (typeof node.$ref !== 'string') return node;
  const { $ref, ...siblings } = node;
  const target = $ref.slice(2).split('/').reduce<JsonSchema>((n, key) => n[key] as JsonSchema, spec);
  return { ...resolve(target), ...siblings };
}

interface TypeRule { index: number; type: string; simple: boolean; then: JsonSchema }
const rules: TypeRule[] = (schemas.IntegrationTypeRules!.allOf as JsonSchema[]).map((rule, index) => {
  const cond = rule.if as { properties: { type: { const: string } }; required: string[]; not?: unknown };
  return { index, type: cond.properties.type.const, simple: cond.required.length === 1 && !cond.not, then: rule.then as JsonSchema };
});

/** The unconditional then-branch of a type: its required fields, anyOf alternatives and constraints. */
export function typeRuleOf(type: string): JsonSchema {
  const rule = rules.find((r) => r.simple && r.type === type);
  if (!rule) throw new Error(`IntegrationTypeRules has no rule for ${type}`);
  return rule.then;
}

export function intIn(min: number, max: number): fc.Arbitrary<number> {
  return min >= -(2 ** 31) && max <= 2 ** 31 - 1 ? fc.integer({ min, max }) : fc.bigInt(BigInt(min), BigInt(max)).map(Number);
}

function stringOf(s: JsonSchema): fc.Arbitrary<string> {
  const minLength = Number(s.minLength ?? 0);
  const maxLength = Number(s.maxLength ?? 200);
  const fits = (v: string) => [...v].length >= minLength && [...v].length <= maxLength;
  if (typeof s.pattern === 'string') {
    const re = new RegExp(s.pattern, 'u');
    const matching = fc.stringMatching(re).filter(fits);
    // A whole-URL pattern (HostUrl) also gets realistic addresses next to the merely matching strings.
    return /^\^https\?/.test(s.pattern) ? fc.oneof(fc.webUrl({ validSchemes: ['http', 'https'] }).filter((v) => fits(v) && re.test(v)), matching) : matching;
  }
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength, maxLength: Math.min(maxLength, 40) }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength, maxLength: Math.min(maxLength, 40) }) },
    { weight: 1, arbitrary: fc.string({ minLength: maxLength, maxLength }) },
  );
}

/** Any value valid against a (resolved) field schema. */
export function valueOf(node: JsonSchema): fc.Arbitrary<unknown> {
  const s = resolve(node);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  switch (s.type) {
    case 'boolean': return fc.boolean();
    case 'integer': return intIn(Number(s.minimum ?? Number.MIN_SAFE_INTEGER), Number(s.maximum ?? Number.MAX_SAFE_INTEGER));
    case 'string': return stringOf(s);
    case 'array': {
      const items = resolve(s.items as JsonSchema);
      // Mix in small ids so duplicates (stored once) come up often.
      const item = items.type === 'integer' ? fc.oneof(intIn(Number(items.minimum ?? 0), Number(items.minimum ?? 0) + 5), valueOf(items)) : valueOf(items);
      return fc.array(item, { maxLength: Math.min(Number(s.maxItems ?? 10), 10) });
    }
    default: throw new Error(`no arbitrary for schema ${JSON.stringify(s)}`);
  }
}

const settings = fc.record(Object.fromEntries(Object.entries(settingsProps).map(([k, s]) => [k, valueOf(s)])), { requiredKeys: [] });

/** A field's schema for a type: the settings schema narrowed by the then-branch (e.g. origin → HostUrl). */
export function fieldSchema(type: string, field: string): JsonSchema {
  const narrowed = (typeRuleOf(type).properties as Record<string, JsonSchema> | undefined)?.[field];
  return { ...resolve(settingsProps[field]!), ...(narrowed ? resolve(narrowed) : {}) };
}

/** Fields the type requires outright, and the anyOf alternatives (one of which must be present). */
export function requirementsOf(type: string): { required: string[]; alternatives: string[][] } {
  const then = typeRuleOf(type);
  return { required: (then.required ?? []) as string[], alternatives: ((then.anyOf ?? []) as JsonSchema[]).map((b) => b.required as string[]) };
}

/** Applies the consts of conditional rules (an `if` beyond the type, e.g. TFS_SERVER pat ⇒ username "all"). */
function satisfyConditionalRules(body: Body): Body {
  for (const rule of rules.filter((r) => !r.simple && r.type === body.type)) {
    const applies = requestSchemas.validator(`/components/schemas/IntegrationTypeRules/allOf/${rule.index}/if`);
    if (!applies(body)) continue;
    for (const [field, s] of Object.entries((rule.then.properties ?? {}) as Record<string, JsonSchema>)) if ('const' in s) body[field] = s.const;
  }
  return body;
}

export function validBody(type: string): fc.Arbitrary<Body> {
  const { required, alternatives } = requirementsOf(type);
  const narrowed = Object.keys(typeRuleOf(type).properties ?? {});
  const needed = [...new Set([...required, ...alternatives.flat(), ...narrowed])];
  const neededValues = fc.record(Object.fromEntries(needed.map((f) => [f, valueOf(fieldSchema(type, f))])));
  const branch = alternatives.length ? fc.constantFrom(...alternatives) : fc.constant([] as string[]);
  return fc.tuple(settings, neededValues, branch).map(([optional, values, chosen]) => {
    const body: Body = { type, ...optional };
    for (const f of [...required, ...chosen]) body[f] = values[f];
    // A then-branch that narrows a field the settings also generate (origin → HostUrl) applies to it too.
    for (const f of narrowed) if (f in body) body[f] = values[f];
    return satisfyConditionalRules(body);
  });
}

export const anyValidBody: fc.Arbitrary<Body> = fc.oneof(...integrationTypes.map(validBody));
