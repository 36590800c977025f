// The state document's repositories, hosts and index sections: a store exports and imports back unchanged.
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/discovery.js';
import { DEFAULT_CATALOGUE } from '../../src/host-catalogue.js';
import { createIntegration, rulesFromSpec, type IntegrationRequest } from '../../src/integration-model.js';
import { fromStateDocument, toStateDocument, StateError } from '../../src/mock/state.js';
import { IndexQueue } from '../../src/reindex-queue.js';
import { createRepository } from '../../src/repository-model.js';
import { loadSpec } from '../../src/spec.js';
import { IntegrationStore } from '../../src/store.js';

const rules = rulesFromSpec(loadSpec());

function filledStore(): IntegrationStore {
  const store = new IntegrationStore();
  const parent = store.put(createIntegration({ type: 'GITHUB', pat: 'secret' } as IntegrationRequest, 1, 100, rules));
  for (const r of discover(parent, DEFAULT_CATALOGUE, store.peekNextId(), 100)) store.repositories.put(r);
  store.repositories.put(createRepository({ origin: 'https://h/x.git', pat: 'tok' }, store.peekNextId(), 200));
  store.repositories.setHosts({ byOrigin: {}, byType: { GITLAB: [{ name: 'a', group: 'g' }] } });
  const queue = new IndexQueue({ delayMs: 100, maxThreads: 10, maxQueue: 10 });
  queue.reindex([{ id: 2, name: 'test-repo' }, { id: 5, name: 'x' }], 24, 300);
  queue.advance(350);
  store.repositories.setIndex(queue.snapshot());
  return store;
}

describe('state document with repositories', () => {
  it('ids continue one sequence: integration 1, repositories 2-4, standalone 5, next 6', () => {
    const store = filledStore();
    expect([store.records().map((r) => r.id), store.repositories.records().map((r) => r.id), store.peekNextId()]).toEqual([[1], [2, 3, 4, 5], 6]);
  });
  it('export → import gives the same views, catalogue and unfinished thread; no secret is written', () => {
    const store = filledStore();
    const doc = toStateDocument(store.snapshot());
    expect(JSON.stringify(doc)).not.toMatch(/secret|tok/);
    const back = new IntegrationStore();
    back.restore(fromStateDocument(JSON.parse(JSON.stringify(doc)), 0));
    expect(toStateDocument(back.snapshot())).toEqual(doc);
    expect(back.peekNextId()).toBe(6);
    expect(back.repositories.index?.threads[0]?.entries.map((e) => e.status)).toEqual(['INDEXING', 'QUEUED']);
  });
  it('a repository whose trackedFolderId is no integration, or whose id an integration has, is refused by name', () => {
    const doc = toStateDocument(filledStore().snapshot());
    doc.repositories![0]!.trackedFolderId = 99;
    doc.repositories![1]!.id = 1;
    try {
      fromStateDocument(doc, 0);
      expect.unreachable();
    } catch (e) {
      expect((e as StateError).problems).toEqual([
        'repositories[0].trackedFolderId 99 is not an integration of this document',
        'repositories[1].id 1 is used twice (integrations and repositories share one id sequence)',
        // The running task (repository 2) now names a repository the document does not hold.
        'index task 1: repository 2 is not in repositories',
      ]);
    }
  });
});

describe('--state-file with repositories (change log replay)', () => {
  it('an integration with its discovered repositories and an unfinished thread comes back identically after a restart', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { defaultConfig } = await import('../../src/config.js');
    const { openPersistence } = await import('../../src/mock/persistence.js');
    const { planAddIntegration, planReindex, planRemoveIntegration, repositoryViews, queueOf } = await import('../../src/provisioning.js');
    const dir = mkdtempSync(join(tmpdir(), 'gij-f3-state-'));
    const limits = { delayMs: 100, maxThreads: 10, maxQueue: 100 };
    try {
      const config = { ...defaultConfig, stateFile: join(dir, 'state') };
      const first = openPersistence(config, () => 0);
      const store = () => first.sessions.read('default');
      first.commit(planAddIntegration(store(), createIntegration({ type: 'GITHUB', pat: 'secret' } as IntegrationRequest, 1, 0, rules), 0, limits)('default'));
      const { plan, threadId } = planReindex(store(), { repoId: 3 }, 0, limits);
      first.commit(plan('default'));
      // The integration goes; its repositories stay, shown disabled, until their queued removal runs.
      first.commit(planRemoveIntegration(store(), 1, false, 0, limits)('default'));
      const before = { list: repositoryViews(store()), status: queueOf(store(), limits).status({ threadId }, 0), next: store().peekNextId() };
      expect(before.list.map((r) => [r.id, r.disabled])).toEqual([[2, true], [3, true], [4, true]]);
      // As a restart would: the snapshot and the log read again (closed first: the file is locked to one writer).
      await first.close();
      const second = openPersistence(config, () => 0);
      const again = second.sessions.read('default');
      expect({ list: repositoryViews(again), status: queueOf(again, limits).status({ threadId }, 0), next: again.peekNextId() }).toEqual(before);
      // Once more: now from the snapshot the second start wrote (every record checked as a state document).
      await second.close();
      const reopened = openPersistence(config, () => 0);
      const third = reopened.sessions.read('default');
      expect({ list: repositoryViews(third), status: queueOf(third, limits).status({ threadId }, 0), next: third.peekNextId() }).toEqual(before);
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
