// The build's precompiled validators (Ajv standalone code, src/engine/precompile.ts) must validate exactly
// as the ones the engine compiles at run time, and be used only for the spec they were made from.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { precompiledSource } from '../../src/engine/precompile.js';
import { bodyKey, bodyPointer, createValidators, loadPrecompiled, parametersKey, parametersSchema, responseKey, responsePointer, type PrecompiledValidators } from '../../src/engine/validate.js';
import { operationsOf } from '../../src/operations.js';
import { loadSpec, projectRoot, type JsonSchema, type OpenApiDocument } from '../../src/spec.js';

const spec = loadSpec();
const operations = operationsOf(spec);
// Inside the repository (gitignored) so that the module's require('ajv/dist/runtime/…') resolves.
const dir = join(projectRoot, 'test-output', `precompiled-${process.pid}`);
mkdirSync(dir, { recursive: true });
const modulePath = join(dir, 'validators.cjs');
writeFileSync(modulePath, precompiledSource(spec));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const withoutMaxLength = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(withoutMaxLength);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).filter(([key]) => key !== 'maxLength').map(([key, value]) => [key, withoutMaxLength(value)]));
};

// Values of every kind for each property, so that type, format, enum, length and required problems all occur.
const VALUES: unknown[] = ['x', 'x'.repeat(3000), 'not a date', '-1', 42, -1, 1.5, true, null, [], ['a', 1], {}, { nested: 1 }];
/** Every property name the schema can reach (through $ref, allOf, items, …): readOnly and writeOnly ones too. */
function namesIn(node: unknown, seen = new Set<unknown>(), out = new Set<string>()): Set<string> {
  if (node === null || typeof node !== 'object' || seen.has(node)) return out;
  seen.add(node);
  const schema = node as JsonSchema;
  if (typeof schema.$ref === 'string') namesIn(schema.$ref.slice(2).split('/').reduce<JsonSchema>((n, k) => n[k] as JsonSchema, spec), seen, out);
  if (schema.properties && typeof schema.properties === 'object') for (const name of Object.keys(schema.properties)) out.add(name);
  for (const value of Object.values(schema)) namesIn(value, seen, out);
  return out;
}
function bodiesFor(schema: JsonSchema | undefined): unknown[] {
  const names = [...namesIn(schema)];
  const objects = VALUES.map((value) => Object.fromEntries(names.map((name) => [name, value])));
  return [...VALUES, { unknownField: 1 }, ...objects, ...objects.map((o) => [o])];
}
const at = (pointer: string) => pointer.slice(1).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~')).reduce<JsonSchema>((n, k) => n[k] as JsonSchema, spec);

describe('precompiled validators', () => {
  const module = loadPrecompiled(spec, modulePath);

  it('are used for the spec they were made from, not for another (no maxLength) or when missing', () => {
    expect(module?.specDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(loadPrecompiled(withoutMaxLength(spec) as OpenApiDocument, modulePath)).toBeUndefined();
    expect(loadPrecompiled(spec, join(dir, 'missing.cjs'))).toBeUndefined();
  });

  it('hold a validator for every schema the engine validates with', () => {
    for (const op of operations) {
      for (const where of ['path', 'query'] as const) expect(module!.parameters[parametersKey(op, where)] !== undefined, `${where} ${op.operationId}`).toBe(parametersSchema(spec, op, where) !== undefined);
      expect(module!.request[bodyKey(op)] !== undefined, op.operationId).toBe(bodyPointer(op) !== undefined);
      for (const status of op.statuses) expect(module!.response[responseKey(op, status)] !== undefined, `${status} ${op.operationId}`).toBe(responsePointer(spec, op, status) !== undefined);
    }
  });

  it('find the same problems, in the same words, as validators compiled at run time', () => {
    let calls = 0;
    const counted = (fns: Readonly<Record<string, (data: unknown) => boolean>>) =>
      new Proxy(fns, { get: (target, key) => (calls++, target[key as string]) }) as PrecompiledValidators['request'];
    const precompiled = createValidators(spec, () => ({ ...module!, parameters: counted(module!.parameters), request: counted(module!.request), response: counted(module!.response) }));
    const compiled = createValidators(spec, () => undefined);
    let compared = 0;
    for (const op of operations) {
      const pathNames = Object.keys((parametersSchema(spec, op, 'path')?.properties ?? {}) as object);
      const queryNames = Object.keys((parametersSchema(spec, op, 'query')?.properties ?? {}) as object);
      const pointer = bodyPointer(op);
      const bodies = pointer ? bodiesFor(at(pointer)) : [undefined];
      const texts = ['x', '0', '-5', '', 'abc'.repeat(100), '12345678901234567890'];
      for (const [i, body] of bodies.entries()) {
        const text = texts[i % texts.length]!;
        const view = {
          operationId: op.operationId,
          params: Object.fromEntries(pathNames.map((n) => [n, text])),
          query: Object.fromEntries(queryNames.map((n, j) => [n, (i + j) % 4 === 3 ? [text, text] : text])),
          body: structuredClone(body),
        };
        expect(precompiled.request(op)({ ...view, body: structuredClone(body) }), `${op.operationId} request ${i}`).toEqual(compiled.request(op)(view));
        compared++;
      }
      for (const status of op.statuses) {
        const answer = responsePointer(spec, op, status);
        if (!answer) continue;
        for (const [i, value] of bodiesFor(at(answer)).entries()) {
          expect(precompiled.response(op)(Number(status), value), `${op.operationId} ${status} ${i}`).toEqual(compiled.response(op)(Number(status), value));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(calls).toBeGreaterThan(0);
  });
});
