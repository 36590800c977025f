// Reads the per-type rules (components.schemas.IntegrationTypeRules, one if/then per type) and the
// settings' defaults out of the spec, so the docs page can show them as tables: no docs renderer
// shows `if`/`then` faithfully, and nothing here restates a rule by hand.
type Schema = { [key: string]: unknown };

export interface TypeRule {
  readonly type: string;
  /** Extra condition of the `if` beyond the type, e.g. "pat is sent and password is not". */
  readonly when?: string;
  /** Fields every request of this type must carry. */
  readonly required: readonly string[];
  /** Alternatives: one of these field groups must be present. */
  readonly oneOf: readonly (readonly string[])[];
  /** Per-field constraints the rule adds, e.g. origin → "HostUrl: ^https?://[^\s/]+". */
  readonly constraints: readonly string[];
  /** The `origin` gij-mock stores when the request leaves it out or empty (x-default-origin). */
  readonly defaultOrigin?: string;
  /** The rule in words, the `then.description` of the spec. */
  readonly description?: string;
}

const asObject = (v: unknown): Schema => (v && typeof v === 'object' ? (v as Schema) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function resolve(spec: Schema, node: Schema): Schema {
  const ref = node.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
  return ref.slice(2).split('/').reduce<Schema>((at, key) => asObject(at[key]), spec);
}

function constraint(spec: Schema, field: string, raw: Schema): string {
  const s = resolve(spec, raw);
  const name = typeof raw.$ref === 'string' ? `${raw.$ref.split('/').pop()}: ` : '';
  const parts: string[] = [];
  if ('const' in s) parts.push(`= ${JSON.stringify(s.const)}`);
  if (typeof s.minLength === 'number') parts.push(s.minLength === 1 ? 'non-empty' : `at least ${s.minLength} characters`);
  if (typeof s.pattern === 'string') parts.push(`matches ${s.pattern}`);
  return `${field} ${name}${parts.join(', ')}`.trim();
}

function condition(ifSchema: Schema): string | undefined {
  const sent = strings(ifSchema.required).filter((f) => f !== 'type');
  const notSent = strings(asObject(ifSchema.not).required);
  const words = [...sent.map((f) => `${f} is sent`), ...notSent.map((f) => `${f} is not`)];
  return words.length ? words.join(' and ') : undefined;
}

export function typeRules(spec: Schema): TypeRule[] {
  const schemas = asObject(asObject(spec.components).schemas);
  const rules = asObject(schemas.IntegrationTypeRules).allOf;
  if (!Array.isArray(rules)) throw new Error('components.schemas.IntegrationTypeRules.allOf is missing: the docs cannot show the per-type rules');
  return rules.map((rule: Schema) => {
    const ifSchema = asObject(rule.if);
    const then = asObject(rule.then);
    const type = asObject(asObject(ifSchema.properties).type).const;
    if (typeof type !== 'string') throw new Error(`an IntegrationTypeRules entry has no if.properties.type.const: ${JSON.stringify(rule).slice(0, 120)}`);
    const props = asObject(then.properties);
    const alternatives = [...(Array.isArray(then.anyOf) ? then.anyOf : []), ...(Array.isArray(then.oneOf) ? then.oneOf : [])];
    return {
      type,
      when: condition(ifSchema),
      required: strings(then.required),
      oneOf: alternatives.map((alt) => strings(asObject(alt).required)).filter((g) => g.length > 0),
      constraints: Object.entries(props).map(([field, s]) => constraint(spec, field, asObject(s))),
      defaultOrigin: typeof then['x-default-origin'] === 'string' ? then['x-default-origin'] : undefined,
      description: typeof then.description === 'string' ? then.description : undefined,
    };
  });
}

export interface SettingDefault { readonly field: string; readonly type: string; readonly default: unknown }

/** Every field of IntegrationSettings that has a `default`, in the spec's order. */
export function settingDefaults(spec: Schema): SettingDefault[] {
  const settings = asObject(asObject(asObject(spec.components).schemas).IntegrationSettings);
  return Object.entries(asObject(settings.properties))
    .filter(([, s]) => 'default' in asObject(s))
    .map(([field, s]) => ({ field, type: String(asObject(s).type ?? ''), default: asObject(s).default }));
}

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The two tables as Markdown, for a description the renderer shows. */
export function rulesMarkdown(spec: Schema): string {
  const rows = typeRules(spec).map((r) => {
    const type = r.when ? `${code(r.type)} when ${r.when}` : code(r.type);
    const origin = r.defaultOrigin ? code(r.defaultOrigin) : r.required.includes('origin') ? '— (required)' : '—';
    return `| ${type} | ${r.required.map(code).join(', ') || '—'} | ${r.oneOf.map((g) => g.map(code).join(' + ')).join(' **or** ') || '—'} | ${cell(r.constraints.map(code).join('; ')) || '—'} | ${origin} | ${cell(r.description ?? '')} |`;
  });
  const defaults = settingDefaults(spec).map((d) => `| ${code(d.field)} | ${d.type} | ${code(JSON.stringify(d.default))} |`);
  return [
    '### Required fields per integration type',
    '',
    'Generated when the docs are built from `components.schemas.IntegrationTypeRules` (one `if`/`then` per type; `x-default-origin` is the stored `origin` when it is left out or empty).',
    '',
    '| type | required | and one of | constraints | `origin` when left out | rule |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    '### Defaults of the optional fields',
    '',
    'Generated from `components.schemas.IntegrationSettings`: what a field left out of Add New Integration is stored as.',
    '',
    '| field | type | default |',
    '|---|---|---|',
    ...defaults,
  ].join('\n');
}
