// The Repositories and Reindex handlers through the engine's OperationCall (no HTTP yet): the provisioning
// story as a client drives it, with a fixed clock moved by hand, deterministic to the id; answers checked
// against the spec's response schemas.
import { describe, expect, it } from 'vitest';
import type { HandlerResult, OperationCall } from '../../src/engine/types.js';
import { ApiError } from '../../src/errors.js';
import { rulesFromSpec } from '../../src/integration-model.js';
import { planAdvance } from '../../src/provisioning.js';
import { repositoryHandlers } from '../../src/routes/repositories.js';
import { SessionStores } from '../../src/sessions.js';
import { loadSpec, SpecSchemas } from '../../src/spec.js';

const spec = loadSpec();
const schemas = new SpecSchemas(spec, 'response');
const limits = { delayMs: 100, maxThreads: 100, maxQueue: 1000 };

function server(clock = 1_000_000) {
  const sessions = new SessionStores();
  const warnings: string[] = [];
  const handlers = repositoryHandlers({ now: () => clock, limits, clockRuns: false, rules: rulesFromSpec(spec), maxIntegrations: 100 });
  const call = (op: string, parts: Partial<Pick<OperationCall, 'params' | 'query' | 'body'>> = {}): unknown => {
    const c: OperationCall = {
      store: sessions.read('s'), session: 's', params: {}, query: {}, body: undefined, ...parts,
      commit: (change) => sessions.apply(change('s')), warn: (w) => warnings.push(...w),
    };
    const result = handlers[op]!(c) as HandlerResult;
    return 'json' in result ? result.json : undefined;
  };
  // A control call under --clock: the queue moves by steps.
  const step = (steps: number) => { const plan = planAdvance(sessions.read('s'), { steps }, limits); if (plan) sessions.apply(plan('s')); };
  return { call, step, warnings };
}
const valid = (schema: string, value: unknown) => {
  const check = schemas.validator(`/components/schemas/${schema}`);
  expect(check(value), JSON.stringify(check.errors)).toBe(true);
  return value as Record<string, unknown>;
};

describe('provisioning story through the handlers (fixed clock)', () => {
  it('add integration → its repositories indexed → disable one → reindex → poll until finished → remove: cascade seen', () => {
    const s = server();
    valid('IntegrationSavedResponse', s.call('addIntegration', { body: { type: 'GITHUB', pat: 'secret' } }));
    const listed = valid('RepositoryListResponse', s.call('listRepositories')).repositories as Array<Record<string, unknown>>;
    expect(listed.map((r) => [r.id, r.displayName, r.state])).toEqual([[2, 'test-repo', 'QUEUED'], [3, 'acme', 'QUEUED'], [4, 'applanix-site-viewer', 'QUEUED']]);
    expect(JSON.stringify(listed)).not.toContain('secret');

    // Nothing moves under --clock until a control call; six steps index all three.
    expect(valid('ReindexStatusResponse', s.call('getReindexStatus'))).toMatchObject({ finished: false, lastOperationPercent: 0 });
    s.step(6);
    expect(valid('ReindexStatusResponse', s.call('getReindexStatus'))).toEqual({ success: true, finished: true, messages: { 'Indexing test-repo': 100, 'Indexing acme': 100, 'Indexing applanix-site-viewer': 100 }, errors: {}, lastOperationPercent: 100 });

    valid('SuccessResponse', s.call('setIntegrationDisabled', { params: { repoId: '3' }, query: { disable: 'true' } }));
    expect(() => s.call('startReindex', { body: { repoId: 3 } })).toThrow('Repository 3 is disabled');
    const started = valid('ReindexStartedResponse', s.call('startReindex', { body: { repoId: 2 } }));
    expect(started).toEqual({ success: true, finished: false, threadId: '00000000-0000-4000-8000-000000000001' });
    let polls = 0;
    for (; polls < 10; polls++) {
      const status = valid('ReindexStatusResponse', s.call('getReindexStatus', { query: { threadId: started.threadId as string } }));
      if (status.finished) break;
      s.step(1);
    }
    expect(polls).toBe(2);
    const afterReindex = (s.call('listRepositories') as { repositories: Array<Record<string, unknown>> }).repositories;
    expect(afterReindex.map((r) => [r.id, r.disabled, r.lastIndexedDate])).toEqual([[2, false, 1_000_400], [3, true, 1_000_200], [4, false, 1_000_300]]);

    valid('SuccessResponse', s.call('removeIntegration', { params: { integrationId: '1' }, query: { deleteFiles: 'true' } }));
    const pending = (s.call('listRepositories') as { repositories: Array<Record<string, unknown>> }).repositories;
    expect(pending.map((r) => [r.id, r.disabled])).toEqual([[2, true], [3, true], [4, true]]);
    expect(() => s.call('updateRepository', { body: { id: 2, displayName: 'x' } })).toThrow('Repository with id=2 does not exist');
    s.step(6);
    expect(s.call('listRepositories')).toEqual({ success: true, repositories: [] });
  });

  it('a standalone repository: R2 bare answer, R3 nested rules with warnings, R4, projectKey filtering', () => {
    const s = server();
    const added = valid('Repository', s.call('addRepository', { body: { origin: 'https://github.com/johnsmith/test-repo.git', pat: 'tok', global: false, projectMappingIds: [10000] } }));
    expect(added).toMatchObject({ id: 1, realRoot: '1_test-repo', state: 'QUEUED', supportsBranchCreationApi: false });
    const updated = valid('Repository', s.call('updateRepository', { body: { id: 1, displayName: 'Tool', disabled: true } }));
    expect(updated).toMatchObject({ displayName: 'Tool', disabled: false });
    expect(s.warnings[0]).toMatch(/^disabled is not applied/);
    expect((s.call('listRepositories', { query: { projectKey: 'TEST' } }) as { repositories: unknown[] }).repositories).toHaveLength(1);
    expect(() => s.call('listRepositories', { query: { projectKey: 'NOPE' } })).toThrow('Project with key=NOPE does not exist');
    expect(() => s.call('listRepositories', { query: { projectKey: 'TEST', all: 'true' } })).toThrow(ApiError);
    valid('SuccessResponse', s.call('removeRepository', { query: { id: '1' } }));
    expect(() => s.call('removeRepository', { query: { id: '1' } })).toThrow('Repository with id=1 does not exist');
    expect(() => s.call('getReindexStatus', { query: { threadId: '00000000-0000-4000-8000-000000000009' } })).toThrow('Reindex thread 00000000-0000-4000-8000-000000000009 does not exist');
  });
});

describe('POST /__mock/index and PUT /__mock/hosts (control functions)', () => {
  it('the clock moves only by a control call; a custom catalogue is what the next integration discovers', async () => {
    const { advanceIndex, indexAnswer, setHosts } = await import('../../src/mock/provisioning-controls.js');
    const sessions = new SessionStores();
    sessions.apply(setHosts('s', { byType: { GITLAB: [{ name: 'only', group: 'g' }] } }));
    // --clock 1e12: queued at the fixed time, and {ms: 100} counts from there.
    const handlers = repositoryHandlers({ now: () => 1e12, limits, clockRuns: false, rules: rulesFromSpec(spec), maxIntegrations: 10 });
    const c = (op: string, body?: unknown) => handlers[op]!({ store: sessions.read('s'), session: 's', params: {}, query: {}, body, commit: (ch) => sessions.apply(ch('s')), warn: () => {} });
    c('addIntegration', { type: 'GITLAB', pat: 'p' });
    expect(sessions.read('s').repositories.records().map((r) => r.fields.displayName)).toEqual(['only']);
    // A fresh session's idle queue stands at the server's present, not at 0.
    expect(indexAnswer(sessions.read('fresh'), limits, 1e12)).toEqual({ success: true, clock: 1e12, idle: true });
    expect(() => advanceIndex(sessions.read('s'), { ms: -1 }, limits, 1e12)).toThrow('ms must be an integer from 0 to 86400000');
    const plan = advanceIndex(sessions.read('s'), { ms: 100 }, limits, 1e12);
    sessions.apply(plan!('s'));
    expect(indexAnswer(sessions.read('s'), limits, 1e12)).toEqual({ success: true, clock: 1e12 + 100, idle: true });
    expect(sessions.read('s').repositories.records()[0]).toMatchObject({ state: 'UPDATED', lastIndexedDate: 1e12 + 100 });
    expect(() => setHosts('s', { byType: { NOPE: [] } })).toThrow(/not an integration type/);
  });
});

describe('the spec story examples are what the handlers answer', () => {
  it('add the fullGithub integration at the story clock: the list and the added repository equal their examples', () => {
    const examples = (spec.components as unknown as { examples: Record<string, { value: unknown }> }).examples;
    const sessions = new SessionStores();
    const handlers = repositoryHandlers({ now: () => 1626070678087, limits, clockRuns: false, rules: rulesFromSpec(spec), maxIntegrations: 10 });
    const c = (op: string, body?: unknown) => (handlers[op]!({ store: sessions.read('s'), session: 's', params: {}, query: {}, body, commit: (ch) => sessions.apply(ch('s')), warn: () => {} }) as { json: unknown }).json;
    c('addIntegration', examples.AddFullGithubRequest!.value);
    expect(c('listRepositories')).toEqual(examples.RepositoryListStoryResponse!.value);
    expect(c('addRepository', examples.RepositoryAddRequest!.value)).toEqual(examples.RepositoryAddedStoryResponse!.value);
    expect(c('startReindex', examples.ReindexStoryRequest!.value)).toEqual(examples.ReindexStartedStoryResponse!.value);
    const threadId = (examples.ReindexStartedStoryResponse!.value as { threadId: string }).threadId;
    const status = handlers.getReindexStatus!({ store: sessions.read('s'), session: 's', params: {}, query: { threadId }, body: undefined, commit: (ch) => sessions.apply(ch('s')), warn: () => {} }) as { json: unknown };
    expect(status.json).toEqual(examples.ReindexStatusStoryResponse!.value);
  });
});
