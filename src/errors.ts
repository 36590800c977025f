// The one error type and its catalogue. Handlers throw ApiError; src/error-handler.ts renders it.
import type { components } from './generated/openapi.js';

export type ErrorBody = components['schemas']['ErrorResponse'];

interface Entry<P> {
  status: number;
  error: (params: P) => string;
  advice: (params: P) => string;
}

const entry = <P>(e: Entry<P>): Entry<P> => e;

/** Every error gij-mock answers, by code. test/unit/errors.test.ts keeps this equal to the spec's statuses. */
export const catalogue = {
  invalidRequest: entry<{ problems: string; advice?: string }>({
    status: 400,
    error: (p) => p.problems,
    advice: (p) => p.advice ?? 'Correct the fields named above and send the request again; /docs lists every field and rule.',
  }),
  malformedJson: entry<{ detail: string }>({
    status: 400,
    error: (p) => `The request body is not valid JSON: ${p.detail}`,
    advice: () => 'Send one JSON object with Content-Type application/json.',
  }),
  typeChange: entry<{ from: string; to: string }>({
    status: 400,
    error: (p) => `type cannot change from ${p.from} to ${p.to}`,
    advice: () => 'Leave type out of the update, or remove the integration and add a new one of the other type.',
  }),
  unauthenticated: entry<{ reason: string }>({
    status: 401,
    error: () => 'Client must be authenticated to access this resource.',
    advice: (p) => `${p.reason} Send a Jira administrator's credentials as Basic auth or a personal access token as Bearer.`,
  }),
  notAdministrator: entry<{ user: string }>({
    status: 403,
    error: () => 'Client must be authenticated as a system administrator to access this resource.',
    advice: (p) => `User ${p.user} is not a Jira administrator; use the account or token of a user in the administrators group.`,
  }),
  reindexForbidden: entry<{ user: string; action: string; advice?: string }>({
    status: 403,
    error: (p) => `You may not ${p.action}`,
    advice: (p) => p.advice ?? `User ${p.user} needs Browse projects and View Development Tools on a project the repository is mapped to, or a Jira administrator's account.`,
  }),
  integrationNotFound: entry<{ id: number }>({
    status: 404,
    error: (p) => `Repository with id=${p.id} does not exist`,
    advice: () => 'Please try again with an existing repository id.',
  }),
  routeNotFound: entry<{ method: string; path: string; advice?: string }>({
    status: 404,
    error: (p) => `No operation at ${p.method} ${p.path}`,
    advice: (p) => p.advice ?? 'The Integration API lives under /rest/gitplugin/1.0; see /docs for its paths.',
  }),
  methodNotAllowed: entry<{ method: string; path: string; allowed: string }>({
    status: 405,
    error: (p) => `${p.method} is not allowed on ${p.path}`,
    advice: (p) => `Use one of: ${p.allowed}.`,
  }),
  payloadTooLarge: entry<{ limit: number }>({
    status: 413,
    error: (p) => `The request body is larger than ${p.limit} bytes`,
    advice: () => 'Send a smaller body; an integration needs only a few hundred bytes.',
  }),
  unsupportedMediaType: entry<{ contentType: string }>({
    status: 415,
    error: (p) => `Content-Type ${p.contentType} is not supported`,
    advice: () => 'Send the body as JSON with Content-Type application/json.',
  }),
  misdirectedRequest: entry<{ host: string }>({
    status: 421,
    error: (p) => `Host ${p.host} is not a name gij-mock answers to`,
    advice: () => 'Call gij-mock as localhost, 127.0.0.1, [::1] or its --host address; add other names with --allowed-hosts. (This refusal guards against DNS rebinding.)',
  }),
  crossSiteRefused: entry<{ method: string; path: string; reason: string }>({
    status: 403,
    error: (p) => `Cross-site ${p.method} ${p.path} refused: ${p.reason}`,
    advice: () => 'Call the controls from a tool (curl, a test runner: no Origin or Sec-Fetch-Site header) or from a page on an allowed origin (--cors-origins) or on this server.',
  }),
  storageFailed: entry<{ reason: string }>({
    status: 507,
    error: (p) => `The change could not be saved to the state file (${p.reason}); nothing was changed`,
    advice: () => 'Free disk space or fix the folder of --state-file, then send the request again.',
  }),
  sessionLimit: entry<{ max: number }>({
    status: 507,
    error: (p) => `Every one of the ${p.max} session stores is in use (--max-sessions); this named session has none yet`,
    advice: () => 'Reset sessions you no longer need (POST /__mock/reset with their X-Mock-Session, or ?all=true), or start gij-mock with a larger --max-sessions.',
  }),
  stateBytesLimit: entry<{ max: number; held: number; growth: number }>({
    status: 507,
    error: (p) => `This change needs ${p.growth} more bytes, but all sessions hold ${p.held} of the ${p.max} they may hold together (--max-state-bytes); nothing was changed`,
    advice: () => 'Reset sessions you no longer need (POST /__mock/reset with their X-Mock-Session, or ?all=true), remove integrations, or start gij-mock with a larger --max-state-bytes.',
  }),
  integrationLimit: entry<{ max: number }>({
    status: 507,
    error: (p) => `This session already holds ${p.max} integrations, the most one session may (--max-integrations)`,
    advice: () => 'Remove integrations you no longer need or reset the session, or start gij-mock with a larger --max-integrations.',
  }),
  idSpaceExhausted: entry<{ max: number }>({
    status: 507,
    error: (p) => `No id is left in this session: ids are never reused and ${p.max} has been given out`,
    advice: () => 'Reset the session (POST /__mock/reset) or import a state (PUT /__mock/state) whose ids leave room.',
  }),
  reindexLimit: entry<{ limit: 'threads' | 'queue'; max: number }>({
    status: 507,
    error: (p) => (p.limit === 'threads'
      ? `This session already has ${p.max} unfinished reindex threads, the most it keeps (--max-reindex-threads); nothing was queued`
      : `This request would put more than ${p.max} repositories in the indexing queue (--max-index-queue); nothing was queued`),
    advice: () => 'Wait until queued reindexing has finished (GET /rest/gitplugin/1.0/index.json, or advance the mock clock), reindex fewer repositories, or reset the session.',
  }),
  threadNotFound: entry<{ threadId: string }>({
    status: 404,
    error: (p) => `Reindex thread ${p.threadId} does not exist`,
    advice: () => 'Use the threadId a reindex answered; a finished thread is kept for one hour.',
  }),
  projectNotFound: entry<{ key: string }>({
    status: 404,
    error: (p) => `Project with key=${p.key} does not exist`,
    advice: () => 'Use the key of a Jira project you can browse, e.g. TEST.',
  }),
  internal: entry<{ requestId: string }>({
    status: 500,
    error: () => 'gij-mock failed unexpectedly (this is a bug in gij-mock)',
    advice: (p) => `Report it with request id ${p.requestId}; the server log has the details.`,
  }),
} as const;

export type ErrorCode = keyof typeof catalogue;
type ParamsOf<C extends ErrorCode> = Parameters<(typeof catalogue)[C]['error']>[0];

/** ErrorResponse's maxLength of `error` and `advice`: a text that quotes a huge field name is cut here. */
export const MAX_ERROR_TEXT = 8192;
const cut = (text: string) => (text.length <= MAX_ERROR_TEXT ? text : `${text.slice(0, MAX_ERROR_TEXT - 1)}…`);

export class ApiError extends Error {
  readonly body: ErrorBody;

  constructor(
    readonly code: ErrorCode | 'injectedFault',
    readonly status: number,
    body: ErrorBody,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(cut(body.error));
    this.name = 'ApiError';
    this.body = { success: false, error: this.message, advice: cut(body.advice) };
  }

  /** A status asked for by a Prefer header or a fault rule (mock control, not an API rule). */
  static injected(status: number, headers: Record<string, string> = {}): ApiError {
    return new ApiError('injectedFault', status, {
      success: false,
      error: `Injected fault: status ${status} was requested by a Prefer header or a fault rule`,
      advice: 'Remove the Prefer header or the fault rule (PUT /__mock/faults) to get the real answer.',
    }, headers);
  }

  static of<C extends ErrorCode>(code: C, params: ParamsOf<C>, headers?: Record<string, string>): ApiError {
    const e = catalogue[code] as Entry<ParamsOf<C>>;
    return new ApiError(code, e.status, { success: false, error: e.error(params), advice: e.advice(params) }, headers);
  }
}
