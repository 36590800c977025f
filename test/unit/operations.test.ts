// The route table: one handler per spec operation (named like its operationId), and path matching.
import { describe, expect, it } from 'vitest';
import { rulesFromSpec } from '../../src/integration-model.js';
import { allowedMethods, HTTP_METHODS, matchRoute, operationFor, operationsOf } from '../../src/operations.js';
import { defaultConfig } from '../../src/config.js';
import { integrationHandlers } from '../../src/routes/integrations.js';
import { provisioningHandlers } from '../../src/routes/provisioning-wiring.js';
import { loadSpec, SpecSchemas } from '../../src/spec.js';

const spec = loadSpec();
const operations = operationsOf(spec);
const integration = integrationHandlers({
  spec,
  rules: rulesFromSpec(spec),
  requestSchemas: new SpecSchemas(spec, 'request'),
  now: () => 0,
  maxIntegrations: 10,
});
// As the engine builds them (src/engine/index.ts).
const handlers = { ...integration, ...provisioningHandlers({ ...defaultConfig, maxIntegrations: 10 }, spec, () => 0, integration) };
const concrete = (template: string): string => template.replace(/\{[^}]+\}/g, '7');
const specMethods = (path: string): string[] =>
  HTTP_METHODS.filter((m) => spec.paths[path]![m] !== undefined).map((m) => m.toUpperCase()).sort();

describe('operations ⇄ handlers', () => {
  it('operationsOf finds one operation per (path, method) of the spec', () => {
    const count = Object.keys(spec.paths).reduce((n, p) => n + specMethods(p).length, 0);
    expect(operations).toHaveLength(count);
    expect(count).toBeGreaterThan(0);
  });
  it('the engine\'s handlers (integrationHandlers + provisioningHandlers) have exactly one handler per spec operationId, and no other', () => {
    expect(Object.keys(handlers).sort()).toEqual(operations.map((o) => o.operationId).sort());
  });
  for (const op of operations) {
    it(`handler for ${op.operationId} is a function named ${op.operationId}`, () => {
      expect(typeof handlers[op.operationId]).toBe('function');
      expect(handlers[op.operationId]!.name).toBe(op.operationId);
    });
  }
  it('every operation lists the statuses its spec responses document', () => {
    for (const op of operations) {
      const responses = (spec.paths[op.path]![op.method.toLowerCase()] as { responses: object }).responses;
      expect(op.statuses).toEqual(Object.keys(responses));
    }
  });
});

describe('matchRoute', () => {
  for (const path of Object.keys(spec.paths)) {
    it(`matchRoute on ${concrete(path)} allows exactly the spec's methods ${specMethods(path).join(', ')}`, () => {
      for (const method of ['GET', 'PATCH']) expect([...matchRoute(operations, method, concrete(path)).allowed].sort()).toEqual(specMethods(path));
    });
  }
  for (const op of operations) {
    it(`matchRoute ${op.method} ${concrete(op.path)} finds ${op.operationId}`, () => {
      expect(matchRoute(operations, op.method, concrete(op.path)).operation?.operationId).toBe(op.operationId);
    });
    it(`matchRoute ${op.method} ${concrete(op.path)}/ (trailing slash) finds ${op.operationId}`, () => {
      expect(matchRoute(operations, op.method, `${concrete(op.path)}/`).operation?.operationId).toBe(op.operationId);
    });
  }
  it('matchRoute HEAD on a GET path finds the GET operation', () => {
    const get = operations.find((o) => o.method === 'GET')!;
    expect(matchRoute(operations, 'HEAD', concrete(get.path)).operation).toBe(get);
  });
  it('matchRoute PATCH on a documented path finds no operation but lists the allowed methods', () => {
    const path = Object.keys(spec.paths)[0]!;
    const match = matchRoute(operations, 'PATCH', concrete(path));
    expect(match.operation).toBeUndefined();
    expect(match.allowed.length).toBeGreaterThan(0);
  });
  const unknown: Array<{ given: string; path: string }> = [
    { given: 'an unknown path', path: '/rest/gitplugin/1.0/nothing' },
    { given: 'an extra segment', path: `${concrete(Object.keys(spec.paths).find((p) => p.includes('{'))!)}/extra` },
    { given: 'an empty id segment', path: '/rest/gitplugin/1.0/integration//' },
    { given: 'a path with a regex-like dot replaced', path: '/rest/gitplugin/1x0/integration' },
  ];
  for (const c of unknown) {
    it(`matchRoute on ${c.given} (${c.path}) finds nothing and allows nothing`, () => {
      expect(matchRoute(operations, 'GET', c.path)).toEqual({ operation: undefined, allowed: [] });
    });
  }
});

describe('operationFor', () => {
  const paths = [...Object.keys(spec.paths).map(concrete), '/rest/gitplugin/1.0/integration/', '/rest/gitplugin/1.0/nothing', '/REST/gitplugin/1.0/integration', '/'];
  for (const path of paths) {
    for (const method of [...HTTP_METHODS.map((m) => m.toUpperCase()), 'PROPFIND']) {
      it(`${method} ${path}: the same operation as matchRoute`, () => {
        expect(operationFor(operations, method, path)).toBe(matchRoute(operations, method, path).operation);
      });
    }
  }
  it('finds an operation for every operation of the spec, and HEAD finds GET', () => {
    for (const op of operations) expect(operationFor(operations, op.method, concrete(op.path))).toBe(op);
    const get = operations.find((o) => o.method === 'GET')!;
    expect(operationFor(operations, 'HEAD', concrete(get.path))).toBe(get);
  });
});

describe('allowedMethods (the Allow header)', () => {
  const cases: Array<{ path: string; want: string[] }> = [
    { path: '/rest/gitplugin/1.0/integration', want: ['GET', 'POST', 'HEAD', 'OPTIONS'] },
    { path: '/rest/gitplugin/1.0/integration/7', want: ['GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'] },
    { path: '/rest/gitplugin/1.0/repository/7/disable', want: ['PUT', 'OPTIONS'] },
    { path: '/rest/gitplugin/1.0/nothing', want: [] },
  ];
  for (const c of cases) {
    it(`allowedMethods ${c.path} is ${c.want.join(', ') || 'empty'}: the spec's methods, HEAD where GET is, then OPTIONS`, () => {
      expect(allowedMethods(operations, c.path)).toEqual(c.want);
    });
  }
});
