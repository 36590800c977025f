// The provisioning workflow as changes: each plan reads a session's store and returns the one Change that
// does the work (a batch when several records move together), which the caller persists and applies through
// commit(). Discovery, cascades and the indexing clock meet here; nothing is applied in this module.
import { discover, rescan } from './discovery.js';
import { ApiError } from './errors.js';
import { DEFAULT_CATALOGUE, hostRepositories } from './host-catalogue.js';
import type { StoredIntegration } from './integration-model.js';
import { DEFAULT_PRIORITY, IndexQueue, QueueLimitError, type QueueEvent, type QueueLimits } from './reindex-queue.js';
import { createRepository, mergeRepositoryUpdate, toRepository, type Repository, type RepositoryFields, type StoredRepository } from './repository-model.js';
import type { Change, SessionChange } from './sessions.js';
import { MAX_ID, type IntegrationStore } from './store.js';

export type Plan = (session: string) => Change;
/** Which repositories a thread or the fault hook asks about: ERROR with this text, or undefined for UPDATED. */
export type IndexFault = (repoId: number) => string | undefined;

const batch = (parts: ReadonlyArray<(session: string) => SessionChange>): Plan => (session) => ({ op: 'batch', session, changes: parts.map((p) => p(session)) });
const putRepository = (record: StoredRepository) => (session: string): SessionChange => ({ op: 'putRepository', session, record });
const indexChange = (queue: IndexQueue) => (session: string): SessionChange => ({ op: 'index', session, queue: queue.snapshot() });
const named = (r: StoredRepository) => ({ id: r.id, name: r.fields.displayName });

export const queueOf = (store: IntegrationStore, limits: QueueLimits): IndexQueue => new IndexQueue(limits, store.repositories.index);

/** QueueLimitError as the API's answer (507, like every other bound of what a client can make the server hold). */
function admitted<T>(work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof QueueLimitError) throw ApiError.of('reindexLimit', { limit: e.limit, max: e.max });
    throw e;
  }
}

function freshIds(store: IntegrationStore, count: number): number {
  const first = store.peekNextId();
  if (first + count - 1 > MAX_ID) throw ApiError.of('idSpaceExhausted', { max: MAX_ID });
  return first;
}

/** Add Integration: the integration, the repositories its host has (ids right after its own), their first index. */
export function planAddIntegration(store: IntegrationStore, record: StoredIntegration, now: number, limits: QueueLimits): Plan {
  const children = discover(record, store.repositories.hosts ?? DEFAULT_CATALOGUE, record.id + 1, now);
  freshIds(store, children.length + 1);
  const queue = queueOf(store, limits);
  // The plugin queues an integration's repositories at the integration task's priority + 1.
  admitted(() => queue.queueIndex(children.map(named), DEFAULT_PRIORITY + 1, now));
  return batch([(session) => ({ op: 'put', session, record }), ...children.map(putRepository), indexChange(queue)]);
}

/** Remove Integration: it goes at once; its repositories show disabled until their queued removal runs. */
export function planRemoveIntegration(store: IntegrationStore, id: number, deleteFiles: boolean, now: number, limits: QueueLimits): Plan {
  const queue = queueOf(store, limits);
  const children = store.repositories.childrenOf(id).filter((r) => !r.removalQueued);
  for (const child of children) queue.remove(named(child), deleteFiles, now);
  return batch([(session) => ({ op: 'remove', session, id }), ...children.map((c) => putRepository({ ...c, removalQueued: true })), indexChange(queue)]);
}

/**
 * Enable/Disable: one endpoint for integrations and repositories (one id sequence). Disabling takes the
 * repositories' waiting reindex tasks off the queue: a repository whose git data is off is not indexed.
 */
export function planSetDisabled(store: IntegrationStore, id: number, disabled: boolean, now: number, limits: QueueLimits): Plan {
  const integration = store.get(id);
  const parts: Array<(session: string) => SessionChange> = [];
  let affected: StoredRepository[];
  if (integration) {
    const record = { ...integration, fields: { ...integration.fields, disabled } };
    parts.push((session) => ({ op: 'put', session, record }));
    affected = store.repositories.childrenOf(id);
  } else {
    const repository = existingRepository(store, id);
    parts.push(putRepository({ ...repository, fields: { ...repository.fields, disabled } }));
    affected = [repository];
  }
  const ids = new Set(affected.map((r) => r.id));
  // Copying the queue only when it holds a task to take off (a set: an integration has up to 1,000 repositories).
  if (disabled && store.repositories.index?.tasks.some((t) => t.op === 'reindex' && ids.has(t.repoId))) {
    const queue = queueOf(store, limits);
    queue.cancel([...ids], `${integration ? `Integration ${id}` : `Repository ${id}`} was disabled before it was indexed`, now);
    parts.push(indexChange(queue));
  }
  return batch(parts);
}

/** Add Repository: a standalone repository, queued for its first index. */
export function planAddRepository(store: IntegrationStore, body: Partial<RepositoryFields> & { origin: string }, now: number, limits: QueueLimits): { plan: Plan; record: StoredRepository } {
  const record = createRepository(body, freshIds(store, 1), now);
  const queue = queueOf(store, limits);
  admitted(() => queue.queueIndex([named(record)], DEFAULT_PRIORITY, now));
  return { plan: batch([putRepository(record), indexChange(queue)]), record };
}

/** A repository calls may name: once its removal is queued it is listed (disabled) but every call answers 404. */
export function existingRepository(store: IntegrationStore, id: number): StoredRepository {
  const record = store.repositories.get(id);
  if (!record || record.removalQueued) throw ApiError.of('integrationNotFound', { id });
  return record;
}

/** Its own flag, or its integration's: git data is off, so Reindex refuses it and lists for a project leave it out. */
export function gitDataOff(store: IntegrationStore, record: StoredRepository): boolean {
  return record.fields.disabled || (record.trackedFolderId !== undefined && store.get(record.trackedFolderId)?.fields.disabled === true);
}

const disabledProblem = (what: string) => ApiError.of('invalidRequest', {
  problems: `${what} is disabled: it cannot be reindexed`,
  advice: 'Enable it first (PUT /rest/gitplugin/1.0/repository/{repoId}/disable?disable=false), then reindex.',
});

/** Update Repository: the merge with the nested rules; `ignored` names what the rules left unchanged. */
export function planUpdateRepository(store: IntegrationStore, patch: Record<string, unknown> & { id: number }): { plan: Plan; record: StoredRepository; ignored: readonly string[] } {
  const { record, ignored } = mergeRepositoryUpdate(existingRepository(store, patch.id), patch);
  return { plan: batch([putRepository(record)]), record, ignored };
}

/** Delete Repository: shown disabled until the queued removal (priority 10) runs on the indexing clock. */
export function planRemoveRepository(store: IntegrationStore, id: number, deleteFiles: boolean, now: number, limits: QueueLimits): Plan {
  const record = existingRepository(store, id);
  const queue = queueOf(store, limits);
  queue.remove(named(record), deleteFiles, now);
  return batch([putRepository({ ...record, removalQueued: true }), indexChange(queue)]);
}

/**
 * Reindex: no repoId = every repository; an integration's id = a rescan of its host (new repositories added,
 * vanished ones queued for removal) and its repositories at priority + 1; a repository's id = that one.
 */
export function planReindex(store: IntegrationStore, request: { repoId?: number; priority?: number }, now: number, limits: QueueLimits): { plan: Plan; threadId: string } {
  const priority = request.priority ?? DEFAULT_PRIORITY;
  const queue = queueOf(store, limits);
  const parts: Array<(session: string) => SessionChange> = [];
  let targets: StoredRepository[];
  let targetPriority = priority;
  const integration = request.repoId === undefined ? undefined : store.get(request.repoId);
  if (request.repoId === undefined) {
    targets = store.repositories.records().filter((r) => !r.removalQueued && !gitDataOff(store, r));
  } else if (integration) {
    if (integration.fields.disabled) throw disabledProblem(`Integration ${integration.id}`);
    const children = store.repositories.childrenOf(integration.id).filter((r) => !r.removalQueued);
    const { added, vanished } = rescan(integration, children, store.repositories.hosts ?? DEFAULT_CATALOGUE, freshIds(store, 0), now);
    if (added.length) freshIds(store, added.length);
    for (const gone of vanished) { queue.remove(named(gone), false, now); parts.push(putRepository({ ...gone, removalQueued: true })); }
    parts.push(...added.map(putRepository));
    targets = [...children.filter((c) => !vanished.includes(c) && !c.fields.disabled), ...added];
    targetPriority = priority + 1;
  } else {
    const record = existingRepository(store, request.repoId);
    if (gitDataOff(store, record)) throw disabledProblem(record.fields.disabled ? `Repository ${record.id}` : `The integration of repository ${record.id}`);
    targets = [record];
  }
  const threadId = admitted(() => queue.reindex(targets.map(named), targetPriority, now));
  return { plan: batch([...parts, indexChange(queue)]), threadId };
}

/** What the queue's events do to the repositories: state, lastIndexedDate once UPDATED, removal. */
function applyEvents(store: IntegrationStore, events: readonly QueueEvent[]): Array<(session: string) => SessionChange> {
  const current = new Map<number, StoredRepository>();
  const removed = new Set<number>();
  for (const e of events) {
    const record = current.get(e.repoId) ?? store.repositories.get(e.repoId);
    if (!record || removed.has(e.repoId)) continue;
    if (e.kind === 'removed') { removed.add(e.repoId); current.delete(e.repoId); continue; }
    current.set(e.repoId, e.kind === 'started'
      ? { ...record, state: 'INDEXING' }
      : { ...record, state: e.status, ...(e.status === 'UPDATED' ? { lastIndexedDate: e.at } : {}) });
  }
  return [
    ...[...current.values()].map(putRepository),
    ...[...removed].map((id) => (session: string): SessionChange => ({ op: 'removeRepository', session, id })),
  ];
}

/** An integration whose repositories all left the queue in these events gets lastIndexedDate = the last end. */
function integrationsIndexed(store: IntegrationStore, events: readonly QueueEvent[], queue: IndexQueue): Array<(session: string) => SessionChange> {
  const snapshot = queue.snapshot();
  const busy = new Set([...snapshot.tasks.map((t) => t.repoId), ...(snapshot.running ? [snapshot.running.task.repoId] : [])]);
  const ended = new Map<number, number>();
  for (const e of events) {
    const parentId = e.kind === 'indexed' ? store.repositories.get(e.repoId)?.trackedFolderId : undefined;
    if (parentId !== undefined) ended.set(parentId, Math.max(ended.get(parentId) ?? 0, e.at));
  }
  const out: Array<(session: string) => SessionChange> = [];
  for (const [id, at] of ended) {
    const integration = store.get(id);
    if (!integration || store.repositories.childrenOf(id).some((c) => busy.has(c.id))) continue;
    const record = { ...integration, lastIndexedDate: at };
    out.push((session) => ({ op: 'put', session, record }));
  }
  return out;
}

/** The catalogue's fault: a discovered repository whose host entry has `indexError` ends in ERROR with that text. */
export function hostFault(store: IntegrationStore): IndexFault {
  const catalogue = store.repositories.hosts ?? DEFAULT_CATALOGUE;
  return (repoId) => {
    const record = store.repositories.get(repoId);
    const parent = record?.trackedFolderId === undefined ? undefined : store.get(record.trackedFolderId);
    if (!record || !parent) return undefined;
    const name = (record.fields.realRoot ?? '').slice(String(record.id).length + 1);
    return hostRepositories(catalogue, parent.fields.type, parent.fields.origin ?? '').find((h) => h.name === name && h.group === record.group)?.indexError;
  };
}

/** What ends a repository's indexing in ERROR: a fault rule's text first (PUT /__mock/faults), then the catalogue's. */
export function indexFault(store: IntegrationStore, rule?: IndexFault): IndexFault {
  const host = hostFault(store);
  return rule ? (repoId) => rule(repoId) ?? host(repoId) : host;
}

/**
 * Moves the session's indexing clock: to `now` (real time, --index-delay per task), or by `steps` starts and ends
 * (a control call under --clock). Undefined when nothing moved, so that a read does not write.
 */
export function planAdvance(store: IntegrationStore, to: { now: number } | { steps: number }, limits: QueueLimits, fault: IndexFault = hostFault(store)): Plan | undefined {
  const index = store.repositories.index;
  // Most requests find nothing due: answered without copying the queue.
  if (!index || (!index.running && index.tasks.length === 0)) return undefined;
  if ('now' in to && index.running && index.running.endsAt > to.now) return undefined;
  const queue = queueOf(store, limits);
  const before = queue.clock;
  const events = 'now' in to ? queue.advance(to.now, fault) : Array.from({ length: to.steps }, () => queue.step(fault)).flat();
  // A removal's start has no event and keeps the clock, yet it moved the queue: a step always commits.
  if (!events.length && queue.clock === before && ('now' in to || to.steps === 0)) return undefined;
  return batch([...applyEvents(store, events), ...integrationsIndexed(store, events, queue), indexChange(queue)]);
}

/** The repositories as R1 shows them: a waiting task shows QUEUED; the integration's disabled flag cascades. */
export function repositoryViews(store: IntegrationStore, keep: (r: Repository) => boolean = () => true): Repository[] {
  const waiting = new Set((store.repositories.index?.tasks ?? []).filter((t) => t.op === 'reindex').map((t) => t.repoId));
  const out: Repository[] = [];
  for (const record of store.repositories.records()) {
    const parent = record.trackedFolderId === undefined ? undefined : store.get(record.trackedFolderId);
    const shown = toRepository(waiting.has(record.id) && record.state !== 'INDEXING' ? { ...record, state: 'QUEUED' } : record, parent?.fields.disabled === true);
    if (keep(shown)) out.push(shown);
  }
  return out;
}
