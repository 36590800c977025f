// One handler per operationId of the Integration API. Handlers throw ApiError; they never write errors.
import type { Request, RequestHandler, Response } from 'express';
import type { components } from '../generated/openapi.js';
import { ApiError } from '../errors.js';
import {
  createIntegration, mergeUpdate, READ_BACK_FIELDS,
  type IntegrationRequest, type IntegrationRules, type IntegrationUpdate, type StoredIntegration,
} from '../integration-model.js';
import { sendJsonList } from '../json-stream.js';
import type { Change } from '../sessions.js';
import { MAX_ID, type IntegrationStore } from '../store.js';
import { idFormProblem, isCanonicalId, rawIntegrationId } from '../request-checks.js';
import { fromAjvErrors, renderProblems } from '../validation-messages.js';
import { addWarnings } from '../warnings.js';
import type { OpenApiDocument, SpecSchemas } from '../spec.js';

type Schemas = components['schemas'];
/** Lists longer than this, or larger than about STREAM_LIST_ABOVE_BYTES, are streamed (and then not checked by the response validator). */
export const STREAM_LIST_ABOVE = 500;
export const STREAM_LIST_ABOVE_BYTES = 1024 * 1024;

/** A cheap over-estimate of a record's JSON size, to decide before serialising whether to stream. */
function roughSize(record: StoredIntegration): number {
  let n = 600;
  for (const v of Object.values(record.fields)) n += typeof v === 'string' ? v.length * 2 : Array.isArray(v) ? v.length * 12 : 0;
  return n;
}
const isBig = (store: IntegrationStore): boolean => {
  if (store.size > STREAM_LIST_ABOVE) return true;
  let bytes = 0;
  for (const r of store.records()) if ((bytes += roughSize(r)) > STREAM_LIST_ABOVE_BYTES) return true;
  return false;
};

export interface HandlerContext {
  readonly spec: OpenApiDocument;
  readonly rules: IntegrationRules;
  readonly requestSchemas: SpecSchemas;
  readonly now: () => number;
  /** The store of the request's session (set by the session middleware), for reading. */
  readonly storeFor: (res: Response) => IntegrationStore;
  /** Persists (with --state-file) and then applies a change of the request's session; throws ApiError 507 when it cannot. */
  readonly commit: (res: Response, change: (session: string) => Change) => void;
  /** Most integrations one session may hold (--max-integrations). */
  readonly maxIntegrations: number;
  /** --validation lenient: a changed read-back field is ignored with a warning instead of refused. */
  readonly lenient?: boolean;
}

// Read from the raw path, since the validator has already coerced req.params (the request checks named
// a wrong form before it; this guard keeps a handler from ever reading `0x1` as 1).
function idOf(req: Request): number {
  const raw = rawIntegrationId(req.path) ?? '';
  if (!isCanonicalId(raw)) throw ApiError.of('invalidRequest', { problems: idFormProblem(raw) });
  return Number(raw);
}
// The body as the client sent it: the validator fills spec defaults into req.body, which would turn
// a partial update into a reset of every omitted field.
function sentBody<T>(res: Response): T {
  const body = res.locals.sentBody as unknown;
  if (body === undefined) throw ApiError.of('invalidRequest', { problems: 'the body is required: send one JSON object', advice: 'Send the integration fields as a JSON object with Content-Type application/json.' });
  return body as T;
}

function existing(store: IntegrationStore, id: number): StoredIntegration {
  const record = store.get(id);
  if (!record) throw ApiError.of('integrationNotFound', { id });
  return record;
}

export function integrationHandlers(ctx: HandlerContext): Record<string, RequestHandler> {
  // Each change is computed from the current store, persisted, applied, and only then answered.
  const addIntegration: RequestHandler = (_req, res) => {
    const store = ctx.storeFor(res);
    const body = sentBody<IntegrationRequest>(res);
    if (store.size >= ctx.maxIntegrations) throw ApiError.of('integrationLimit', { max: ctx.maxIntegrations });
    const id = store.peekNextId();
    if (id > MAX_ID) throw ApiError.of('idSpaceExhausted', { max: MAX_ID });
    const record = createIntegration(body, id, ctx.now(), ctx.rules);
    ctx.commit(res, (session) => ({ op: 'put', session, record }));
    res.json({ success: 'true', integration: store.view(record) } satisfies Schemas['IntegrationSavedResponse']);
  };

  const listIntegrations: RequestHandler = (_req, res, next) => {
    const store = ctx.storeFor(res);
    // A big list is written in slices with back-pressure: no one giant string, and other requests run between slices.
    if (isBig(store)) return void sendJsonList(res, '{"success":true,"integrations":', store.records(), (r) => store.view(r)).catch(next);
    res.json({ success: true, integrations: store.list() } satisfies Schemas['IntegrationListResponse']);
  };

  const getIntegration: RequestHandler = (req, res) => {
    const store = ctx.storeFor(res);
    res.json({ success: 'true', integration: [store.view(existing(store, idOf(req)))] } satisfies Schemas['IntegrationOneResponse']);
  };

  const updateIntegration: RequestHandler = (req, res) => {
    const store = ctx.storeFor(res);
    const current = existing(store, idOf(req));
    const patch = sentBody<IntegrationUpdate>(res);
    for (const sent of [patch.type, patch.integrationType]) {
      if (sent !== undefined && sent !== current.fields.type) throw ApiError.of('typeChange', { from: current.fields.type, to: sent });
    }
    // Read-back fields (an integration as read, sent back) change nothing: equal is fine, different is refused.
    const shown = store.view(current) as Record<string, unknown>;
    const readBack = READ_BACK_FIELDS.filter((k) => patch[k] !== undefined && patch[k] !== shown[k])
      .map((k) => `${k} cannot change: the server sets it; leave it out or send the value read back`);
    if (ctx.lenient) addWarnings(res, readBack);
    const problems = ctx.lenient ? [] : readBack;
    let advice: string | undefined;
    const next = mergeUpdate(current, patch, ctx.rules);
    const integrationRule = ctx.requestSchemas.validator('/components/schemas/IntegrationRequest');
    // The merged integration must still satisfy the rules of its type (e.g. origin not emptied).
    if (!integrationRule(next.fields)) {
      const rendered = renderProblems(fromAjvErrors(integrationRule.errors ?? []), next.fields, ctx.spec);
      problems.push(`after this update, ${rendered.problems}`);
      advice = rendered.advice;
    }
    if (problems.length) throw ApiError.of('invalidRequest', { problems: problems.join('; '), ...(advice === undefined ? {} : { advice }) });
    ctx.commit(res, (session) => ({ op: 'put', session, record: next }));
    res.json({ success: 'true', integration: store.view(next) } satisfies Schemas['IntegrationSavedResponse']);
  };

  const removeIntegration: RequestHandler = (req, res) => {
    const store = ctx.storeFor(res);
    // deleteFiles has nothing to delete here: gij-mock keeps no clones.
    const { id } = existing(store, idOf(req));
    ctx.commit(res, (session) => ({ op: 'remove', session, id }));
    res.json({ success: true } satisfies Schemas['SuccessResponse']);
  };

  const setIntegrationDisabled: RequestHandler = (req, res) => {
    const store = ctx.storeFor(res);
    const current = existing(store, idOf(req));
    const disabled = String(req.query.disable) === 'true';
    const record = { ...current, fields: { ...current.fields, disabled } };
    ctx.commit(res, (session) => ({ op: 'put', session, record }));
    res.json({ success: true } satisfies Schemas['SuccessResponse']);
  };

  return { addIntegration, listIntegrations, getIntegration, updateIntegration, removeIntegration, setIntegrationDisabled };
}
