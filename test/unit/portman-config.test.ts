// test/examples/portman-config.yaml runs the example story in document order (the spec's first examples) and the
// provisioning story as integrationTests, names only operations the spec has, and logs in as the stub's administrator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_USERS } from '../../src/config.js';
import { operationsOf } from '../../src/operations.js';
import { loadSpec, projectRoot } from '../../src/spec.js';
import { EXAMPLE_STORY } from '../../scripts/example-requests.js';

interface PortmanConfig {
  globals: { securityOverwrites: { basic: { username: string; password: string } } };
  tests: {
    variationTests: Array<{ openApiOperation: string; openApiResponse: string }>;
    integrationTests: Array<{ name: string; operations: Array<{ openApiOperationId: string }> }>;
  };
}
const config = parse(readFileSync(join(projectRoot, 'test', 'examples', 'portman-config.yaml'), 'utf8')) as PortmanConfig;
const operations = operationsOf(loadSpec());
const story = (name: string) => config.tests.integrationTests.find((t) => t.name.startsWith(name))!.operations.map((o) => o.openApiOperationId);

describe('portman-config.yaml', () => {
  it('runs every operation of the spec in the example story\'s order, and the provisioning story past the integration', () => {
    expect(story('Example story')).toEqual(EXAMPLE_STORY);
    expect([...EXAMPLE_STORY].sort()).toEqual(operations.map((o) => o.operationId).sort());
    expect(story('Provisioning story')).toEqual(expect.arrayContaining(['addIntegration', 'listRepositories', 'setIntegrationDisabled', 'startReindex', 'getReindexStatus', 'removeIntegration']));
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
