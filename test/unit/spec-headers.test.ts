// Every 401 of both documents requires its WWW-Authenticate challenge and every 405 its Allow header,
// as the README promises; the 500 every operation documents is the error envelope.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec, projectRoot, type OpenApiDocument } from '../../src/spec.js';
import { HTTP_METHODS } from '../../src/operations.js';

type Node = Record<string, unknown>;
const REQUIRED_HEADERS: Record<string, string> = { '401': 'WWW-Authenticate', '405': 'Allow' };

function resolve(doc: OpenApiDocument, node: unknown): Node {
  let current = node as Node;
  while (typeof current?.$ref === 'string') current = String(current.$ref).slice(2).split('/').reduce<Node>((at, k) => at[k] as Node, doc as Node);
  return current;
}

/** Every (operation, status, response) of a document, responses resolved. */
function responsesOf(doc: OpenApiDocument): Array<{ where: string; status: string; response: Node }> {
  return Object.entries(doc.paths).flatMap(([path, item]) => HTTP_METHODS.flatMap((m) => {
    const op = item[m] as { responses?: Node } | undefined;
    return Object.entries(op?.responses ?? {}).map(([status, r]) => ({ where: `${m.toUpperCase()} ${path}`, status, response: resolve(doc, r) }));
  }));
}

for (const file of ['openapi.yaml', 'mock-admin.yaml']) {
  const doc = loadSpec(join(projectRoot, 'openapi', file));
  it(`${file}: every 401 requires WWW-Authenticate and every 405 requires Allow`, () => {
    const offenders = responsesOf(doc)
      .filter((r) => REQUIRED_HEADERS[r.status])
      .filter(({ status, response }) => resolve(doc, ((response.headers ?? {}) as Node)[REQUIRED_HEADERS[status]!])?.required !== true)
      .map((r) => `${r.where} ${r.status}`);
    expect(offenders).toEqual([]);
  });
}

describe('openapi.yaml 500 answers', () => {
  const spec = loadSpec();
  const all = responsesOf(spec);
  const operationsCount = new Set(all.map((r) => r.where)).size;
  it('every operation documents 500 with the ErrorResponse envelope and an example', () => {
    const fiveHundreds = all.filter((r) => r.status === '500');
    expect(fiveHundreds).toHaveLength(operationsCount);
    for (const { where, response } of fiveHundreds) {
      const json = (response.content as Record<string, Node>)['application/json']!;
      expect((json.schema as Node).$ref, where).toBe('#/components/schemas/ErrorResponse');
      expect(Object.keys((json.examples ?? {}) as Node).length, where).toBeGreaterThan(0);
    }
  });
  it('the 401 and 405 of the API are documented on some operation (the header checks above are not vacuous)', () => {
    expect(all.filter((r) => r.status === '401').length).toBeGreaterThan(0);
    expect(all.filter((r) => r.status === '405').length).toBeGreaterThan(0);
  });
});
