// Reserved mock routes: /__mock/* controls, the docs page, the contract files and the start page, all under
// the context path (like the API), never under its /rest.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Router } from 'express';
import { crossSiteGuard, type OriginCheck } from '../browser-guard.js';
import { ApiError } from '../errors.js';
import { allowList } from '../operations.js';
import { sendJsonList } from '../json-stream.js';
import type { Change, SessionStores } from '../sessions.js';
import { loadSpec, projectRoot, SpecSchemas } from '../spec.js';
import { fromAjvErrors, renderProblems } from '../validation-messages.js';
import { faultProblems, type FaultInjector, type FaultSettings } from './faults.js';
import type { Journal } from './journal.js';
import { parseStateBody } from './state-parse.js';
import { fromStateDocumentSliced, StateError, tooManyEntries, toStateIntegration } from './state.js';

export interface ControlsContext {
  readonly sessions: SessionStores;
  readonly journal: Journal;
  readonly faults: FaultInjector;
  readonly now: () => number;
  /** Persists (with --state-file) and then applies a change; throws ApiError 507 when it cannot. */
  readonly commit: (change: Change) => void;
  /** --state-limit, --max-integrations, --max-problems */
  readonly limits: { readonly stateLimitBytes: number; readonly maxIntegrations: number; readonly maxProblems: number };
  /** Origins whose pages may use the controls (--cors-origins). */
  readonly isAllowedOrigin: OriginCheck;
  /** --max-delay: a fault rule asking for more is refused. */
  readonly maxDelayMs?: number;
}
const adminSpecPath = join(projectRoot, 'openapi', 'mock-admin.yaml');
const docsDir = join(projectRoot, 'dist', 'docs');
// Try-it on the docs is same-origin, so a page that frames them could click a reset through the
// cross-site guard: only this server may frame them (CSP for browsers now, X-Frame-Options before).
// The pages send no other CSP (scripts/docs/page.ts has no meta policy), so there is none to merge with.
export const DOCS_FRAMING = { 'Content-Security-Policy': "frame-ancestors 'self'", 'X-Frame-Options': 'SAMEORIGIN' } as const;
const invalid = (problems: string) => ApiError.of('invalidRequest', { problems });

// A body that is not JSON answers 415, as on the API (express.json would skip it and leave no body).
const jsonOnly: express.RequestHandler = (req, _res, next) => {
  if (req.is(['application/json', 'application/*+json']) === false) throw ApiError.of('unsupportedMediaType', { contentType: String(req.headers['content-type']) });
  next();
};

const charsetOf = (req: express.Request) => /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1] ?? 'utf-8';

/**
 * A UTF-8 state body is read as bytes (inflated, --state-limit applied while inflating) and parsed by
 * parseStateBody: its entries counted before anything is built, then parsed in slices. Other charsets go
 * through express.json as before, and are counted after parsing.
 */
function stateBodyParser(limit: number): express.RequestHandler {
  const bytes = express.raw({ type: () => true, limit });
  const json = express.json({ limit });
  return (req, res, next) => (/^utf-8$/i.test(charsetOf(req)) ? bytes : json)(req, res, next);
}

export function mockControls(ctx: ControlsContext): Router {
  // Case-sensitive like every other path (/__MOCK/RESET is 404).
  const router = express.Router({ caseSensitive: true });
  // Compiled on the first PUT /__mock/faults, not at start.
  const adminSchemas = new SpecSchemas(loadSpec(adminSpecPath), 'request');
  const session = (res: express.Response) => res.locals.session as string;
  // Before every control: what a page on another site could send is refused with 403.
  router.use('/__mock', crossSiteGuard(ctx.isAllowedOrigin));

  // A reset deletes the store (a session without one reads as the seed), so it frees the memory.
  router.post('/__mock/reset', (req, res) => {
    if (req.query.all === 'true') ctx.commit({ op: 'resetAll' });
    else if (ctx.sessions.has(session(res))) ctx.commit({ op: 'reset', session: session(res) });
    res.json({ success: true });
  });

  router.get('/__mock/requests', (req, res) => {
    const pick = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    const requests = ctx.journal.list({ operationId: pick(req.query.operationId), session: pick(req.query.session) });
    res.json({ success: true, limit: ctx.journal.limit, requests });
  });
  router.delete('/__mock/requests', (req, res) => {
    ctx.journal.clear(typeof req.query.session === 'string' ? req.query.session : undefined);
    res.json({ success: true });
  });

  // Streamed: an export of any store the server accepted is written in slices, never as one string.
  router.get('/__mock/state', (_req, res, next) => {
    const store = ctx.sessions.read(session(res));
    sendJsonList(res, `{"success":true,"nextId":${store.peekNextId()},"integrations":`, store.records(), toStateIntegration).catch(next);
  });
  // A 413 names the limit body-parser applied (src/error-handler.ts), here --state-limit.
  const stateBody = stateBodyParser(ctx.limits.stateLimitBytes);
  router.put('/__mock/state', jsonOnly, stateBody, (req, res, next) => {
    const max = ctx.limits.maxIntegrations;
    (async () => {
      const parsed = Buffer.isBuffer(req.body) ? await parseStateBody(req.body, max) : { tooMany: false as const, value: req.body as unknown };
      if (parsed.tooMany) throw invalid(tooManyEntries(`more than ${max}`, max));
      let snapshot;
      try {
        snapshot = await fromStateDocumentSliced(parsed.value, ctx.now(), ctx.limits);
      } catch (e) {
        throw e instanceof StateError ? invalid(e.message) : e;
      }
      ctx.commit({ op: 'import', session: session(res), snapshot });
      res.json({ success: true, integrations: snapshot.integrations.length });
    })().catch(next);
  });

  router.get('/__mock/faults', (_req, res) => res.json({ success: true, ...ctx.faults.current() }));
  router.put('/__mock/faults', jsonOnly, express.json(), (req, res) => {
    const faultSchema = adminSchemas.validator('/components/schemas/FaultSettings');
    if (!faultSchema(req.body)) throw invalid(renderProblems(fromAjvErrors(faultSchema.errors ?? []), req.body, loadSpec()).problems);
    const tooLong = faultProblems(req.body as FaultSettings, ctx.maxDelayMs ?? Infinity);
    if (tooLong.length) throw invalid(tooLong.join('; '));
    ctx.faults.replace(req.body as FaultSettings);
    res.json({ success: true, ...ctx.faults.current() });
  });

  // A newcomer's first request (GET / or GET <context path>/): where everything is.
  router.get('/', (req, res) => void res.set(START_PAGE_HEADERS).type('html').send(startPage(req.baseUrl, `${req.protocol}://${req.headers.host}`)));
  router.get('/favicon.ico', favicon);
  router.get('/openapi.yaml', (_req, res) => void res.type('application/yaml').send(readFileSync(join(projectRoot, 'openapi', 'openapi.yaml'))));
  router.get('/openapi.json', (_req, res) => void res.json(loadSpec()));
  router.get('/mock-admin.yaml', (_req, res) => void res.type('application/yaml').send(readFileSync(adminSpecPath)));
  router.get(['/docs', '/docs/mock-admin'], (req, res) => {
    const page = join(docsDir, req.path.endsWith('mock-admin') ? 'mock-admin.html' : 'index.html');
    if (!existsSync(page)) throw ApiError.of('routeNotFound', { method: 'GET', path: `${req.path} (the docs are not built: run npm run docs)` });
    res.set(DOCS_FRAMING).type('html').send(readFileSync(page));
  });
  // A known path with another method answers 405 with Allow (read from the routes above); others 404.
  const allowed = allowedMethods(router);
  router.all('/{*rest}', (req, res, next) => {
    const methods = allowed.get(req.path.length > 1 ? req.path.replace(/\/$/, '') : req.path);
    // OPTIONS on a path the browser stage has no spec entry for (e.g. /openapi.json) answers like elsewhere.
    if (methods && req.method === 'OPTIONS') return void res.set('Allow', methods).status(204).end();
    if (methods) throw ApiError.of('methodNotAllowed', { method: req.method, path: req.path, allowed: methods }, { Allow: methods });
    if (req.path.startsWith('/__mock/')) throw ApiError.of('routeNotFound', { method: req.method, path: req.originalUrl.split('?')[0]!, advice: `The controls are ${req.baseUrl}/__mock/reset, requests, state and faults; see ${req.baseUrl}/docs/mock-admin.` });
    next();
  });
  return router;
}

/**
 * With a context path, the reserved routes answer under it (mounted there: req.baseUrl is the context
 * path). At the root, / is the same start page and /favicon.ico the same 204; the controls', docs' and
 * contract files' paths answer 404 naming their URL under the context path.
 */
export function underContextPath(base: string, controls: Router): Router {
  const router = express.Router({ caseSensitive: true });
  router.use(base, controls);
  router.get('/', (req, res) => void res.set(START_PAGE_HEADERS).type('html').send(startPage(base, `${req.protocol}://${req.headers.host}`)));
  router.get('/favicon.ico', favicon);
  router.use(['/__mock', '/docs', '/openapi.yaml', '/openapi.json', '/mock-admin.yaml'], (req) => {
    const path = req.originalUrl.split('?')[0]!;
    throw ApiError.of('routeNotFound', { method: req.method, path, advice: `gij-mock runs under the context path ${base} (--context-path): use ${base}${path}.` });
  });
  return router;
}

// 204, not an icon: a browser asks every origin for /favicon.ico, and a 404 there is a console error on
// every docs load; no content is an answer it accepts (and caches for a day), with no file to ship.
const favicon: express.RequestHandler = (_req, res) => void res.set('Cache-Control', 'public, max-age=86400').status(204).end();

// The start page loads nothing and runs nothing.
const START_PAGE_HEADERS = { 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'", 'X-Content-Type-Options': 'nosniff' };
const html = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

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

/**
 * Path → "GET, PUT, HEAD, OPTIONS" for every route of the router, by the rule of the API's Allow lists
 * (allowList: HEAD where it has GET, which express answers, then OPTIONS, answered above).
 */
function allowedMethods(router: Router): Map<string, string> {
  const out = new Map<string, string[]>();
  for (const layer of router.stack as Array<{ route?: { path: string | string[]; methods: Record<string, boolean> } }>) {
    if (!layer.route) continue;
    const methods = Object.keys(layer.route.methods).filter((m) => m !== '_all' && m !== 'head').map((m) => m.toUpperCase());
    for (const path of [layer.route.path].flat()) out.set(path, [...(out.get(path) ?? []), ...methods]);
  }
  return new Map([...out].map(([path, methods]) => [path, allowList(methods).join(', ')]));
}
