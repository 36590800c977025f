// The generated request unions (src/generated/request-types.d.ts): up to date with the spec, refusing the
// bodies test/types/integration-request.ts marks @ts-expect-error, accepting every published example,
// and failing that type test when a rule is dropped from the spec. Compiled with the TypeScript API.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import openapiTS, { astToString } from 'openapi-typescript';
import { parse } from 'yaml';
import { generateRequestTypes } from '../../scripts/generate-request-types.js';
import { asObject, requestSchemas, resolve, type Schema } from '../../scripts/request-types/rules.js';
import { projectRoot } from '../../src/spec.js';
import { typeProblems } from '../helpers/compile-types.js';

const GENERATED = 'src/generated/request-types.d.ts';
const TYPE_TEST = 'test/types/integration-request.ts';
const readSpec = () => parse(readFileSync(join(projectRoot, 'openapi', 'openapi.yaml'), 'utf8')) as Schema;
const spec = readSpec();
const unions = new Set(requestSchemas(spec).map((s) => s.name));

interface DocExample { name: string; body?: unknown }
const vendor = JSON.parse(readFileSync(join(projectRoot, 'test', 'fixtures', 'vendor-examples.json'), 'utf8')) as DocExample[];

/** The request schema of the operation a vendor example names ("POST /rest/…/integration - …"). */
function requestSchemaOf(method: string, path: string): string | undefined {
  const bare = path.split('?')[0]!.replace(/\.json$/, '');
  for (const [template, item] of Object.entries(asObject(spec.paths))) {
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (!pattern.test(bare)) continue;
    const body = resolve(spec, asObject(asObject(asObject(item)[method.toLowerCase()]).requestBody));
    const ref = asObject(asObject(asObject(body.content)['application/json']).schema).$ref;
    return typeof ref === 'string' ? ref.split('/').pop() : undefined;
  }
  return undefined;
}

/** Every published request body of an operation whose schema has a union: the vendor's and the spec's own. */
function publishedBodies(): Array<{ label: string; union: string; body: unknown }> {
  const found: Array<{ label: string; union: string; body: unknown }> = [];
  for (const ex of vendor) {
    const [method, path] = ex.name.split(' ');
    const schema = ex.body && method && path ? requestSchemaOf(method, path) : undefined;
    if (schema && unions.has(schema)) found.push({ label: `vendor: ${ex.name}`, union: `${schema}Union`, body: ex.body });
  }
  for (const [path, item] of Object.entries(asObject(spec.paths))) {
    for (const [method, op] of Object.entries(asObject(item))) {
      const media = asObject(asObject(resolve(spec, asObject(asObject(op).requestBody)).content)['application/json']);
      const schema = String(asObject(media.schema).$ref ?? '').split('/').pop() ?? '';
      if (!unions.has(schema)) continue;
      for (const [name, example] of Object.entries(asObject(media.examples))) {
        found.push({ label: `spec: ${method.toUpperCase()} ${path} example ${name}`, union: `${schema}Union`, body: resolve(spec, asObject(example)).value });
      }
    }
  }
  return found;
}

describe('generated request types', () => {
  it(`${GENERATED} is what the generator writes from openapi.yaml (npm run generate)`, () => {
    expect(readFileSync(join(projectRoot, GENERATED), 'utf8')).toBe(generateRequestTypes(spec));
  });

  it('IntegrationRequest has one member per type, 12 in all', () => {
    const integration = requestSchemas(spec).find((s) => s.name === 'IntegrationRequest');
    expect(integration?.discriminator).toBe('type');
    expect(integration?.values).toHaveLength(12);
  });

  it(`${TYPE_TEST} compiles: each body the spec refuses is a type error, each it accepts is not`, () => {
    expect(typeProblems([TYPE_TEST])).toEqual([]);
  });

  it('every published request body (vendor pages and spec examples) satisfies its union', () => {
    const bodies = publishedBodies();
    // Every vendor body that names a type is an Add New Integration body, and each must be checked.
    const typed = vendor.filter((e) => typeof asObject(e.body).type === 'string');
    expect(bodies.filter((b) => b.label.startsWith('vendor:'))).toHaveLength(typed.length);
    expect(typed.length).toBeGreaterThanOrEqual(16);
    const names = [...new Set(bodies.map((b) => b.union))].sort();
    const file = [
      `import type { ${names.join(', ')} } from '../../src/types.js';`,
      ...bodies.flatMap((b, i) => [`// ${b.label.replace(/\n/g, ' ')}`, `export const body${i} = ${JSON.stringify(b.body)} satisfies ${b.union};`]),
    ].join('\n');
    expect(typeProblems(['test/types/published-examples.ts'], { 'test/types/published-examples.ts': file })).toEqual([]);
  });

  it('the type test fails when the spec drops the AWS awsRegion and GITHUB_SERVER origin rules', () => {
    const changed = readSpec();
    for (const rule of requestSchemas(changed).flatMap((s) => s.rules)) {
      const then = rule.then as { required?: string[] };
      if (rule.value === 'AWS') then.required = then.required?.filter((f) => f !== 'awsRegion');
      if (rule.value === 'GITHUB_SERVER') then.required = then.required?.filter((f) => f !== 'origin');
    }
    const problems = typeProblems([TYPE_TEST], { [GENERATED]: generateRequestTypes(changed) });
    const lines = readFileSync(join(projectRoot, TYPE_TEST), 'utf8').split('\n');
    // TS2578: "Unused '@ts-expect-error' directive" — the body now compiles.
    expect(problems.map((p) => `${p.code} ${lines[p.line - 1]!.trim()}`)).toEqual([
      "2578 // @ts-expect-error AWS needs awsRegion",
      "2578 // @ts-expect-error GITHUB_SERVER needs origin",
    ]);
  });
});

describe('request type generator on schemas added later', () => {
  // What another request schema with rules would look like: an enum discriminator (a value that is not an
  // identifier among them), one without an enum, and rules on a field no schema declares.
  const withMore = (): Schema => {
    const s = readSpec();
    const body = (name: string) => ({ post: { requestBody: { content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } } } });
    Object.assign(asObject(s.paths), { '/things': body('ThingRequest'), '/open': body('Open-Request'), '/bare': body('BareRules') });
    Object.assign(asObject(asObject(s.components).schemas), {
      ThingRequest: {
        type: 'object',
        properties: { kind: { enum: ['small', 'large-one'] }, size: { type: 'integer' }, unit: { type: 'string' } },
        allOf: [
          { if: { properties: { kind: { const: 'large-one' } }, required: ['kind'] }, then: { required: ['size'], properties: { unit: { const: 'm' } } } },
          { if: { properties: { size: { minimum: 10 } } }, then: { required: ['unit'] } },
        ],
      },
      'Open-Request': {
        type: 'object',
        properties: { mode: { type: 'string' }, reason: { type: 'string' } },
        allOf: [{ if: { properties: { mode: { const: 'strict' } }, required: ['mode'] }, then: { required: ['reason'] } }],
      },
      BareRules: { allOf: [{ if: { properties: { x: { const: 'a' } }, required: ['x'] }, then: { required: ['y'] } }] },
    });
    return s;
  };

  it('picks them up with no change to the generator, leaving the existing unions as they were', () => {
    const text = generateRequestTypes(withMore());
    expect(text).toContain('export interface ThingRequestByKind {');
    expect(text).toContain('  small: ThingRequestOf<"small">;');
    expect(text).toContain('  "large-one": ThingRequestOf<"large-one"> & Sent<ThingRequestFields, "size"> & { unit?: "m" };');
    expect(text).toContain('export type ThingRequestUnion = ThingRequestByKind[keyof ThingRequestByKind];');
    expect(text).toContain('export type OpenRequestUnion = OpenRequestByMode[keyof OpenRequestByMode] | OpenRequestFields;');
    expect(text).not.toContain('BareRules');
    expect(text.startsWith(generateRequestTypes(spec).trimEnd())).toBe(true);
  });

  it('what it writes for them compiles beside openapi-typescript\'s output, and refuses what their rules refuse', async () => {
    const changed = withMore();
    const openapi = astToString(await openapiTS(changed as never, { readWriteMarkers: true, defaultNonNullable: false, silent: true }));
    const use = [
      "import type { OpenRequestUnion, ThingRequestUnion } from '../../src/generated/request-types.js';",
      "export const ok: ThingRequestUnion[] = [{ kind: 'small' }, { kind: 'large-one', size: 3, unit: 'm' }];",
      '// @ts-expect-error large-one needs size',
      "export const noSize: ThingRequestUnion = { kind: 'large-one' };",
      '// @ts-expect-error large-one pins unit to m',
      "export const feet: ThingRequestUnion = { kind: 'large-one', size: 3, unit: 'ft' };",
      "export const open: OpenRequestUnion[] = [{ mode: 'strict', reason: 'r' }, { mode: 'any other' }];",
    ].join('\n');
    const problems = typeProblems(['test/types/more.ts'], { 'test/types/more.ts': use, [GENERATED]: generateRequestTypes(changed), 'src/generated/openapi.d.ts': openapi });
    expect(problems).toEqual([]);
  });
});
