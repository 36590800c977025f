// Single mutations that break exactly one rule of a valid add body, each derived from the spec: a wrong
// JSON type, a dropped required field, a value out of range, a value outside an enum, an unknown field.
import fc from 'fast-check';
import { fieldSchema, requirementsOf, resolve, settingsProps, typeRuleOf, type Body } from './arbitraries.js';
import type { JsonSchema } from '../../src/spec.js';

export interface Mutation {
  readonly kind: 'wrongType' | 'dropRequired' | 'outOfRange' | 'badEnum' | 'unknownField';
  /** which rule the mutation breaks, for the failure report */
  readonly rule: string;
  /** the field(s) the error text should name (any one of them) */
  readonly fields: readonly string[];
  readonly body: Body;
}

const typeSchema = resolve({ $ref: '#/components/schemas/IntegrationType' });
const schemaOf = (type: string, field: string): JsonSchema => (field === 'type' ? typeSchema : fieldSchema(type, field));
const fields = ['type', ...Object.keys(settingsProps)];

const SAMPLES: unknown[] = ['text', 12, 1.5, true, null, [], {}];
function hasType(type: unknown, value: unknown): boolean {
  if (value === null) return type === 'null';
  if (Array.isArray(value)) return type === 'array';
  if (typeof value === 'number') return type === 'number' || (type === 'integer' && Number.isInteger(value));
  return typeof value === type;
}

/** Sets a property as an own, enumerable one (so `__proto__` is sent as a key, not a prototype). */
function withField(body: Body, field: string, value: unknown): Body {
  const copy: Body = { ...body };
  Object.defineProperty(copy, field, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}
function without(body: Body, drop: readonly string[]): Body {
  return Object.fromEntries(Object.entries(body).filter(([k]) => !drop.includes(k)));
}

function wrongType(body: Body): fc.Arbitrary<Mutation> {
  return fc.constantFrom(...fields).chain((field) => {
    const wrong = SAMPLES.filter((v) => !hasType(schemaOf(String(body.type), field).type, v));
    return fc.constantFrom(...wrong).map((value) => ({ kind: 'wrongType', rule: `wrong JSON type for ${field}`, fields: [field], body: withField(body, field, value) }));
  });
}

function dropRequired(body: Body): fc.Arbitrary<Mutation> {
  const { required, alternatives } = requirementsOf(String(body.type));
  const groups: string[][] = [['type'], ...required.map((f) => [f])];
  // Dropping one alternative is fine when another is there; dropping all of them breaks the rule.
  if (alternatives.length) groups.push([...new Set(alternatives.flat())]);
  return fc.constantFrom(...groups).map((drop) => ({ kind: 'dropRequired', rule: `missing required ${drop.join('/')}`, fields: drop, body: without(body, drop) }));
}

/** A string of exactly `length` characters that still matches the field's pattern, so only the length is wrong. */
function tooLong(length: number, pattern: unknown): string {
  const candidates = ['', '/', 'http://'].map((prefix) => prefix + 'a'.repeat(length - prefix.length));
  return candidates.find((c) => typeof pattern !== 'string' || new RegExp(pattern, 'u').test(c)) ?? candidates[0]!;
}

function outOfRange(body: Body): fc.Arbitrary<Mutation[]> {
  const type = String(body.type);
  const out: Mutation[] = [];
  const narrowed = Object.keys(typeRuleOf(type).properties ?? {});
  for (const field of new Set([...Object.keys(settingsProps), ...narrowed])) {
    const s = schemaOf(type, field);
    const add = (rule: string, value: unknown) => out.push({ kind: 'outOfRange', rule: `${field} ${rule}`, fields: [field], body: withField(body, field, value) });
    if (s.type === 'integer' && typeof s.minimum === 'number') add('below minimum', s.minimum - 1);
    if (s.type === 'integer' && typeof s.maximum === 'number') add('above maximum', s.maximum + 1);
    if (s.type === 'string' && typeof s.maxLength === 'number') add('too long', tooLong(s.maxLength + 1, s.pattern));
    if (s.type === 'string' && typeof s.minLength === 'number' && s.minLength > 0) add('too short', 'a'.repeat(s.minLength - 1));
    if (s.type === 'array') {
      const items = resolve(s.items as JsonSchema);
      if (typeof items.minimum === 'number') add('item below minimum', [items.minimum - 1]);
      if (typeof items.maximum === 'number') add('item above maximum', [items.maximum + 1]);
      if (typeof s.maxItems === 'number') add('too many items', Array.from({ length: s.maxItems + 1 }, (_, i) => Number(items.minimum ?? 0) + i));
    }
  }
  return fc.constant(out);
}

function badEnum(body: Body): fc.Arbitrary<Mutation> {
  const enumFields = fields.filter((f) => Array.isArray(schemaOf(String(body.type), f).enum));
  return fc.constantFrom(...enumFields).chain((field) => {
    const allowed = schemaOf(String(body.type), field).enum as string[];
    const near = fc.constantFrom(...allowed).map((v) => (v.toLowerCase() === v ? v.toUpperCase() : v.toLowerCase()));
    return fc.oneof(near, fc.string())
      .filter((v) => !allowed.includes(v))
      .map((value) => ({ kind: 'badEnum', rule: `${field} outside its enum`, fields: [field], body: withField(body, field, value) }));
  });
}

function unknownField(body: Body): fc.Arbitrary<Mutation> {
  const near = fc.constantFrom('__proto__', 'constructor', 'integrationType', 'id', ...Object.keys(settingsProps).map((k) => k.toLowerCase()));
  return fc.tuple(fc.oneof(near, fc.string({ maxLength: 20 })), fc.jsonValue({ maxDepth: 2 }))
    .filter(([key]) => key !== 'type' && !(key in settingsProps))
    .map(([key, value]) => ({ kind: 'unknownField', rule: `unknown field ${JSON.stringify(key)}`, fields: [key], body: withField(body, key, value) }));
}

/** One rule-breaking variant of a valid body. */
export function mutationOf(body: Body): fc.Arbitrary<Mutation> {
  return fc.oneof(
    wrongType(body),
    dropRequired(body),
    outOfRange(body).chain((options) => fc.constantFrom(...options)),
    badEnum(body),
    unknownField(body),
  );
}
