// The request an example-driven tool (Portman, Dredd, Prism) builds for an operation from openapi.yaml
// alone: every path and query parameter's `example`, and the first example of the JSON body. Used by the
// example-story tests and by the Node matrix (scripts/test-node-matrix.ts).
import type { Operation } from '../src/operations.js';
import { loadSpec } from '../src/spec.js';
import { unescapeKey } from '../src/validation-messages.js';

const spec = loadSpec();

/** The order in which the first examples form a story: the spec's document order (its Conventions say so). */
export const EXAMPLE_STORY = [
  'addIntegration', 'listIntegrations',
  'listRepositories', 'addRepository', 'updateRepository', 'removeRepository', 'startReindex', 'getReindexStatus',
  'setIntegrationDisabled', 'getIntegration', 'updateIntegration', 'removeIntegration',
] as const;

type Node = Record<string, unknown>;
interface Parameter { name: string; in: string; required?: boolean; example?: unknown; examples?: Record<string, Node> }

/** Follows a local `$ref` (`#/components/…`) until a plain node. */
export function resolve<T = Node>(node: unknown): T {
  let current = node as Node;
  for (let hops = 0; typeof current?.$ref === 'string'; hops++) {
    if (hops > 10) throw new Error(`$ref chain too long at ${String(current.$ref)}`);
    current = String(current.$ref).slice(2).split('/').reduce<Node>((at, key) => at[unescapeKey(key)] as Node, spec as Node);
  }
  return current as T;
}

/** The path-level and operation-level parameters of an operation, resolved. */
export function parametersOf(op: Operation): Parameter[] {
  const item = spec.paths[op.path] as { parameters?: unknown[] } & Node;
  const own = (item[op.method.toLowerCase()] as { parameters?: unknown[] }).parameters ?? [];
  return [...(item.parameters ?? []), ...own].map((p) => resolve<Parameter>(p));
}

/** A parameter's example: `example`, else the value of its first `examples` entry. */
export function exampleOf(p: Parameter): unknown {
  if (p.example !== undefined) return p.example;
  const first = Object.values(p.examples ?? {})[0];
  return first === undefined ? undefined : resolve<{ value: unknown }>(first).value;
}

export interface ExampleRequest { method: string; path: string; body?: unknown }

/** The request the spec's first examples make for `op`; throws naming whatever example is missing. */
export function firstExampleRequest(op: Operation): ExampleRequest {
  let path = op.path;
  const query: string[] = [];
  for (const p of parametersOf(op)) {
    const value = exampleOf(p);
    if (value === undefined) throw new Error(`${op.operationId}: parameter ${p.name} (${p.in}) has no example`);
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(String(value)));
    else if (p.in === 'query') query.push(`${encodeURIComponent(p.name)}=${encodeURIComponent(String(value))}`);
  }
  const item = spec.paths[op.path] as Node;
  const requestBody = resolve<{ content?: Record<string, { example?: unknown; examples?: Record<string, Node> }> }>(
    (item[op.method.toLowerCase()] as Node).requestBody ?? {},
  );
  const json = requestBody.content?.['application/json'];
  let body: unknown;
  if (json) {
    const first = json.example !== undefined ? { value: json.example } : Object.values(json.examples ?? {}).map((e) => resolve<{ value: unknown }>(e))[0];
    if (!first) throw new Error(`${op.operationId}: the JSON body has no example`);
    body = first.value;
  }
  return { method: op.method, path: query.length ? `${path}?${query.join('&')}` : path, body };
}
