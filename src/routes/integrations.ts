// One handler per operationId of the Integration API, written to the engine's OperationHandler: plain
// data in, a JSON value (or a streamed list) out. Handlers throw ApiError; they never write errors.
import type { components } from '../generated/openapi.js';
import { ApiError } from '../errors.js';
import {
  createIntegration, mergeUpdate, READ_BACK_FIELDS,
  type IntegrationRequest, type IntegrationRules, type IntegrationUpdate, type StoredIntegration,
} from '../integration-model.js';
import type { OperationCall, OperationHandler } from '../engine/types.js';
import { jsonListSlices } from '../json-stream.js';
import { MAX_ID, type IntegrationStore } from '../store.js';
import { idFormProblem, isCanonicalId } from '../request-checks.js';
import { fromAjvErrors, renderProblems } from '../validation-messages.js';
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
  /** Most integrations one session may hold (--max-integrations). */
  readonly maxIntegrations: number;
  /** --validation lenient: a changed read-back field is ignored with a warning instead of refused. */
  readonly lenient?: boolean;
}

// Read from the path as written, since a validator may coerce params (the request checks named a wrong
// form before it; this guard keeps a handler from ever reading `0x1` as 1).
function idOf(call: OperationCall): number {
  const raw = call.params.integrationId ?? '';
  if (!isCanonicalId(raw)) throw ApiError.of('invalidRequest', { problems: idFormProblem(raw) });
  return Number(raw);
}
// The body as the client sent it: a validator may fill spec defaults into its copy, which would turn
// a partial update into a reset of every omitted field.
function sentBody<T>(call: OperationCall): T {
  if (call.body === undefined) throw ApiError.of('invalidRequest', { problems: 'the body is required: send one JSON object', advice: 'Send the integration fields as a JSON object with Content-Type application/json.' });
  return call.body as T;
}

function existing(store: IntegrationStore, id: number): StoredIntegration {
  const record = store.get(id);
  if (!record) throw ApiError.of('integrationNotFound', { id });
  return record;
}

export function integrationHandlers(ctx: HandlerContext): Record<string, OperationHandler> {
  // Each change is computed from the current store, persisted, applied, and only then answered.
  const addIntegration: OperationHandler = (call) => {
    const { store } = call;
    const body = sentBody<IntegrationRequest>(call);
    if (store.size >= ctx.maxIntegrations) throw ApiError.of('integrationLimit', { max: ctx.maxIntegrations });
    const id = store.peekNextId();
    if (id > MAX_ID) throw ApiError.of('idSpaceExhausted', { max: MAX_ID });
    const record = createIntegration(body, id, ctx.now(), ctx.rules);
    call.commit((session) => ({ op: 'put', session, record }));
    return { json: { success: 'true', integration: store.view(record) } satisfies Schemas['IntegrationSavedResponse'] };
  };

  const listIntegrations: OperationHandler = ({ store }) => {
    // A big list is written in slices with back-pressure: no one giant string, and other requests run between slices.
    if (isBig(store)) return { stream: jsonListSlices('{"success":true,"integrations":', store.records(), (r) => store.view(r)) };
    return { json: { success: true, integrations: store.list() } satisfies Schemas['IntegrationListResponse'] };
  };

  const getIntegration: OperationHandler = (call) => {
    const { store } = call;
    return { json: { success: 'true', integration: [store.view(existing(store, idOf(call)))] } satisfies Schemas['IntegrationOneResponse'] };
  };

  const updateIntegration: OperationHandler = (call) => {
    const { store } = call;
    const current = existing(store, idOf(call));
    const patch = sentBody<IntegrationUpdate>(call);
    for (const sent of [patch.type, patch.integrationType]) {
      if (sent !== undefined && sent !== current.fields.type) throw ApiError.of('typeChange', { from: current.fields.type, to: sent });
    }
    // Read-back fields (an integration as read, sent back) change nothing: equal is fine, different is refused.
    const shown = store.view(current) as Record<string, unknown>;
    const readBack = READ_BACK_FIELDS.filter((k) => patch[k] !== undefined && patch[k] !== shown[k])
      .map((k) => `${k} cannot change: the server sets it; leave it out or send the value read back`);
    if (ctx.lenient) call.warn(readBack);
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
    call.commit((session) => ({ op: 'put', session, record: next }));
    return { json: { success: 'true', integration: store.view(next) } satisfies Schemas['IntegrationSavedResponse'] };
  };

  const removeIntegration: OperationHandler = (call) => {
    // deleteFiles has nothing to delete here: gij-mock keeps no clones.
    const { id } = existing(call.store, idOf(call));
    call.commit((session) => ({ op: 'remove', session, id }));
    return { json: { success: true } satisfies Schemas['SuccessResponse'] };
  };

  const setIntegrationDisabled: OperationHandler = (call) => {
    const current = existing(call.store, idOf(call));
    const disabled = String(call.query.disable) === 'true';
    const record = { ...current, fields: { ...current.fields, disabled } };
    call.commit((session) => ({ op: 'put', session, record }));
    return { json: { success: true } satisfies Schemas['SuccessResponse'] };
  };

  return { addIntegration, listIntegrations, getIntegration, updateIntegration, removeIntegration, setIntegrationDisabled };
}
