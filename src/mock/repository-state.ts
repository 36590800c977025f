// The state document's issue-21 sections (GET/PUT /__mock/state, --seed, --state-file): `repositories` (as R2
// fields plus what the server sets; secrets as "***"), `hosts` (the session's catalogue) and `index` (its
// indexing queue, unfinished threads included). Read back, they give the same answers.
import { parseCatalogue } from '../host-catalogue.js';
import type { QueueSnapshot } from '../reindex-queue.js';
import type { RepositoryFields, StoredRepository } from '../repository-model.js';
import type { RepositorySnapshot } from '../repository-store.js';
import { MAX_ID } from '../store.js';
import { SECRET_FIELDS } from './journal.js';

const MASK = '***';
/** What the server sets on a repository, kept beside its fields in a state entry. */
const SERVER_KEYS = ['id', 'initDate', 'lastIndexedDate', 'trackedFolderId', 'integrationType', 'group', 'supportsBranchCreationApi', 'supportsPullRequestApi', 'removalQueued', 'state'] as const;

export type StateRepository = Record<string, unknown> & { id: number; initDate: number };
export interface RepositorySections { repositories?: StateRepository[]; hosts?: unknown; index?: QueueSnapshot }

export function toStateRepository(r: StoredRepository): StateRepository {
  const out: Record<string, unknown> = {};
  for (const key of SERVER_KEYS) if (r[key] !== undefined) out[key] = r[key];
  for (const [key, value] of Object.entries(r.fields)) if (value !== undefined) out[key] = SECRET_FIELDS.has(key) ? MASK : value;
  return out as StateRepository;
}

export function toRepositorySections(snapshot: RepositorySnapshot | undefined): RepositorySections {
  if (!snapshot) return {};
  return {
    ...(snapshot.repositories.length ? { repositories: snapshot.repositories.map(toStateRepository) } : {}),
    ...(snapshot.hosts ? { hosts: snapshot.hosts } : {}),
    ...(snapshot.index ? { index: snapshot.index } : {}),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isId = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_ID;
const isTime = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= Number.MAX_SAFE_INTEGER;
const STATES = new Set(['QUEUED', 'SCANNING', 'INDEXING', 'UPDATED', 'ERROR']);

/**
 * Checks the sections against the document's integrations (`integrationIds`: a discovered repository's parent must
 * be one of them; ids are unique across both) and returns the snapshot, or every problem found.
 * `fieldsProblem` checks an entry's fields against the spec's RepositorySettings (the caller owns the validator).
 */
export function fromRepositorySections(
  doc: RepositorySections, integrationIds: ReadonlySet<number>, fieldsProblem: (fields: Record<string, unknown>) => string | undefined,
): { snapshot?: RepositorySnapshot; problems: string[] } {
  const problems: string[] = [];
  const repositories: StoredRepository[] = [];
  if (doc.repositories !== undefined && !Array.isArray(doc.repositories)) problems.push('repositories must be an array');
  const ids = new Set<number>();
  for (const [i, entry] of (Array.isArray(doc.repositories) ? doc.repositories : []).entries()) {
    const where = `repositories[${i}]`;
    if (!isObject(entry)) { problems.push(`${where} must be an object`); continue; }
    const { id, initDate, lastIndexedDate, trackedFolderId, integrationType, group, supportsBranchCreationApi, supportsPullRequestApi, removalQueued, state, ...fields } = entry;
    const before = problems.length;
    if (!isId(id)) problems.push(`${where}.id must be an integer from 1 to ${MAX_ID}`);
    else if (ids.has(id) || integrationIds.has(id)) problems.push(`${where}.id ${id} is used twice (integrations and repositories share one id sequence)`);
    if (!isTime(initDate)) problems.push(`${where}.initDate must be epoch milliseconds`);
    if (lastIndexedDate !== undefined && !isTime(lastIndexedDate)) problems.push(`${where}.lastIndexedDate must be epoch milliseconds`);
    // A removed integration's repositories stay, removal queued, until the indexing clock removes them.
    if (trackedFolderId !== undefined && !integrationIds.has(trackedFolderId as number) && removalQueued !== true) problems.push(`${where}.trackedFolderId ${String(trackedFolderId)} is not an integration of this document`);
    if (group !== undefined && typeof group !== 'string') problems.push(`${where}.group must be a string`);
    if (supportsBranchCreationApi !== undefined && typeof supportsBranchCreationApi !== 'boolean') problems.push(`${where}.supportsBranchCreationApi must be a boolean`);
    if (supportsPullRequestApi !== undefined && supportsPullRequestApi !== 'PULL_REQUESTS_GROUP' && supportsPullRequestApi !== 'MERGE_REQUESTS_GROUP') problems.push(`${where}.supportsPullRequestApi must be PULL_REQUESTS_GROUP or MERGE_REQUESTS_GROUP`);
    if (removalQueued !== undefined && removalQueued !== true) problems.push(`${where}.removalQueued must be true when present`);
    if (state !== undefined && !STATES.has(state as string)) problems.push(`${where}.state must be one of ${[...STATES].join(', ')}`);
    if (typeof fields.origin !== 'string') problems.push(`${where}.origin is required`);
    const fieldProblem = fieldsProblem(fields);
    if (fieldProblem) problems.push(`${where}: ${fieldProblem}`);
    if (problems.length > before) continue;
    ids.add(id as number);
    repositories.push({
      id: id as number, initDate: initDate as number,
      ...(lastIndexedDate === undefined ? {} : { lastIndexedDate: lastIndexedDate as number }),
      ...(trackedFolderId === undefined ? {} : { trackedFolderId: trackedFolderId as number, integrationType: integrationType as never }),
      ...(group === undefined ? {} : { group: group as string }),
      supportsBranchCreationApi: supportsBranchCreationApi === true,
      ...(supportsPullRequestApi === undefined ? {} : { supportsPullRequestApi: supportsPullRequestApi as never }),
      ...(removalQueued ? { removalQueued: true } : {}),
      ...(state === undefined ? {} : { state: state as never }),
      fields: fields as unknown as RepositoryFields,
    });
  }
  let hosts: RepositorySnapshot['hosts'];
  if (doc.hosts !== undefined) {
    const parsed = parseCatalogue(doc.hosts);
    if ('problems' in parsed) problems.push(...parsed.problems.map((p) => `hosts: ${p}`));
    else hosts = parsed.catalogue;
  }
  const index = doc.index;
  if (index !== undefined) problems.push(...queueProblems(index, new Set(repositories.map((r) => r.id))));
  if (problems.length) return { problems };
  if (!repositories.length && !hosts && !index) return { problems };
  return { snapshot: { repositories, ...(hosts ? { hosts } : {}), ...(index ? { index } : {}) }, problems };
}

/** A queue snapshot as IndexQueue wrote it: the shape, and tasks only of repositories of the document. */
function queueProblems(index: unknown, repoIds: ReadonlySet<number>): string[] {
  if (!isObject(index)) return ['index must be an object (an indexing queue as exported)'];
  const problems: string[] = [];
  for (const key of ['clock', 'freeAt', 'taskSeq', 'threadSeq'] as const) if (!isTime(index[key])) problems.push(`index.${key} must be a whole number ≥ 0`);
  if (!Array.isArray(index.tasks) || !Array.isArray(index.threads)) return [...problems, 'index.tasks and index.threads must be arrays'];
  const tasks = [...index.tasks, ...(isObject(index.running) ? [index.running.task] : [])] as unknown[];
  tasks.forEach((t, i) => {
    if (!isObject(t) || !isId(t.repoId) || (t.op !== 'reindex' && t.op !== 'remove') || !Number.isInteger(t.priority) || !isTime(t.queuedAt) || !Array.isArray(t.threadIds)) problems.push(`index task ${i} is not a queued task`);
    else if (!repoIds.has(t.repoId)) problems.push(`index task ${i}: repository ${t.repoId} is not in repositories`);
  });
  (index.threads as unknown[]).forEach((t, i) => {
    if (!isObject(t) || typeof t.threadId !== 'string' || !Array.isArray(t.entries)) problems.push(`index.threads[${i}] is not a reindex thread`);
  });
  return problems;
}
