// The docs build: the per-type rules table is read from the spec's if/then rules, and a page that
// would load anything from the network is refused.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { networkReferences } from '../../scripts/build-docs.js';
import { pageSpec, renderPage } from '../../scripts/docs/page.js';
import { rulesMarkdown, settingDefaults, typeRules } from '../../scripts/docs/type-rules.js';
import { projectRoot } from '../../src/spec.js';

type Schema = Record<string, unknown>;
const real = parse(readFileSync(join(projectRoot, 'openapi', 'openapi.yaml'), 'utf8')) as Schema;
const schemasOf = (s: Schema) => (s.components as { schemas: Record<string, Schema> }).schemas;

const given = (rules: unknown[]): Schema => ({
  components: { schemas: { HostUrl: { type: 'string', minLength: 1, pattern: '^https?://' }, IntegrationTypeRules: { allOf: rules } } },
});

describe('typeRules', () => {
  const cases: { name: string; rule: unknown; want: Schema }[] = [
    {
      name: 'required, anyOf alternatives and x-default-origin',
      rule: { if: { properties: { type: { const: 'A' } }, required: ['type'] }, then: { description: 'A needs pat.', 'x-default-origin': 'https://a.example', anyOf: [{ required: ['pat'] }, { required: ['username', 'password'] }] } },
      want: { type: 'A', required: [], oneOf: [['pat'], ['username', 'password']], defaultOrigin: 'https://a.example', description: 'A needs pat.', when: undefined },
    },
    {
      name: 'a $ref constraint names the referenced schema and its rules',
      rule: { if: { properties: { type: { const: 'B' } } }, then: { required: ['origin'], properties: { origin: { $ref: '#/components/schemas/HostUrl' } } } },
      want: { type: 'B', required: ['origin'], constraints: ['origin HostUrl: non-empty, matches ^https?://'] },
    },
    {
      name: 'an if with more than the type becomes a "when" condition',
      rule: { if: { properties: { type: { const: 'C' } }, required: ['type', 'pat'], not: { required: ['password'] } }, then: { properties: { username: { const: 'all' } } } },
      want: { type: 'C', when: 'pat is sent and password is not', constraints: ['username = "all"'] },
    },
  ];
  for (const c of cases) {
    it(`typeRules with ${c.name} reads it`, () => {
      expect(typeRules(given([c.rule]))[0]).toMatchObject(c.want);
    });
  }

  it('typeRules without IntegrationTypeRules throws', () => {
    expect(() => typeRules({ components: { schemas: {} } })).toThrow(/IntegrationTypeRules/);
  });

  it('typeRules on the real spec covers the 12 types with the spec\'s own required lists', () => {
    const rules = typeRules(real);
    const enumTypes = schemasOf(real).IntegrationType!.enum as string[];
    expect(new Set(rules.map((r) => r.type))).toEqual(new Set(enumTypes));
    const raw = (schemasOf(real).IntegrationTypeRules!.allOf as { then: { required?: string[] } }[]);
    expect(rules.map((r) => r.required)).toEqual(raw.map((r) => r.then.required ?? []));
    expect(rules.find((r) => r.type === 'GITHUB')?.defaultOrigin).toBe('https://api.github.com');
  });

  it('settingDefaults on the real spec lists every IntegrationSettings field with a default', () => {
    const props = schemasOf(real).IntegrationSettings!.properties as Record<string, Schema>;
    const want = Object.entries(props).filter(([, s]) => 'default' in s).map(([f, s]) => [f, s.default]);
    expect(settingDefaults(real).map((d) => [d.field, d.default])).toEqual(want);
    expect(want.length).toBeGreaterThan(5);
  });
});

describe('pageSpec', () => {
  it('pageSpec adds the generated tables to the operation that takes IntegrationRequest, and leaves the source spec alone', () => {
    const before = JSON.stringify(real);
    const shown = pageSpec(real) as { paths: Record<string, Record<string, { description?: string }>> };
    expect(shown.paths['/rest/gitplugin/1.0/integration']!.post!.description).toContain(rulesMarkdown(real));
    expect(shown.paths['/rest/gitplugin/1.0/integration']!.get!.description).not.toContain('Required fields per integration type');
    expect(JSON.stringify(real)).toBe(before);
  });

  it('pageSpec on a spec without per-type rules (the mock controls) changes nothing', () => {
    const admin = parse(readFileSync(join(projectRoot, 'openapi', 'mock-admin.yaml'), 'utf8')) as Schema;
    expect(pageSpec(admin)).toEqual(admin);
  });
});

describe('networkReferences', () => {
  it('networkReferences on the rendered page finds nothing', () => {
    expect(networkReferences(renderPage(pageSpec(real), 't'))).toEqual([]);
  });
  const bad = [
    '<script src="https://unpkg.com/x.js"></script>',
    '<link rel="stylesheet" href="//example.org/a.css">',
    '<style>@import url("https://example.org/a.css");</style>',
    '<style>body{background:url(https://example.org/a.png)}</style>',
    '<script>const u = "https://cdn.jsdelivr.net/npm/x"</script>',
  ];
  for (const html of bad) {
    it(`networkReferences on ${html.slice(0, 40)}… reports it`, () => {
      expect(networkReferences(html).length).toBeGreaterThan(0);
    });
  }
});
