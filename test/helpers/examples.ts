// Request bodies and per-type facts read from openapi.yaml itself (never restated in a test).
import type { components } from '../../src/generated/openapi.js';
import { spec } from './contract.js';
import { runId } from './target.js';

type IntegrationType = components['schemas']['IntegrationType'];
export type Body = Record<string, unknown>;
export type AddBody = Body & { type: IntegrationType };

const examples = (spec.components as { examples?: Record<string, { value: unknown }> }).examples ?? {};

/** A copy of the value of `components.examples[name]`. */
export function example<T extends Body = Body>(name: string): T {
  const found = examples[name];
  if (!found) throw new Error(`openapi.yaml has no example ${name}`);
  return structuredClone(found.value) as T;
}

/** Every `Add…Request` example of the spec, by name. */
export const addExamples: ReadonlyArray<{ name: string; body: AddBody }> = Object.keys(examples)
  .filter((name) => /^Add\w*Request$/.test(name))
  .map((name) => ({ name, body: example<AddBody>(name) }));

type TypeRule = { if: { properties: { type: { const: string } } }; then: { 'x-default-origin'?: string } };
const typeRules = (spec.components.schemas.IntegrationTypeRules?.allOf ?? []) as TypeRule[];

/** The spec's `x-default-origin` of a cloud type (with `{awsRegion}` filled in), if it has one. */
export function defaultOrigin(type: IntegrationType, awsRegion = ''): string | undefined {
  const rule = typeRules.find((r) => r.if.properties.type.const === type && r.then['x-default-origin']);
  return rule?.then['x-default-origin']?.replace('{awsRegion}', awsRegion);
}

let named = 0;
/** The body with this run's id and a serial number in displayName: a name no other body gets. */
export function mine<T extends Body>(body: T): T {
  const base = typeof body.displayName === 'string' && body.displayName ? body.displayName : String(body.type ?? 'gij');
  return { ...body, displayName: `${base} ${runId}-${++named}` };
}
