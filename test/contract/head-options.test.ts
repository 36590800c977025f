// HEAD and OPTIONS as the spec's "Browsers" section documents them, and 421 for a foreign Host on every
// operation. HEAD is compared with the GET of the same request; both go on raw connections (fetch
// would not send a Host header of our choosing).
import { describe, expect, it } from 'vitest';
import { expectContract, expectHeadLikeGet, expectOptionsAnswer, expectOptionsError, operations, type HttpResult } from '../helpers/contract.js';
import { HAS_USER, REMOTE, useFixture, VIA_PRISM } from '../helpers/fixture.js';
import { raw } from '../hardening/support.js';

const fx = useFixture();
const FOREIGN_HOST = 'evil.example';
const concrete = (template: string, id: number) => template.replace(/\{(?:integrationId|repoId)\}/, String(id)).replace('/rest/gitplugin/1.0', '');

async function getAndHead(path: string, auth?: string | null, headers: Record<string, string> = {}): Promise<[HttpResult, HttpResult]> {
  const target = fx.target;
  const get = await raw(target, { method: 'GET', path, auth, headers });
  const head = await raw(target, { method: 'HEAD', path, auth, headers });
  return [get, head];
}

// A real Jira answers HEAD for every GET too, but Prism's proxy refuses a method the spec does not list.
describe.skipIf(VIA_PRISM)('HEAD answers like GET without a body', () => {
  const cases: Array<{ name: string; operationId: string; status: number; path: () => Promise<string>; auth?: 'none' | 'user'; host?: string; prefer?: string; skip?: boolean }> = [
    { name: 'HEAD /integration responds 200 with the headers of GET', operationId: 'listIntegrations', status: 200, path: async () => '/integration' },
    { name: 'HEAD /integration with an unknown query parameter responds 400', operationId: 'listIntegrations', status: 400, path: async () => '/integration?expand=all' },
    { name: 'HEAD /integration without credentials responds 401 with the challenge of GET', operationId: 'listIntegrations', status: 401, path: async () => '/integration', auth: 'none' },
    { name: 'HEAD /integration as a non-administrator responds 403', operationId: 'listIntegrations', status: 403, path: async () => '/integration', auth: 'user', skip: !HAS_USER },
    { name: 'HEAD /integration with a foreign Host responds 421', operationId: 'listIntegrations', status: 421, path: async () => '/integration', host: FOREIGN_HOST, skip: REMOTE },
    { name: 'HEAD /integration with Prefer code=500 responds 500 like GET', operationId: 'listIntegrations', status: 500, path: async () => '/integration', prefer: 'code=500', skip: REMOTE },
    { name: 'HEAD /repository responds 200 with the headers of GET', operationId: 'listRepositories', status: 200, path: async () => '/repository' },
    { name: 'HEAD /repository?projectKey=TEST&all=true responds 400', operationId: 'listRepositories', status: 400, path: async () => '/repository?projectKey=TEST&all=true' },
    { name: 'HEAD /repository without credentials responds 401 with the challenge of GET', operationId: 'listRepositories', status: 401, path: async () => '/repository', auth: 'none' },
    { name: 'HEAD /repository?projectKey of no project responds 404', operationId: 'listRepositories', status: 404, path: async () => '/repository?projectKey=NOPE' },
    { name: 'HEAD /repository with a foreign Host responds 421', operationId: 'listRepositories', status: 421, path: async () => '/repository', host: FOREIGN_HOST, skip: REMOTE },
    { name: 'HEAD /repository with Prefer code=500 responds 500 like GET', operationId: 'listRepositories', status: 500, path: async () => '/repository', prefer: 'code=500', skip: REMOTE },
    { name: 'HEAD /integration/{id} responds 200 with the headers of GET', operationId: 'getIntegration', status: 200, path: async () => `/integration/${(await fx.addGithub()).id}` },
    { name: 'HEAD /integration/abc responds 400', operationId: 'getIntegration', status: 400, path: async () => '/integration/abc' },
    { name: 'HEAD /integration/{id} without credentials responds 401', operationId: 'getIntegration', status: 401, path: async () => `/integration/${(await fx.addGithub()).id}`, auth: 'none' },
    { name: 'HEAD /integration/{id} as a non-administrator responds 403', operationId: 'getIntegration', status: 403, path: async () => `/integration/${(await fx.addGithub()).id}`, auth: 'user', skip: !HAS_USER },
    { name: 'HEAD /integration/{id} of an unknown id responds 404', operationId: 'getIntegration', status: 404, path: async () => `/integration/${await fx.goneId()}` },
    { name: 'HEAD /integration/{id} with a foreign Host responds 421', operationId: 'getIntegration', status: 421, path: async () => '/integration/1', host: FOREIGN_HOST, skip: REMOTE },
    { name: 'HEAD /integration/{id} with Prefer code=500 responds 500 like GET', operationId: 'getIntegration', status: 500, path: async () => `/integration/${(await fx.addGithub()).id}`, prefer: 'code=500', skip: REMOTE },
    { name: 'HEAD /index.json responds 200 with the headers of GET', operationId: 'getReindexStatus', status: 200, path: async () => '/index.json' },
    { name: 'HEAD /index.json?repoId=abc responds 400', operationId: 'getReindexStatus', status: 400, path: async () => '/index.json?repoId=abc' },
    { name: 'HEAD /index.json without credentials responds 401', operationId: 'getReindexStatus', status: 401, path: async () => '/index.json', auth: 'none' },
    { name: 'HEAD /index.json as a user without project permissions responds 403', operationId: 'getReindexStatus', status: 403, path: async () => '/index.json', auth: 'user', skip: !HAS_USER },
    { name: 'HEAD /index.json of an unknown thread responds 404', operationId: 'getReindexStatus', status: 404, path: async () => '/index.json?threadId=172' },
    { name: 'HEAD /index.json with a foreign Host responds 421', operationId: 'getReindexStatus', status: 421, path: async () => '/index.json', host: FOREIGN_HOST, skip: REMOTE },
    { name: 'HEAD /index.json with Prefer code=500 responds 500 like GET', operationId: 'getReindexStatus', status: 500, path: async () => '/index.json', prefer: 'code=500', skip: REMOTE },
  ];
  for (const c of cases) {
    it.skipIf(c.skip === true)(c.name, async () => {
      const auth = c.auth === 'none' ? null : c.auth === 'user' ? fx.target.user : undefined;
      const [get, head] = await getAndHead(await c.path(), auth, { ...(c.host ? { host: c.host } : {}), ...(c.prefer ? { prefer: c.prefer } : {}) });
      expectContract(c.operationId, get, c.status);
      expectHeadLikeGet(c.operationId, get, head);
      expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    });
  }
});

// Prism answers OPTIONS itself (its own CORS); a real Jira answers it its own way.
describe.skipIf(REMOTE)('OPTIONS answers 204 with Allow, without login', () => {
  const paths = [...new Set(operations.map((o) => o.path))];
  for (const path of paths) {
    it(`OPTIONS ${path} without credentials responds 204 with Allow naming its methods, HEAD and OPTIONS`, async () => {
      const { id } = await fx.addGithub();
      expectOptionsAnswer(path, await raw(fx.target, { method: 'OPTIONS', path: concrete(path, id), auth: null }));
    });
    it(`OPTIONS ${path} with a foreign Host responds 421`, async () => {
      expectOptionsError(path, await raw(fx.target, { method: 'OPTIONS', path: concrete(path, 1), auth: null, headers: { host: `${FOREIGN_HOST}:80` } }), 421);
    });
  }
});

describe.skipIf(REMOTE)('a foreign Host is refused on every operation', () => {
  for (const op of operations) {
    it(`${op.method} ${op.path} with Host ${FOREIGN_HOST} responds 421 and changes nothing`, async () => {
      const { id } = await fx.addGithub();
      const before = await fx.list();
      const body = op.bodyRequired ? JSON.stringify({ type: 'GITHUB', pat: 'p' }) : undefined;
      const query = op.operationId === 'setIntegrationDisabled' ? '?disable=true' : '';
      const res = await raw(fx.target, { method: op.method, path: `${concrete(op.path, id)}${query}`, headers: { host: FOREIGN_HOST, 'content-type': 'application/json' }, body });
      expectContract(op.operationId, res, 421);
      expect((res.body as { error: string }).error).toBe(`Host ${FOREIGN_HOST} is not a name gij-mock answers to`);
      expect(await fx.list()).toEqual(before);
    });
  }
});
