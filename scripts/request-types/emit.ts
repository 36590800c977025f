// Writes the request rules read by rules.ts as TypeScript: per request schema, one member type per
// discriminator value (the schema's fields, the value pinned, each rule's `then` as required fields,
// `const`/`enum` narrowings and `anyOf`/`oneOf` alternatives) and their union. What a type cannot say
// (patterns, lengths, ranges, oneOf's exclusivity) is left to the server: the types may accept a body the
// server refuses, never the reverse.
import { asObject, resolve, strings, type RequestSchema, type Rule, type Schema } from './rules.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (name: string) => (IDENTIFIER.test(name) ? name : JSON.stringify(name));
const keys = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(' | ');
const pascal = (name: string) => name.replace(/(^|[^A-Za-z0-9])([a-z])/g, (_, __, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '');

/** The literal type a property schema pins (`const`, or an `enum` of primitives), if it pins one. */
function literalType(spec: Schema, node: Schema): string | undefined {
  const s = resolve(spec, node);
  const primitive = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
  if ('const' in s && primitive(s.const)) return JSON.stringify(s.const);
  if (Array.isArray(s.enum) && s.enum.length > 0 && s.enum.every(primitive)) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  return undefined;
}

/** A `then` schema as a type over the fields type `fields`; undefined when it requires nothing a type can say. */
function thenType(spec: Schema, fields: string, node: Schema): string | undefined {
  const s = resolve(spec, node);
  const parts: string[] = [];
  const required = strings(s.required);
  if (required.length) parts.push(`Sent<${fields}, ${keys(required)}>`);
  const pinned = Object.entries(asObject(s.properties)).flatMap(([name, p]) => {
    const literal = literalType(spec, asObject(p));
    return literal ? [`${key(name)}?: ${literal}`] : [];
  });
  if (pinned.length) parts.push(`{ ${pinned.join('; ')} }`);
  for (const group of [s.anyOf, s.oneOf]) {
    if (!Array.isArray(group)) continue;
    const alternatives = group.map((alt) => thenType(spec, fields, asObject(alt)));
    // An alternative that asks nothing a type can say makes the whole group always true.
    if (alternatives.every((a) => a !== undefined)) parts.push(`(${alternatives.join(' | ')})`);
  }
  if (Array.isArray(s.allOf)) parts.push(...s.allOf.map((p) => thenType(spec, fields, asObject(p))).filter((t) => t !== undefined));
  return parts.length ? parts.join(' & ') : undefined;
}

/** A rule as a type: its `then` alone, or, when the `if` asks more than the value, "if not, or then". */
function ruleType(spec: Schema, fields: string, rule: Rule): string | undefined {
  const then = thenType(spec, fields, rule.then);
  if (!then) return undefined;
  const { whenSent, whenNotSent } = rule;
  if (!whenSent.length && !whenNotSent.length) return then;
  const condition = [
    ...(whenSent.length ? [`Sent<${fields}, ${keys(whenSent)}>`] : []),
    ...(whenNotSent.length ? [whenNotSent.length > 1 ? `(${whenNotSent.map((k) => `NotSent<${JSON.stringify(k)}>`).join(' | ')})` : `NotSent<${JSON.stringify(whenNotSent[0])}>`] : []),
  ];
  const otherwise = [...whenSent.map((k) => `NotSent<${JSON.stringify(k)}>`), ...(whenNotSent.length ? [`Sent<${fields}, ${keys(whenNotSent)}>`] : [])];
  return `(${otherwise.join(' | ')} | (${condition.join(' & ')} & ${then}))`;
}

/** A JSDoc comment of `text` (a spec description), on one line when it has one. */
function comment(text: string, indent: string): string[] {
  const lines = text.trim().replace(/\*\//g, '*\\/').split('\n');
  if (lines.length === 1) return [`${indent}/** ${lines[0]} */`];
  return [`${indent}/**`, ...lines.map((l) => `${indent} * ${l}`.trimEnd()), `${indent} */`];
}

function emitSchema(spec: Schema, r: RequestSchema): string[] {
  const base = pascal(r.name);
  const fields = `${base}Fields`;
  const of = `${base}Of`;
  const byValue = `${base}By${pascal(r.discriminator)}`;
  const d = key(r.discriminator);
  const lines = [
    `/** Every field of ${r.name}, as openapi-typescript writes it (writeOnly markers removed). */`,
    `export interface ${fields} extends Writable<components["schemas"][${JSON.stringify(r.name)}]> {}`,
    `/** ${r.name} with \`${r.discriminator}\` pinned to one value. */`,
    `export type ${of}<V extends ${fields}[${JSON.stringify(r.discriminator)}]> = Omit<${fields}, ${JSON.stringify(r.discriminator)}> & { ${d}: V };`,
    ...comment(`${r.name} by \`${r.discriminator}\`: each value with the fields its rules require.`, ''),
    `export interface ${byValue} {`,
  ];
  for (const value of r.values) {
    const rules = r.rules.filter((rule) => rule.value === value);
    const words = rules.map((rule) => rule.then.description).filter((t): t is string => typeof t === 'string');
    if (words.length) lines.push(...comment(words.join('\n'), '  '));
    const types = rules.map((rule) => ruleType(spec, fields, rule)).filter((t) => t !== undefined);
    lines.push(`  ${key(value)}: ${[`${of}<${JSON.stringify(value)}>`, ...types].join(' & ')};`);
  }
  lines.push('}');
  const summary = r.open
    ? `\`${r.discriminator}\` has no enum, so any other value is accepted with the fields alone.`
    : `As one type per \`${r.discriminator}\`: a body missing a field its \`${r.discriminator}\` requires does not compile.`;
  lines.push(...comment(`${r.description ? `${r.description.trimEnd()}\n\n` : ''}${summary}`, ''));
  lines.push(`export type ${base}Union = ${byValue}[keyof ${byValue}]${r.open ? ` | ${fields}` : ''};`);
  return lines;
}

export const GENERATED_HEADER = [
  '// Generated by scripts/generate-request-types.ts from openapi/openapi.yaml. Do not edit: run `npm run generate`.',
  '// The per-value rules (`if`/`then`) of each request body schema as a union of types, one per value.',
  '// Types say which fields are required and which values are pinned; patterns, lengths and ranges',
  '// stay the server\'s checks (a body these types accept may still answer 400, never the reverse).',
];

export function emitRequestTypes(spec: Schema, schemas: readonly RequestSchema[]): string {
  const lines = [
    ...GENERATED_HEADER,
    "import type { components, Writable } from './openapi.js';",
    '',
    '/** The fields K of T, each present and not undefined. */',
    'export type Sent<T, K extends keyof T> = { [P in K]-?: Exclude<T[P], undefined> };',
    '/** The fields K left out. */',
    'export type NotSent<K extends PropertyKey> = { [P in K]?: never };',
  ];
  for (const r of schemas) lines.push('', ...emitSchema(spec, r));
  return `${lines.join('\n')}\n`;
}
