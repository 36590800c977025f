// Reserved mock routes: /__mock/* controls, the docs page and the contract files. Never under /rest.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Router } from 'express';
import { ApiError } from '../errors.js';
import { sendJsonList } from '../json-stream.js';
import type { Change, SessionStores } from '../sessions.js';
import { loadSpec, projectRoot, SpecSchemas } from '../spec.js';
import { fromAjvErrors, renderProblems } from '../validation-messages.js';
import type { FaultInjector, FaultSettings } from './faults.js';
import type { Journal } from './journal.js';
import { fromStateDocument, StateError, toStateIntegration } from './state.js';

export interface ControlsContext {
  readonly sessions: SessionStores;
  readonly journal: Journal;
  readonly faults: FaultInjector;
  readonly now: () => number;
  /** Persists (with --state-file) and then applies a change; throws ApiError 507 when it cannot. */
  readonly commit: (change: Change) => void;
  /** --state-limit, --max-integrations, --max-problems */
  readonly limits: { readonly stateLimitBytes: number; readonly maxIntegrations: number; readonly maxProblems: number };
}
const adminSpecPath = join(projectRoot, 'openapi', 'mock-admin.yaml');
const docsDir = join(projectRoot, 'dist', 'docs');
const invalid = (problems: string) => ApiError.of('invalidRequest', { problems });

export function mockControls(ctx: ControlsContext): Router {
  const router = express.Router();
  // Compiled on the first PUT /__mock/faults, not at start.
  const adminSchemas = new SpecSchemas(loadSpec(adminSpecPath), 'request');
  const session = (res: express.Response) => res.locals.session as string;

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
  const stateJson = express.json({ limit: ctx.limits.stateLimitBytes });
  router.put('/__mock/state', (req, res, next) => {
    stateJson(req, res, (err?: unknown) => next((err as { type?: string } | undefined)?.type === 'entity.too.large' ? ApiError.of('payloadTooLarge', { limit: ctx.limits.stateLimitBytes }) : err));
  }, (req, res) => {
    let snapshot;
    try {
      snapshot = fromStateDocument(req.body, ctx.now(), ctx.limits);
    } catch (e) {
      if (e instanceof StateError) throw invalid(e.message);
      throw e;
    }
    ctx.commit({ op: 'import', session: session(res), snapshot });
    res.json({ success: true, integrations: snapshot.integrations.length });
  });

  router.get('/__mock/faults', (_req, res) => res.json({ success: true, ...ctx.faults.current() }));
  router.put('/__mock/faults', express.json(), (req, res) => {
    const faultSchema = adminSchemas.validator('/components/schemas/FaultSettings');
    if (!faultSchema(req.body)) throw invalid(renderProblems(fromAjvErrors(faultSchema.errors ?? []), req.body, loadSpec()).problems);
    ctx.faults.replace(req.body as FaultSettings);
    res.json({ success: true, ...ctx.faults.current() });
  });

  router.get('/openapi.yaml', (_req, res) => void res.type('application/yaml').send(readFileSync(join(projectRoot, 'openapi', 'openapi.yaml'))));
  router.get('/openapi.json', (_req, res) => void res.json(loadSpec()));
  router.get('/mock-admin.yaml', (_req, res) => void res.type('application/yaml').send(readFileSync(adminSpecPath)));
  router.get(['/docs', '/docs/mock-admin'], (req, res) => {
    const page = join(docsDir, req.path.endsWith('mock-admin') ? 'mock-admin.html' : 'index.html');
    if (!existsSync(page)) throw ApiError.of('routeNotFound', { method: 'GET', path: `${req.path} (the docs are not built: run npm run docs)` });
    res.type('html').send(readFileSync(page));
  });
  router.all('/__mock/{*rest}', (req) => {
    throw ApiError.of('routeNotFound', { method: req.method, path: req.path });
  });
  return router;
}
