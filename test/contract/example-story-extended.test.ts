// The example story extended past the integration (issue 21), as a provisioning client runs it: add an
// integration → list its repositories → disable one → reindex the integration → poll until finished →
// remove the integration, and its repositories go too; then a standalone repository's round (add → update →
// reindex → remove), so that test:proxy's Prism sees every repository operation. Re-targetable: in-process, on
// a fixed --clock, the test moves the indexing clock itself and checks the ids; against GIJ_BASE_URL (a real
// Jira, or gij-mock behind Prism in npm run test:proxy) it polls as a client would. example-story.test.ts
// runs the spec's first examples.
import { describe, expect, it } from 'vitest';
import { firstExampleRequest } from '../../scripts/example-requests.js';
import { expectContract, operation } from '../helpers/contract.js';
import { mine, REMOTE, useFixture, VIA_PRISM, type AddBody, type Schemas } from '../helpers/fixture.js';
import { INDEX_TIMEOUT_MS, indexClock, type IndexClock } from '../helpers/index-clock.js';

type Repository = Schemas['Repository'];
/** The clock the spec's Conventions name for its first answer examples. */
const STORY_CLOCK = 1626070678087;
const env = process.env;

/**
 * What the story adds: the JSON body in `variable` (on a real Jira: a host or repository it can reach), else the
 * spec's first example, which only gij-mock's catalogue "has" (in-process, or behind Prism); undefined: skip.
 */
function storyBody(variable: string, operationId: string): AddBody | undefined {
  const json = env[variable];
  if (json) return mine(JSON.parse(json) as AddBody);
  if (REMOTE && !VIA_PRISM) return undefined;
  return mine(firstExampleRequest(operation(operationId)).body as AddBody);
}
const integrationBody = storyBody('GIJ_STORY_INTEGRATION', 'addIntegration');
const repositoryBody = storyBody('GIJ_STORY_REPOSITORY', 'addRepository');

describe('example story, extended: add → list its repositories → disable one → reindex → poll → remove', () => {
  const fx = useFixture({ clock: STORY_CLOCK });
  const timeout = REMOTE ? 2 * INDEX_TIMEOUT_MS + 30_000 : 30_000;

  const repositories = async (keep: (r: Repository) => boolean): Promise<Repository[]> => {
    const res = await fx.call('GET', '/repository');
    expectContract('listRepositories', res, 200);
    return (res.body as Schemas['RepositoryListResponse']).repositories.filter(keep);
  };
  const repositoriesOf = (integrationId: number) => repositories((r) => r.trackedFolderId === integrationId);
  /** Polls X2 until the thread has finished: its last status, and how many reads it took. */
  const finishedThread = (clock: IndexClock, threadId: string) => clock.until(`thread ${threadId}`, async () => {
    const res = await fx.call('GET', `/rest/gitplugin/1.0/index.json?threadId=${encodeURIComponent(threadId)}`);
    expectContract('getReindexStatus', res, 200);
    return res.body as Schemas['ReindexStatusResponse'];
  }, (s) => s.finished);
  const startReindex = async (repoId: number): Promise<string> => {
    const res = await fx.call('POST', '/rest/gitplugin/2.0/reindex', { body: { repoId } });
    expectContract('startReindex', res, 200);
    const started = res.body as Schemas['ReindexStartedResponse'];
    expect(started.finished).toBe(false);
    return started.threadId;
  };

  // Skipped against a real Jira without GIJ_STORY_INTEGRATION: the example's token reaches no real host.
  it.skipIf(!integrationBody)('each step answers as documented; the disabled repository is left out; removal takes the repositories', async () => {
    const clock = indexClock(fx.target, fx.call);
    const integration = await fx.add(integrationBody!);

    const discovered = await repositoriesOf(integration.id);
    expect(discovered.length, 'the host has at least two repositories').toBeGreaterThanOrEqual(2);
    // One id sequence: a fresh gij-mock's first integration is 1, its host's repositories the next ids.
    if (clock.controlled) expect([integration.id, ...discovered.map((r) => r.id)]).toEqual([1, 2, 3, 4]);

    const off = discovered[1]!;
    expectContract('setIntegrationDisabled', await fx.call('PUT', `/repository/${off.id}/disable?disable=true`), 200);
    const afterDisable = await repositoriesOf(integration.id);
    expect(afterDisable.map((r) => [r.id, r.disabled])).toEqual(discovered.map((r) => [r.id, r.id === off.id]));

    const { value: status, reads } = await finishedThread(clock, await startReindex(integration.id));
    expect(status).toMatchObject({ finished: true, errors: {}, lastOperationPercent: 100 });
    const indexed = discovered.filter((r) => r.id !== off.id).map((r) => `Indexing ${r.displayName}`);
    expect(Object.keys(status.messages).sort()).toEqual(indexed.sort());
    // On the fixed clock nothing moved before the first tick: the thread was seen unfinished, then finished.
    if (clock.controlled) expect(reads).toBeGreaterThan(1);

    for (const r of await repositoriesOf(integration.id)) {
      if (r.id !== off.id) expect(r.lastIndexedDate, `repository ${r.id}`).toBeTypeOf('number');
      if (clock.controlled && r.id !== off.id) expect(r).toMatchObject({ state: 'UPDATED', lastIndexedDate: STORY_CLOCK });
    }

    const removed = await fx.remove(integration.id, '?deleteFiles=false');
    expectContract('removeIntegration', removed, 200);
    expectContract('getIntegration', await fx.call('GET', `/integration/${integration.id}`), 404);
    // The app queues the repositories' removal and shows them disabled until it has run.
    if (clock.controlled) expect((await repositoriesOf(integration.id)).map((r) => [r.id, r.disabled])).toEqual(discovered.map((r) => [r.id, true]));
    await clock.until(`the repositories of integration ${integration.id}`, () => repositoriesOf(integration.id), (left) => left.length === 0);
  }, timeout);

  // Skipped against a real Jira without GIJ_STORY_REPOSITORY: the example's repository is no real one.
  it.skipIf(!repositoryBody)('a standalone repository: add → update → reindex → poll → remove, then it is gone', async () => {
    const clock = indexClock(fx.target, fx.call);
    const added = await fx.call('POST', '/repository', { body: repositoryBody });
    expectContract('addRepository', added, 200);
    const { id } = added.body as Repository;
    try {
      expect((added.body as Repository).trackedFolderId).toBeUndefined();
      const update = firstExampleRequest(operation('updateRepository')).body as Record<string, unknown>;
      const updated = await fx.call('PUT', '/repository', { body: { ...update, id } });
      expectContract('updateRepository', updated, 200);
      expect(updated.body).toMatchObject({ id, maxMinsToCommitEmail: update.maxMinsToCommitEmail });
      expect(await repositories((r) => r.id === id)).toMatchObject([{ id, maxMinsToCommitEmail: update.maxMinsToCommitEmail }]);

      const { value: status } = await finishedThread(clock, await startReindex(id));
      expect(status).toMatchObject({ finished: true, errors: {}, lastOperationPercent: 100 });
    } finally {
      expectContract('removeRepository', await fx.call('DELETE', `/repository?id=${id}&deleteFiles=true`), 200);
    }
    await clock.until(`repository ${id}`, () => repositories((r) => r.id === id), (left) => left.length === 0);
  }, timeout);
});
