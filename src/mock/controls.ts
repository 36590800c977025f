// Reserved mock routes: /__mock/* controls, the docs page, the contract files and the start page, all under
// the context path (like the API), never under its /rest. Engine routes (src/engine/): plain data in and out.
import { crossSiteReason, type OriginCheck } from '../browser-guard.js';
import { bodyErrorOf, charsetOf, decodeText, isJsonType, hasBody, mediaTypeOf, parseJson } from '../engine/body.js';
import { JSON_TYPE } from '../engine/errors.js';
import type { Exchange } from '../engine/exchange.js';
import { headerOf, parseQuery } from '../engine/routing.js';
import type { EngineResponse } from '../engine/types.js';
import { ApiError } from '../errors.js';
import { jsonListSlices } from '../json-stream.js';
import { allowList } from '../operations.js';
import type { Change, SessionStores } from '../sessions.js';
import { type OpenApiDocument, SpecSchemas } from '../spec.js';
import { fromAjvErrors, renderProblems } from '../validation-messages.js';
import { faultProblems, type FaultInjector, type FaultSettings } from './faults.js';
import type { Journal } from './journal.js';
import { parseStateBody } from './state-parse.js';
import { fromStateDocumentSliced, StateError, tooManyEntries, toStateIntegration } from './state.js';
import { toRepositorySections } from './repository-state.js';
import { indexFault } from '../provisioning.js';
import { advanceIndex, hostsOf, indexAnswer, queueLimitsOf, setHosts } from './provisioning-controls.js';
import type { Config } from '../config.js';


export interface ControlsContext {
  readonly sessions: SessionStores;
  readonly journal: Journal;
  readonly faults: FaultInjector;
  readonly now: () => number;
  /** Persists (with --state-file) and then applies a change; throws ApiError 507 when it cannot. */
  readonly commit: (change: Change) => void;
  /** --state-limit, --max-integrations, --max-problems */
  readonly limits: { readonly stateLimitBytes: number; readonly maxIntegrations: number; readonly maxProblems: number } & Pick<Config, 'indexDelayMs' | 'maxReindexThreads' | 'maxIndexQueue'>;
  /** Origins whose pages may use the controls (--cors-origins). */
  readonly isAllowedOrigin: OriginCheck;
  /** --max-delay: a fault rule asking for more is refused. */
  readonly maxDelayMs?: number;
  /** --context-path */
  readonly base: string;
  readonly spec: OpenApiDocument;
  readonly adminSpec: OpenApiDocument;
  /** Served files by name (openapi.yaml, mock-admin.yaml, docs/*.html). */
  readonly asset: (name: string) => string | undefined;
}

// Try-it on the docs is same-origin, so a page that frames them could click a reset through the
// cross-site guard: only this server may frame them (CSP for browsers now, X-Frame-Options before).
// The pages send no other CSP (scripts/docs/page.ts has no meta policy), so there is none to merge with.
export const DOCS_FRAMING = { 'Content-Security-Policy': "frame-ancestors 'self'", 'X-Frame-Options': 'SAMEORIGIN' } as const;
// The start page loads nothing and runs nothing.
const START_PAGE_HEADERS = { 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'", 'X-Content-Type-Options': 'nosniff' };
const html = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const invalid = (problems: string) => ApiError.of('invalidRequest', { problems });
/** express.json's default limit, which PUT /__mock/faults has always had. */
export const FAULTS_BODY_LIMIT = 100 * 1024;
const RESERVED = ['/__mock', '/docs', '/openapi.yaml', '/openapi.json', '/mock-admin.yaml'];

/** Whether a path (under the context path, trailing slash dropped) is one the controls answer, in any method. */
export const isControlPath = (rel: string): boolean =>
  rel === '/' || rel === '/favicon.ico' || RESERVED.some((r) => rel === r || rel.startsWith(`${r}/`));

type Answer = EngineResponse | Promise<EngineResponse>;
type Route = (x: Exchange, query: Record<string, string | string[]>) => Answer;
const json = (x: Exchange, value: unknown, status = 200): EngineResponse => ({ status, headers: { ...x.headers, 'Content-Type': JSON_TYPE }, body: JSON.stringify(value) });
const text = (x: Exchange, type: string, body: string, extra: Record<string, string> = {}): EngineResponse => ({ status: 200, headers: { ...x.headers, ...extra, 'Content-Type': type }, body });
const noContent = (x: Exchange, extra: Record<string, string>): EngineResponse => ({ status: 204, headers: { ...x.headers, ...extra }, body: null });
const str = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);
const contentType = (x: Exchange) => headerOf(x.req.headers['content-type']);

// 204, not an icon: a browser asks every origin for /favicon.ico, and a 404 there is a console error on
// every docs load; no content is an answer it accepts (and caches for a day), with no file to ship.
const favicon: Route = (x) => noContent(x, { 'Cache-Control': 'public, max-age=86400' });

/** A body that is not JSON answers 415, as on the API; one past the route's limit 413. */
function checkedBody(x: Exchange, limit: number): Uint8Array | undefined {
  if (!hasBody(x.req)) return undefined;
  if (!isJsonType(mediaTypeOf(contentType(x)))) throw ApiError.of('unsupportedMediaType', { contentType: String(x.req.headers['content-type']) });
  if (x.req.bodyError) throw bodyErrorOf(x.req.bodyError, x, limit);
  return x.req.body ?? new Uint8Array(0);
}
/** The parsed body of PUT /__mock/faults or a non-UTF-8 state (undefined when none). */
function jsonBody(x: Exchange, limit: number): unknown {
  if (hasBody(x.req) && isJsonType(mediaTypeOf(contentType(x)))) decodeText(new Uint8Array(0), x); // charset before size
  const bytes = checkedBody(x, limit);
  return bytes === undefined ? undefined : parseJson(decodeText(bytes, x));
}

/**
 * The routes under the context path, by path then method (HEAD answers as GET), and the answer of a path
 * that is none of them: 405 with Allow on a known path, 404 naming the controls under /__mock/, else
 * undefined (the engine's 404).
 */
export function mockControls(ctx: ControlsContext): (x: Exchange) => Answer | undefined {
  const base = ctx.base;
  // Compiled on the first PUT /__mock/faults, not at start.
  const adminSchemas = new SpecSchemas(ctx.adminSpec, 'request');
  const docsPage = (x: Exchange, name: string, path: string) => {
    const page = ctx.asset(name);
    if (page === undefined) throw ApiError.of('routeNotFound', { method: 'GET', path: `${path} (the docs are not built: run npm run docs)` });
    return text(x, 'text/html; charset=utf-8', page, DOCS_FRAMING);
  };

  const routes: Record<string, Record<string, Route>> = {
    // A reset deletes the store (a session without one reads as the seed), so it frees the memory.
    '/__mock/reset': {
      POST: (x, q) => {
        if (q.all === 'true') ctx.commit({ op: 'resetAll' });
        else if (ctx.sessions.has(x.session)) ctx.commit({ op: 'reset', session: x.session });
        return json(x, { success: true });
      },
    },
    '/__mock/requests': {
      GET: (x, q) => {
        const pick = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
        return json(x, { success: true, limit: ctx.journal.limit, requests: ctx.journal.list({ operationId: pick(q.operationId), session: pick(q.session) }) });
      },
      DELETE: (x, q) => {
        ctx.journal.clear(str(q.session));
        return json(x, { success: true });
      },
    },
    '/__mock/state': {
      // Streamed: an export of any store the server accepted is written in slices, never as one string.
      GET: (x) => {
        const store = ctx.sessions.read(x.session);
        // Repositories, the catalogue and the indexing queue (issue 21) before the streamed list: each is bounded.
        const sections = Object.entries(toRepositorySections(store.repositories.snapshot())).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},`).join('');
        return { status: 200, headers: { ...x.headers, 'Content-Type': JSON_TYPE }, body: jsonListSlices(`{"success":true,"nextId":${store.peekNextId()},${sections}"integrations":`, store.records(), toStateIntegration) };
      },
      // A UTF-8 body is parsed by parseStateBody (entries counted before anything is built, then parsed in
      // slices); other charsets with JSON.parse, and counted after. A 413 names --state-limit.
      PUT: async (x) => {
        const max = ctx.limits.maxIntegrations;
        let value: unknown;
        if (/^utf-8$/i.test(charsetOf(contentType(x)) ?? 'utf-8')) {
          const bytes = checkedBody(x, ctx.limits.stateLimitBytes);
          const parsed = bytes === undefined ? { tooMany: false as const, value: undefined } : await parseStateBody(bytes, max);
          if (parsed.tooMany) throw invalid(tooManyEntries(`more than ${max}`, max));
          value = parsed.value;
        } else value = jsonBody(x, ctx.limits.stateLimitBytes);
        let snapshot;
        try {
          snapshot = await fromStateDocumentSliced(value, ctx.now(), ctx.limits);
        } catch (e) {
          throw e instanceof StateError ? invalid(e.message) : e;
        }
        ctx.commit({ op: 'import', session: x.session, snapshot });
        return json(x, { success: true, integrations: snapshot.integrations.length });
      },
    },
    // The indexing clock (the only way it moves under --clock) and the host catalogue discovery reads (issue 21).
    '/__mock/index': {
      POST: (x) => {
        const limits = queueLimitsOf(ctx.limits);
        const store = ctx.sessions.read(x.session);
        const now = ctx.now();
        const plan = advanceIndex(store, jsonBody(x, FAULTS_BODY_LIMIT), limits, now, indexFault(store, (repoId) => ctx.faults.indexError(repoId)));
        if (plan) ctx.commit(plan(x.session));
        return json(x, indexAnswer(ctx.sessions.read(x.session), limits, now));
      },
    },
    '/__mock/hosts': {
      GET: (x) => json(x, hostsOf(ctx.sessions.read(x.session))),
      PUT: (x) => {
        ctx.commit(setHosts(x.session, jsonBody(x, ctx.limits.stateLimitBytes)));
        return json(x, hostsOf(ctx.sessions.read(x.session)));
      },
      // Back to the default catalogue (a JSON null body is refused before any route reads it).
      DELETE: (x) => {
        ctx.commit(setHosts(x.session, null));
        return json(x, hostsOf(ctx.sessions.read(x.session)));
      },
    },
    '/__mock/faults': {
      GET: (x) => json(x, { success: true, ...ctx.faults.current() }),
      PUT: (x) => {
        const body = jsonBody(x, FAULTS_BODY_LIMIT);
        const faultSchema = adminSchemas.validator('/components/schemas/FaultSettings');
        if (!faultSchema(body)) throw invalid(renderProblems(fromAjvErrors(faultSchema.errors ?? []), body, ctx.spec).problems);
        const tooLong = faultProblems(body as FaultSettings, ctx.maxDelayMs ?? Infinity);
        if (tooLong.length) throw invalid(tooLong.join('; '));
        ctx.faults.replace(body as FaultSettings);
        return json(x, { success: true, ...ctx.faults.current() });
      },
    },
    // A newcomer's first request (GET / or GET <context path>/): where everything is.
    '/': { GET: (x) => text(x, 'text/html; charset=utf-8', startPage(x.path.startsWith(`${base}/`) || x.path === base ? base : '', originOf(x)), START_PAGE_HEADERS) },
    '/favicon.ico': { GET: favicon },
    '/openapi.yaml': { GET: (x) => text(x, 'application/yaml', ctx.asset('openapi.yaml') ?? '') },
    '/openapi.json': { GET: (x) => json(x, ctx.spec) },
    '/mock-admin.yaml': { GET: (x) => text(x, 'application/yaml', ctx.asset('mock-admin.yaml') ?? '') },
    '/docs': { GET: (x) => docsPage(x, 'docs/index.html', '/docs') },
    '/docs/mock-admin': { GET: (x) => docsPage(x, 'docs/mock-admin.html', '/docs/mock-admin') },
  };
  // A known path with another method answers 405 with Allow, by the rule of the API's Allow lists.
  const allowed = new Map(Object.entries(routes).map(([path, methods]) => [path, allowList(Object.keys(methods)).join(', ')]));

  const under = (x: Exchange, rel: string): Answer | undefined => {
    if (rel === '/__mock' || rel.startsWith('/__mock/')) {
      // Before every control: what a page on another site could send is refused with 403.
      const reason = crossSiteReason(str(x.req.headers.origin), x.req.headers['sec-fetch-site'], str(x.req.headers.host), ctx.isAllowedOrigin);
      if (reason !== undefined) throw ApiError.of('crossSiteRefused', { method: x.method, path: x.path, reason });
    }
    // Express's rule, kept: one trailing slash names the same route.
    const key = rel.length > 1 && rel.endsWith('/') ? rel.slice(0, -1) : rel;
    const route = routes[key]?.[x.method === 'HEAD' ? 'GET' : x.method];
    if (route) return route(x, (x.query ??= parseQuery(x.req.query)));
    try { decodeURIComponent(rel); } catch { throw invalid(`the URL path ${rel} is not valid percent-encoding`); }
    const allow = allowed.get(key);
    // OPTIONS on a path the browser stage has no spec entry for (e.g. /openapi.json) answers like elsewhere.
    if (allow && x.method === 'OPTIONS') return noContent(x, { Allow: allow });
    if (allow) throw ApiError.of('methodNotAllowed', { method: x.method, path: rel, allowed: allow }, { Allow: allow });
    if (rel.startsWith('/__mock/')) throw ApiError.of('routeNotFound', { method: x.method, path: x.path, advice: `The controls are ${base}/__mock/reset, requests, state, faults, index and hosts; see ${base}/docs/mock-admin.` });
    return undefined;
  };

  return (x) => {
    if (base === '') return under(x, x.path);
    if (x.path === base || x.path.startsWith(`${base}/`)) return under(x, x.path.slice(base.length) || '/');
    // At the root, / is the same start page and /favicon.ico the same 204; the reserved paths answer 404
    // naming their URL under the context path.
    const get = x.method === 'GET' || x.method === 'HEAD';
    if (x.path === '/' && get) return text(x, 'text/html; charset=utf-8', startPage(base, originOf(x)), START_PAGE_HEADERS);
    if (x.path === '/favicon.ico' && get) return favicon(x, {});
    if (RESERVED.some((r) => x.path === r || x.path.startsWith(`${r}/`))) {
      throw ApiError.of('routeNotFound', { method: x.method, path: x.path, advice: `gij-mock runs under the context path ${base} (--context-path): use ${base}${x.path}.` });
    }
    return undefined;
  };
}

const originOf = (x: Exchange) => `${x.req.protocol ?? 'http'}://${String(x.req.headers.host)}`;

/** The start page: the API base, docs, controls and contract URLs under `base` (the context path). */
export function startPage(base: string, origin: string): string {
  const link = (path: string, text = `${origin}${base}${path}`) => `<a href="${html(`${base}${path}`)}">${html(text)}</a>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>gij-mock</title>
<style>body { font: 15px/1.5 sans-serif; margin: 2em auto; max-width: 50em; padding: 0 1em; } code { background: #f3f3f3; }</style></head>
<body>
<h1>gij-mock</h1>
<p>A stub of the Git Integration for Jira Integration REST API, for local testing.</p>
<ul>
<li>API base: <code>${html(`${origin}${base}/rest/gitplugin/1.0`)}</code>, e.g. ${link('/rest/gitplugin/1.0/integration')} (log in as <code>admin</code>/<code>admin</code>)</li>
<li>Docs, with "Try it out": ${link('/docs')}</li>
<li>Controls: <code>${html(`${origin}${base}/__mock`)}</code> (reset, requests, state, faults), documented at ${link('/docs/mock-admin')}</li>
<li>Contract: ${link('/openapi.yaml', 'openapi.yaml')}, ${link('/openapi.json', 'openapi.json')}, ${link('/mock-admin.yaml', 'mock-admin.yaml')}</li>
</ul>
</body>
</html>
`;
}
