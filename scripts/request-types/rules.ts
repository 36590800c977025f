// Reads, for every request body schema of an OpenAPI document, its `if`/`then` rules keyed by one
// property's `const` (IntegrationRequest: one rule per `type`). Pure: the document in, plain data out.
// Nothing here names a schema, so a new request schema with such rules is picked up as it is.
export type Schema = { [key: string]: unknown };

export interface Rule {
  /** The discriminator's value the rule is for, e.g. 'AWS'. */
  readonly value: string;
  /** The rest of the `if`: the rule applies only when these fields are sent / not sent. */
  readonly whenSent: readonly string[];
  readonly whenNotSent: readonly string[];
  readonly then: Schema;
}

export interface RequestSchema {
  /** components.schemas name, e.g. 'IntegrationRequest'. */
  readonly name: string;
  readonly description?: string;
  /** The property whose `const` selects the rules, e.g. 'type'. */
  readonly discriminator: string;
  /** Every value of the discriminator, in the order of its enum (rule order when it has none). */
  readonly values: readonly string[];
  /** The discriminator has no enum: values beyond `values` are valid too. */
  readonly open: boolean;
  readonly rules: readonly Rule[];
}

export const asObject = (v: unknown): Schema => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Schema) : {});
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const SCHEMA_REF = '#/components/schemas/';

export function resolve(spec: Schema, node: Schema): Schema {
  const ref = node.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
  return resolve(spec, ref.slice(2).split('/').reduce<Schema>((at, key) => asObject(at[key]), spec));
}

/** The schema itself and every schema its `allOf` reaches, through $refs, each once. */
function allOfClosure(spec: Schema, node: Schema, seen = new Set<Schema>()): Schema[] {
  const s = resolve(spec, node);
  if (seen.has(s)) return [];
  seen.add(s);
  return [s, ...(Array.isArray(s.allOf) ? s.allOf.flatMap((part) => allOfClosure(spec, asObject(part), seen)) : [])];
}

/** Names of the component schemas some operation takes as its request body, in document order. */
export function requestSchemaNames(spec: Schema): string[] {
  const names = new Set<string>();
  for (const item of Object.values(asObject(spec.paths))) {
    for (const operation of Object.values(asObject(item))) {
      const body = resolve(spec, asObject(asObject(operation).requestBody));
      for (const media of Object.values(asObject(body.content))) {
        const ref = asObject(media).schema && asObject(asObject(media).schema).$ref;
        if (typeof ref === 'string' && ref.startsWith(SCHEMA_REF)) names.add(ref.slice(SCHEMA_REF.length));
      }
    }
  }
  return [...names];
}

/** The rule an `if`/`then` pair is, when its `if` pins one required property to a string const. */
function readRule(node: Schema): (Rule & { discriminator: string }) | undefined {
  const ifSchema = asObject(node.if);
  if (!('then' in node) || 'else' in node) return undefined;
  const required = strings(ifSchema.required);
  const pinned = Object.entries(asObject(ifSchema.properties)).filter(([key, s]) => typeof asObject(s).const === 'string' && required.includes(key));
  const known = new Set(['properties', 'required', 'not']);
  const notSchema = asObject(ifSchema.not);
  // Only conditions the types can say: other fields sent, or not sent. Anything else stays the server's check.
  if (pinned.length !== 1 || Object.keys(ifSchema).some((k) => !known.has(k)) || Object.keys(asObject(ifSchema.properties)).length !== 1) return undefined;
  if (Object.keys(notSchema).some((k) => k !== 'required')) return undefined;
  const [discriminator, pin] = pinned[0]!;
  return {
    discriminator,
    value: asObject(pin).const as string,
    whenSent: required.filter((k) => k !== discriminator),
    whenNotSent: strings(notSchema.required),
    then: asObject(node.then),
  };
}

/** Every request body schema with discriminated `if`/`then` rules, read out of the document. */
export function requestSchemas(spec: Schema): RequestSchema[] {
  const found: RequestSchema[] = [];
  for (const name of requestSchemaNames(spec)) {
    const parts = allOfClosure(spec, asObject(asObject(asObject(spec.components).schemas)[name]));
    const rules = parts.map(readRule).filter((r) => r !== undefined);
    const discriminator = rules[0]?.discriminator;
    if (!discriminator) continue;
    const own = rules.filter((r) => r.discriminator === discriminator);
    const property = parts.map((s) => asObject(s.properties)[discriminator]).find((p) => p !== undefined);
    // Rules on a field the schema does not declare have no fields type to hang on: left to the server.
    if (property === undefined) continue;
    const values = strings(resolve(spec, asObject(property)).enum);
    const description = parts[0]!.description;
    found.push({
      name,
      ...(typeof description === 'string' ? { description } : {}),
      discriminator,
      values: values.length ? values : [...new Set(own.map((r) => r.value))],
      open: values.length === 0,
      rules: own.map(({ discriminator: _, ...rule }) => rule),
    });
  }
  return found;
}
