// test/examples/portman-config.yaml runs the story in the order the spec's examples make sense, names
// only operations the spec has, and logs in as the stub's administrator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_USERS } from '../../src/config.js';
import { operationsOf } from '../../src/operations.js';
import { loadSpec, projectRoot } from '../../src/spec.js';
import { EXAMPLE_STORY } from '../../scripts/example-requests.js';

interface PortmanConfig {
  globals: { orderOfOperations: string[]; securityOverwrites: { basic: { username: string; password: string } } };
  tests: { variationTests: Array<{ openApiOperation: string; openApiResponse: string }> };
}
const config = parse(readFileSync(join(projectRoot, 'test', 'examples', 'portman-config.yaml'), 'utf8')) as PortmanConfig;
const operations = operationsOf(loadSpec());
const key = (id: string) => { const op = operations.find((o) => o.operationId === id)!; return `${op.method}::${op.path}`; };

describe('portman-config.yaml', () => {
  it('orders every operation of the spec as the example story does', () => {
    expect(config.globals.orderOfOperations).toEqual(EXAMPLE_STORY.map(key));
    expect(EXAMPLE_STORY).toHaveLength(operations.length);
  });

  it('aims every variation at an operation and a status the spec documents', () => {
    for (const v of config.tests.variationTests) {
      const matching = v.openApiOperation === '*::/*' ? operations : operations.filter((o) => `${o.method}::${o.path}` === v.openApiOperation);
      expect(matching.length, v.openApiOperation).toBeGreaterThan(0);
      for (const op of matching) expect(op.statuses, `${op.operationId} ${v.openApiResponse}`).toContain(v.openApiResponse);
    }
  });

  it('logs in as one of the stub’s default administrators', () => {
    const { username, password } = config.globals.securityOverwrites.basic;
    expect(DEFAULT_USERS.find((u) => u.name === username && u.password === password)?.administrator).toBe(true);
  });
});
