// The provisioning story on the model, with a fixed clock and the changes applied as commit() would:
// add integration → its repositories indexed → disable one → reindex it → poll until finished → remove; cascade seen.
import { describe, expect, it } from 'vitest';
import { createIntegration, rulesFromSpec, type IntegrationRequest } from '../../src/integration-model.js';
import { ApiError } from '../../src/errors.js';
import {
  planAddIntegration, planAddRepository, planAdvance, planReindex, planRemoveIntegration, planRemoveRepository,
  planSetDisabled, planUpdateRepository, queueOf, repositoryViews, type Plan,
} from '../../src/provisioning.js';
import type { QueueLimits } from '../../src/reindex-queue.js';
import { SessionStores } from '../../src/sessions.js';
import { loadSpec } from '../../src/spec.js';

const rules = rulesFromSpec(loadSpec());
const limits: QueueLimits = { delayMs: 100, maxThreads: 10, maxQueue: 10 };

function session() {
  const sessions = new SessionStores();
  const store = () => sessions.read('default');
  const commit = (plan: Plan | undefined) => { if (plan) sessions.apply(plan('default')); };
  const list = () => repositoryViews(store()).map((r) => [r.id, r.displayName, r.disabled, r.state ?? '-', r.lastIndexedDate ?? '-']);
  return { sessions, store, commit, list };
}

describe('provisioning story (fixed clock)', () => {
  it('runs deterministic to the id, from add to the cascade on removal', () => {
    const s = session();
    const integration = createIntegration({ type: 'GITHUB', pat: 'p' } as IntegrationRequest, s.store().peekNextId(), 1000, rules);
    s.commit(planAddIntegration(s.store(), integration, 1000, limits));
    expect(s.list()).toEqual([[2, 'test-repo', false, 'QUEUED', '-'], [3, 'acme', false, 'QUEUED', '-'], [4, 'applanix-site-viewer', false, 'QUEUED', '-']]);

    // Nothing moves until the clock does; then each repository takes 100 ms.
    s.commit(planAdvance(s.store(), { now: 1150 }, limits));
    expect(s.list()).toEqual([[2, 'test-repo', false, 'UPDATED', 1100], [3, 'acme', false, 'INDEXING', '-'], [4, 'applanix-site-viewer', false, 'QUEUED', '-']]);
    s.commit(planAdvance(s.store(), { now: 2000 }, limits));
    expect(s.list().map((r) => r[3])).toEqual(['UPDATED', 'UPDATED', 'UPDATED']);

    s.commit(planSetDisabled(s.store(), 3, true, 2000, limits));
    expect(s.list()[1]).toEqual([3, 'acme', true, 'UPDATED', 1200]);

    // A disabled repository cannot be reindexed; a reindex of its integration passes it by.
    expect(() => planReindex(s.store(), { repoId: 3 }, 2000, limits)).toThrow('Repository 3 is disabled: it cannot be reindexed');
    const { plan, threadId } = planReindex(s.store(), { repoId: 1 }, 2000, limits);
    s.commit(plan);
    expect(threadId).toBe('00000000-0000-4000-8000-000000000001');
    expect(queueOf(s.store(), limits).status({ threadId }, 2000)).toEqual({ threadId, finished: false, messages: { 'Indexing test-repo': 0, 'Indexing applanix-site-viewer': 0 }, errors: {}, lastOperationPercent: 0 });
    // Poll with steps, as a control call under --clock would move it.
    let polls = 0;
    for (; polls < 10; polls++) {
      const status = queueOf(s.store(), limits).status({ threadId }, queueOf(s.store(), limits).clock);
      if (typeof status === 'object' && status.finished) break;
      s.commit(planAdvance(s.store(), { steps: 1 }, limits));
    }
    expect(polls).toBe(4);
    expect(s.list()).toEqual([[2, 'test-repo', false, 'UPDATED', 2100], [3, 'acme', true, 'UPDATED', 1200], [4, 'applanix-site-viewer', false, 'UPDATED', 2200]]);
    expect(s.store().get(1)?.lastIndexedDate).toBe(2200);

    s.commit(planRemoveIntegration(s.store(), 1, true, 2200, limits));
    expect(s.store().get(1)).toBeUndefined();
    expect(s.list().map((r) => r[2])).toEqual([true, true, true]);
    s.commit(planAdvance(s.store(), { now: 2200 }, limits));
    expect(s.list()).toEqual([]);
    expect(s.store().peekNextId()).toBe(5);
  });

  it('a disabled integration shows its repositories disabled; enabling it again restores each one\'s own flag', () => {
    const s = session();
    s.commit(planAddIntegration(s.store(), createIntegration({ type: 'GITLAB', pat: 'p' } as IntegrationRequest, 1, 0, rules), 0, limits));
    s.commit(planSetDisabled(s.store(), 2, true, 2000, limits));
    s.commit(planSetDisabled(s.store(), 1, true, 2000, limits));
    expect(s.list().map((r) => r[2])).toEqual([true, true]);
    s.commit(planSetDisabled(s.store(), 1, false, 2000, limits));
    expect(s.list().map((r) => r[2])).toEqual([true, false]);
  });

  it('a standalone repository: added queued, updated, deleted (disabled until the removal runs), then gone', () => {
    const s = session();
    const { plan, record } = planAddRepository(s.store(), { origin: 'https://h/tool.git' }, 0, limits);
    s.commit(plan);
    expect(record.id).toBe(1);
    const update = planUpdateRepository(s.store(), { id: 1, displayName: 'Tool', disabled: true });
    s.commit(update.plan);
    expect(update.ignored).toEqual(['disabled']);
    s.commit(planRemoveRepository(s.store(), 1, false, 0, limits));
    expect(s.list()).toEqual([[1, 'Tool', true, 'QUEUED', '-']]);
    // Listed until the removal runs, but every call naming it answers 404 from now on.
    expect(() => planRemoveRepository(s.store(), 1, false, 0, limits)).toThrow('Repository with id=1 does not exist');
    expect(() => planUpdateRepository(s.store(), { id: 1, displayName: 'x' })).toThrow('Repository with id=1 does not exist');
    s.commit(planAdvance(s.store(), { now: 1000 }, limits));
    expect(s.list()).toEqual([]);
  });

  it('reindex of an integration rescans its host; a fault ends a repository in ERROR without lastIndexedDate', () => {
    const s = session();
    s.commit(planAddIntegration(s.store(), createIntegration({ type: 'GITHUB', pat: 'p' } as IntegrationRequest, 1, 0, rules), 0, limits));
    s.sessions.apply({ op: 'hosts', session: 'default', catalogue: { byOrigin: {}, byType: { GITHUB: [{ name: 'acme', group: 'TestOrg' }, { name: 'new', group: 'TestOrg' }] } } });
    const { plan, threadId } = planReindex(s.store(), { repoId: 1 }, 0, limits);
    s.commit(plan);
    s.commit(planAdvance(s.store(), { now: 10_000 }, limits, (id) => (id === 5 ? 'clone failed' : undefined)));
    expect(s.list()).toEqual([[3, 'acme', false, 'UPDATED', 200], [5, 'new', false, 'ERROR', '-']]);
    expect(queueOf(s.store(), limits).status({ threadId }, 10_000)).toMatchObject({ finished: true, errors: { new: 'clone failed' } });
  });

  it('a catalogue entry with indexError makes that repository end in ERROR (the fault a test sets)', () => {
    const s = session();
    s.sessions.apply({ op: 'hosts', session: 'default', catalogue: { byOrigin: {}, byType: { GITHUB: [{ name: 'ok', group: 'g' }, { name: 'broken', group: 'g', indexError: 'clone failed: 404' }] } } });
    s.commit(planAddIntegration(s.store(), createIntegration({ type: 'GITHUB', pat: 'p' } as IntegrationRequest, 1, 0, rules), 0, limits));
    s.commit(planAdvance(s.store(), { now: 1000 }, limits));
    expect(s.list()).toEqual([[2, 'ok', false, 'UPDATED', 100], [3, 'broken', false, 'ERROR', '-']]);
  });

  it('a repository disabled while it waits is not indexed; its thread finishes with the reason, the running one ends', () => {
    const s = session();
    s.commit(planAddIntegration(s.store(), createIntegration({ type: 'GITHUB', pat: 'p' } as IntegrationRequest, 1, 0, rules), 0, limits));
    s.commit(planAdvance(s.store(), { now: 1000 }, limits));
    const { plan, threadId } = planReindex(s.store(), { repoId: 1 }, 1000, limits);
    s.commit(plan);
    s.commit(planAdvance(s.store(), { steps: 1 }, limits)); // test-repo (2) starts INDEXING
    s.commit(planSetDisabled(s.store(), 3, true, 1050, limits)); // acme waits: taken off the queue
    s.commit(planSetDisabled(s.store(), 2, true, 1050, limits)); // already running: it ends as it would
    s.commit(planAdvance(s.store(), { now: 5000 }, limits));
    expect(s.list()).toEqual([[2, 'test-repo', true, 'UPDATED', 1100], [3, 'acme', true, 'UPDATED', 200], [4, 'applanix-site-viewer', false, 'UPDATED', 1200]]);
    expect(queueOf(s.store(), limits).status({ threadId }, 5000)).toMatchObject({ finished: true, errors: { acme: 'Repository 3 was disabled before it was indexed' } });
    // Disabling an integration takes all its waiting repositories off the queue.
    s.commit(planReindex(s.store(), { repoId: 4 }, 5000, limits).plan);
    s.commit(planSetDisabled(s.store(), 1, true, 5000, limits));
    expect(queueOf(s.store(), limits).idle).toBe(true);
  });

  it('unknown ids answer the documented 404; a full queue answers 507 and changes nothing', () => {
    const s = session();
    expect(() => planSetDisabled(s.store(), 9, true, 2000, limits)).toThrow(ApiError);
    expect(() => planReindex(s.store(), { repoId: 9 }, 0, limits)).toThrow('Repository with id=9 does not exist');
    s.commit(planAddIntegration(s.store(), createIntegration({ type: 'GITHUB', pat: 'p' } as IntegrationRequest, 1, 0, rules), 0, limits));
    expect(() => planReindex(s.store(), {}, 0, { ...limits, maxQueue: 2 })).toThrow(/indexing queue/);
  });
});
