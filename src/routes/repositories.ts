// One handler per operationId of the Repositories and Reindex families, written to the engine's
// OperationHandler (src/engine/types.ts). Each reads the session's store, asks provisioning.ts for the one
// change, commits it and answers; the indexing clock catches up first (unless --clock holds it).
import type { OperationCall, OperationHandler } from '../engine/types.js';
import { ApiError } from '../errors.js';
import type { components } from '../generated/openapi.js';
import { createIntegration, type IntegrationRequest, type IntegrationRules } from '../integration-model.js';
import { DEFAULT_PROJECTS, mayReindex, maySee, type Caller } from '../permissions.js';
import { isCanonicalId } from '../request-checks.js';
import {
  existingRepository, indexFault, planAddIntegration, planAddRepository, planRemoveIntegration, planSetDisabled, planAdvance, planReindex, planRemoveRepository, planUpdateRepository,
  queueOf, repositoryViews, type IndexFault,
} from '../provisioning.js';
import type { QueueLimits } from '../reindex-queue.js';
import { toRepository, type RepositoryFields } from '../repository-model.js';
import type { IntegrationStore } from '../store.js';

type Schemas = components['schemas'];

export { DEFAULT_PROJECTS };

export interface RepositoryHandlerContext {
  readonly now: () => number;
  readonly limits: QueueLimits;
  /** false under --clock: only a mock control moves the indexing clock. */
  readonly clockRuns: boolean;
  /** A fault rule's ERROR for a repository of a session (undefined: it ends UPDATED). */
  readonly fault?: (session: string) => IndexFault;
  readonly projects?: Readonly<Record<string, number>>;
  /** For addIntegration: the spec's defaults and derivations, and --max-integrations. */
  readonly rules: IntegrationRules;
  readonly maxIntegrations: number;
  /** The integration operations that do not reach repositories (routes/integrations.ts): returned run after the clock caught up. */
  readonly integrationReads?: Readonly<Record<'getIntegration' | 'listIntegrations' | 'updateIntegration', OperationHandler>>;
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
// An empty value never gets here: strict mode refuses it, lenient mode reads it as false (Jersey's Boolean.valueOf).
const flag = (v: string | string[] | undefined): boolean => first(v) === 'true';
const idParam = (v: string | string[] | undefined, name: string): number | undefined => {
  const s = first(v);
  if (s === undefined) return undefined;
  if (!/^[1-9]\d{0,9}$/.test(s) || Number(s) > 2147483647) throw ApiError.of('invalidRequest', { problems: `${name} must be an integer from 1 to 2147483647, got '${s.slice(0, 40)}'` });
  return Number(s);
};
function sentObject(call: OperationCall): Record<string, unknown> {
  if (call.body === null || typeof call.body !== 'object' || Array.isArray(call.body)) {
    throw ApiError.of('invalidRequest', { problems: 'the body is required: send one JSON object', advice: 'Send the repository fields as a JSON object with Content-Type application/json.' });
  }
  return call.body as Record<string, unknown>;
}

export function repositoryHandlers(ctx: RepositoryHandlerContext): Record<string, OperationHandler> {
  const projects = ctx.projects ?? DEFAULT_PROJECTS;
  // A call without a caller comes from outside the engine (unit tests): an administrator's.
  const plainUser = (call: OperationCall): Caller | undefined => (call.caller?.administrator === false ? call.caller : undefined);
  // The queue's work that is due by now becomes durable before anything reads it.
  const catchUp = (call: OperationCall) => {
    if (!ctx.clockRuns) return;
    const plan = planAdvance(call.store, { now: ctx.now() }, ctx.limits, indexFault(call.store, ctx.fault?.(call.session)));
    if (plan) call.commit(plan);
  };
  const indexNow = (call: OperationCall) => (ctx.clockRuns ? ctx.now() : Math.max(ctx.now(), call.store.repositories.index?.clock ?? 0));

  const listRepositories: OperationHandler = (call) => {
    catchUp(call);
    const key = first(call.query.projectKey);
    if (key !== undefined && flag(call.query.all)) {
      throw ApiError.of('invalidRequest', { problems: 'all=true cannot be combined with projectKey', advice: 'Send projectKey alone, or all alone.' });
    }
    const user = plainUser(call);
    const visible = (r: Schemas['Repository']) => user === undefined || maySee(user, r);
    if (key === undefined) return { json: { success: true, repositories: repositoryViews(call.store, visible) } satisfies Schemas['RepositoryListResponse'] };
    const projectId = Object.hasOwn(projects, key) ? projects[key] : undefined;
    // A project the caller may not browse answers as an unknown one: the answer does not tell which keys exist.
    if (projectId === undefined || (user !== undefined && !user.browse.has(projectId))) throw ApiError.of('projectNotFound', { key });
    // getRepositories(projectKey): visible to the project, without disabled (own or integration's) and ERROR.
    const keep = (r: Schemas['Repository']) => !r.disabled && r.state !== 'ERROR' && (r.global || r.projectMappingIds.includes(projectId)) && visible(r);
    return { json: { success: true, repositories: repositoryViews(call.store, keep) } satisfies Schemas['RepositoryListResponse'] };
  };

  const addRepository: OperationHandler = (call) => {
    catchUp(call);
    const body = sentObject(call) as Partial<RepositoryFields> & { origin: string };
    const { plan, record } = planAddRepository(call.store, body, indexNow(call), ctx.limits);
    call.commit(plan);
    return { json: toRepository({ ...record, state: 'QUEUED' }, false) };
  };

  const updateRepository: OperationHandler = (call) => {
    catchUp(call);
    const body = sentObject(call);
    const id = typeof body.id === 'number' ? body.id : NaN;
    const { plan, record, ignored } = planUpdateRepository(call.store, { ...body, id });
    call.warn(ignored.map((k) => (k === 'disabled'
      ? 'disabled is not applied by Update Existing Repository (as the vendor notes); use PUT /rest/gitplugin/1.0/repository/{repoId}/disable'
      : `${k} is read-only here and was ignored`)));
    call.commit(plan);
    const parent = record.trackedFolderId === undefined ? undefined : call.store.get(record.trackedFolderId);
    return { json: toRepository(record, parent?.fields.disabled === true) };
  };

  const removeRepository: OperationHandler = (call) => {
    catchUp(call);
    const id = idParam(call.query.id, 'id')!;
    call.commit(planRemoveRepository(call.store, id, flag(call.query.deleteFiles), indexNow(call), ctx.limits));
    catchUp(call);
    return { json: { success: true } satisfies Schemas['SuccessResponse'] };
  };

  const startReindex: OperationHandler = (call) => {
    catchUp(call);
    const body = (call.body ?? {}) as { repoId?: number | null; priority?: number };
    if (Array.isArray(body.repoId)) throw ApiError.of('invalidRequest', { problems: 'repoId must be one integer (the array form of the removed v1 call is not accepted)' });
    const user = plainUser(call);
    if (user && body.repoId == null) throw reindexForbidden(user, 'reindex every repository', `Only a Jira administrator reindexes every repository; user ${user.name} may send {"repoId": …} of a repository mapped to a project where they have Browse projects and View Development Tools.`);
    if (user) mayReindexRepository(call.store, user, body.repoId as number, 'reindex');
    const { plan, threadId } = planReindex(call.store, { ...(body.repoId == null ? {} : { repoId: body.repoId }), ...(body.priority === undefined ? {} : { priority: body.priority }) }, indexNow(call), ctx.limits);
    call.commit(plan);
    return { json: { success: true, finished: false, threadId } };
  };

  const getReindexStatus: OperationHandler = (call) => {
    catchUp(call);
    const threadId = first(call.query.threadId) ?? first(call.query.threadID);
    const repoId = idParam(call.query.repoId, 'repoId');
    const user = plainUser(call);
    if (user && threadId === undefined && repoId === undefined) throw reindexForbidden(user, 'see the reindex progress of every repository', `Only a Jira administrator follows every repository; user ${user.name} may send threadId or repoId of repositories mapped to a project where they have Browse projects and View Development Tools.`);
    if (user && repoId !== undefined) mayReindexRepository(call.store, user, repoId, 'see the reindex progress of');
    const queue = queueOf(call.store, ctx.limits);
    const at = Math.max(queue.clock, ctx.clockRuns ? ctx.now() : 0);
    if (threadId !== undefined) {
      const status = queue.status({ threadId, ...(repoId === undefined ? {} : { repoId }) }, at);
      if (status === 'unknown' || status === 'notIncluded') throw ApiError.of('threadNotFound', { threadId });
      if (user && repoId === undefined) mayFollowThread(call.store, user, status.threadId);
      return { json: { success: true, ...status } };
    }
    const records = repoId === undefined ? call.store.repositories.records().filter((r) => !r.removalQueued) : [existingRepository(call.store, repoId)];
    // An ERROR's text: the newest thread's that saw it, else what makes it fail now (catalogue or fault rule).
    const fault = indexFault(call.store, ctx.fault?.(call.session));
    const errorOf = (id: number) => queue.lastError(id) ?? fault(id) ?? 'the last index ended in ERROR';
    const repos = records.map((r) => ({ id: r.id, name: r.fields.displayName, ...(r.state === 'ERROR' ? { error: errorOf(r.id) } : {}) }));
    return { json: { success: true, ...queue.standing(repos, at) } };
  };

  // The three integration operations whose effect reaches the repositories (they replace routes/integrations.ts's).
  const addIntegration: OperationHandler = (call) => {
    catchUp(call);
    if (call.body === undefined) throw ApiError.of('invalidRequest', { problems: 'the body is required: send one JSON object', advice: 'Send the integration fields as a JSON object with Content-Type application/json.' });
    if (call.store.size >= ctx.maxIntegrations) throw ApiError.of('integrationLimit', { max: ctx.maxIntegrations });
    const record = createIntegration(call.body as IntegrationRequest, call.store.peekNextId(), ctx.now(), ctx.rules);
    call.commit(planAddIntegration(call.store, record, indexNow(call), ctx.limits));
    return { json: { success: 'true', integration: call.store.view(record) } satisfies Schemas['IntegrationSavedResponse'] };
  };

  const removeIntegration: OperationHandler = (call) => {
    catchUp(call);
    const id = pathId(call, 'integrationId');
    if (!call.store.get(id)) throw ApiError.of('integrationNotFound', { id });
    call.commit(planRemoveIntegration(call.store, id, flag(call.query.deleteFiles), indexNow(call), ctx.limits));
    catchUp(call);
    return { json: { success: true } satisfies Schemas['SuccessResponse'] };
  };

  const setIntegrationDisabled: OperationHandler = (call) => {
    catchUp(call);
    call.commit(planSetDisabled(call.store, pathId(call, 'repoId'), String(first(call.query.disable)) === 'true', indexNow(call), ctx.limits));
    return { json: { success: true } satisfies Schemas['SuccessResponse'] };
  };

  // An integration's lastIndexedDate comes from the clock: every read of it sees the clock caught up first.
  const caughtUp = Object.fromEntries(Object.entries(ctx.integrationReads ?? {}).map(([id, handler]) => {
    const run: OperationHandler = (call) => {
      try {
        catchUp(call);
      } catch (e) {
        // A read answers what is stored when the catch-up cannot be kept (507: disk or --max-state-bytes); the next request tries again.
        if (id === 'updateIntegration' || !(e instanceof ApiError)) throw e;
      }
      return handler(call);
    };
    return [id, Object.defineProperty(run, 'name', { value: id })];
  }));
  return { ...caughtUp, listRepositories, addRepository, updateRepository, removeRepository, startReindex, getReindexStatus, addIntegration, removeIntegration, setIntegrationDisabled };
}

/** The id of the path, as written (the request checks named a wrong form before; this keeps `0x1` from reading as 1). */
function pathId(call: OperationCall, name: string): number {
  const raw = call.params[name] ?? call.params.repoId ?? call.params.integrationId ?? '';
  if (!isCanonicalId(raw)) throw ApiError.of('invalidRequest', { problems: `${name} must be an integer from 1 to 2147483647` });
  return Number(raw);
}

function reindexForbidden(user: Caller, action: string, advice?: string): ApiError {
  return ApiError.of('reindexForbidden', { user: user.name, action, ...(advice === undefined ? {} : { advice }) });
}

/**
 * X1/X2 by a user who is not an administrator: the repository must be one they may reindex. An unknown id, an
 * integration's (a rescan of its host) and a repository they cannot see all answer the same 403, so the answer does
 * not tell which ids exist.
 */
function mayReindexRepository(store: IntegrationStore, user: Caller, repoId: number, action: string): void {
  const record = store.repositories.get(repoId);
  if (record && !record.removalQueued && mayReindex(user, record.fields)) return;
  throw reindexForbidden(user, `${action} repository ${repoId}`);
}

/** X2 by thread alone: every repository of the thread must be one the user may reindex. */
function mayFollowThread(store: IntegrationStore, user: Caller, threadId: string): void {
  const thread = store.repositories.index?.threads.find((t) => t.threadId === threadId);
  const hidden = thread?.entries.find((e) => { const r = store.repositories.get(e.repoId); return !r || !mayReindex(user, r.fields); });
  if (!thread || hidden) throw reindexForbidden(user, `follow reindex thread ${threadId}: it covers repositories you may not see`);
}
