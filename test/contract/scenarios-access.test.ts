// Who gets in (401/403/200 by Basic and Bearer), many clients at once, and a Jira context path.
import { describe, expect, it } from 'vitest';
import { SpecSchemas } from '../../src/spec.js';
import { expectContract, spec } from '../helpers/contract.js';
import { expectForbidden, expectUnauthorized, unindexed } from '../helpers/expectations.js';
import { example, Fixture, HAS_USER, mine, REMOTE, runId, useFixture, VIA_PRISM, WRONG_TOKEN, type AddBody, type Schemas } from '../helpers/fixture.js';
import { call } from '../helpers/http.js';

const fx = useFixture();
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const list = (auth: string | null) => fx.call('GET', '/integration', { auth });
const env = process.env;

describe('scenarios: authentication and authorisation', () => {
  // Prism checks that credentials are present itself and answers their absence with its own 401.
  it.skipIf(VIA_PRISM)('GET /integration without credentials responds 401 with a WWW-Authenticate challenge', async () => {
    expectUnauthorized('listIntegrations', await list(null));
  });

  it('POST /integration with the Basic credentials of an unknown user responds 401', async () => {
    const res = await fx.call('POST', '/integration', { body: mine(example<AddBody>('AddGithubRequest')), auth: basic(`nobody-${runId}`, 'wrong') });
    expectUnauthorized('addIntegration', res);
  });

  it('GET /integration with an unknown personal access token responds 401', async () => {
    expectUnauthorized('listIntegrations', await list(WRONG_TOKEN));
  });

  // Remotely the non-administrator's credentials come from GIJ_USER; without it there is none.
  it.skipIf(!HAS_USER)('GET /integration as a non-administrator by Basic responds 403', async () => {
    expectForbidden('listIntegrations', await list(fx.target.user!));
  });

  // Only the in-process server's token of the non-administrator (user-token) is known here.
  it.skipIf(REMOTE)('GET /integration with a non-administrator token responds 403', async () => {
    expectForbidden('listIntegrations', await list('Bearer user-token'));
  });

  // With GIJ_ADMIN_TOKEN a remote run knows the administrator only by token.
  it.skipIf(REMOTE && Boolean(env.GIJ_ADMIN_TOKEN))('POST /integration as an administrator by Basic responds 200', async () => {
    expect(fx.target.admin).toMatch(/^Basic /);
    expect((await fx.add(mine(example<AddBody>('AddGitlabRequest')))).integrationType).toBe('GITLAB');
  });

  // Remotely the administrator's token comes from GIJ_ADMIN_TOKEN; without it there is none.
  it.skipIf(REMOTE && !env.GIJ_ADMIN_TOKEN)('POST /integration as an administrator by Bearer token responds 200', async () => {
    const res = await fx.call('POST', '/integration', { body: mine(example<AddBody>('AddVstsRequest')), auth: fx.target.adminBearer! });
    expectContract('addIntegration', res, 200);
    fx.created.add((res.body as Schemas['IntegrationSavedResponse']).integration.id);
  });
});

describe('scenarios: many clients', () => {
  it('100 parallel adds get 100 distinct ids, all in the list', async () => {
    const body = example<AddBody>('AddGithubRequest');
    const added = await Promise.all(Array.from({ length: 100 }, () => fx.add(mine(body))));
    const ids = new Set(added.map((i) => i.id));
    expect(ids.size).toBe(100);
    const listed = new Set((await fx.list()).map((i) => i.id));
    for (const id of ids) expect(listed).toContain(id);
  });
});

describe('scenarios: a Jira context path', () => {
  // A remote server's context path is part of GIJ_BASE_URL; only an in-process target can be started with one.
  it.skipIf(REMOTE)("a target started with contextPath '/jira' serves under /jira and answers 404 without it", async () => {
    const jira = new Fixture();
    await jira.start({ contextPath: '/jira' });
    try {
      expect(jira.target.baseUrl).toMatch(/\/jira$/);
      const added = await jira.add(mine(example<AddBody>('AddGithubRequest')));
      expect(unindexed(await jira.get(added.id))).toEqual(unindexed(added));
      const bare = { ...jira.target, baseUrl: jira.target.baseUrl.replace(/\/jira$/, '') };
      const res = await call(bare, 'GET', '/integration');
      // Not an operation's answer (no route matched), so no operation's coverage: checked as the envelope.
      expect(res.status).toBe(404);
      const validate = new SpecSchemas(spec, 'response').validator('/components/schemas/ErrorResponse');
      expect(validate(res.body), JSON.stringify(validate.errors)).toBe(true);
      expect(JSON.stringify(res.body)).toContain('No operation at GET /rest/gitplugin/1.0/integration');
      // Another prefix of the same length is not the context path either, with or without credentials.
      const other = { ...jira.target, baseUrl: jira.target.baseUrl.replace(/\/jira$/, '/xyzw') };
      for (const auth of [undefined, null]) {
        const wrong = await call(other, 'GET', '/integration', { auth });
        expect(wrong.status).toBe(404);
        expect(validate(wrong.body), JSON.stringify(validate.errors)).toBe(true);
      }
    } finally {
      await jira.target.close();
    }
  });
});
