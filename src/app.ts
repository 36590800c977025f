// createApp(config) → Express app. It never listens (src/main.ts does).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { createAuthenticator, requireAdministrator } from './auth.js';
import { inspectBody } from './body-guard.js';
import type { Config } from './config.js';
import { errorHandler } from './error-handler.js';
import { ApiError } from './errors.js';
import { rulesFromSpec } from './integration-model.js';
import { createLogger, type Logger } from './logger.js';
import { mockControls } from './mock/controls.js';
import { FaultInjector, NO_PREFERENCE, parsePrefer } from './mock/faults.js';
import { Journal, redactSecrets } from './mock/journal.js';
import { openPersistence } from './mock/persistence.js';
import type { StateIo } from './mock/state-files.js';
import { operationFor, operationsOf, type Operation } from './operations.js';
import { integrationHandlers } from './routes/integrations.js';
import { SESSION_HEADER, SessionStores } from './sessions.js';
import { loadSpec, SpecSchemas } from './spec.js';

export interface AppDeps {
  readonly logger?: Logger;
  /** Clock for initDate; defaults to --clock, else Date.now */
  readonly now?: () => number;
  /** Replaces file operations of --state-file (tests: a disk that fails). */
  readonly stateIo?: Partial<StateIo>;
}

export function createApp(config: Config, deps: AppDeps = {}): Express {
  const spec = loadSpec();
  const operations = operationsOf(spec);
  const logger = deps.logger ?? createLogger(config.logLevel);
  const now = deps.now ?? (config.clock === undefined ? Date.now : () => config.clock!);
  const { sessions, commit } = openPersistence(config, now, { logger, io: deps.stateIo });
  const journal = new Journal(config.journalLimit);
  const schemas = spec.components.schemas;
  const knownFields = new Set(['type', 'integrationType', 'id', ...Object.keys((schemas.IntegrationSettings?.properties ?? {}) as object)]);
  const faults = new FaultInjector(config.faults);
  const base = config.contextPath;
  const api = `${base}/rest`;
  const isApiPath = (path: string) => path === api || path.startsWith(`${api}/`);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Jira's paths are case-sensitive (/REST/… is 404); every matcher here (stage 1, the validator,
  // express) then agrees on which requests are API requests.
  app.enable('case sensitive routing');

  // 1. Request id, one access-log line per request, and the journal entry of each API request.
  app.use((req, res, next) => {
    const arrivedMs = Date.now();
    const started = process.hrtime.bigint();
    res.locals.requestId = randomUUID();
    res.setHeader('X-Request-Id', res.locals.requestId);
    // Whether this is an API request, and the spec operation it targets: decided once, here, and read
    // by every later stage, so authentication (stage 3) and dispatch (stage 6) cannot disagree.
    const path = req.originalUrl.split('?')[0]!;
    const isApi = isApiPath(path);
    res.locals.isApi = isApi;
    res.locals.operation = isApi ? operationFor(operations, req.method, path.slice(base.length)) : undefined;
    // On 'close' too: a request that reached its handler is journaled even when its connection died.
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const operationId = (res.locals.operation as Operation | undefined)?.operationId ?? null;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // Guarded: building the line's object costs time on every request even when info is off.
      if (logger.isLevelEnabled('info')) logger.info({ reqId: res.locals.requestId, method: req.method, path, operationId, status: res.statusCode, ms }, 'request');
      if (!isApi) return;
      // Measured after decoding (gzip, deflate, br): what the body costs to keep, not what it cost to send.
      const size = Number(res.locals.bodyBytes ?? 0);
      const large = size > config.journalBodyLimitBytes;
      journal.add({
        timeMs: arrivedMs, session: String(res.locals.session ?? 'default'), method: req.method, path, operationId,
        status: res.statusCode, durationMs: ms, body: large ? `(body of ${size} bytes not kept)` : redactSecrets(res.locals.sentBody, knownFields) ?? null,
      });
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  });

  // 2. Mock session (X-Mock-Session), then the reserved mock routes, which never reach the API stages.
  // API requests skip the controls' router: matching its dozen routes cost every API request time.
  const controls = mockControls({ sessions, journal, faults, now, commit, limits: config });
  app.use((req, res, next) => {
    const parsed = SessionStores.parseName(req.headers[SESSION_HEADER]);
    if ('problem' in parsed) throw ApiError.of('invalidRequest', { problems: parsed.problem });
    res.locals.session = parsed.name;
    if (res.locals.isApi) next();
    else controls(req, res, next);
  });

  // 3. Authentication (401) and administrator check (403) for the API; then injected faults and delays.
  // One layer, not two mounted at the API path: each express layer allocates per request (bench/results.md).
  const authorize = requireAdministrator(createAuthenticator(config.users));
  const injectFaults: RequestHandler = (req, res, next) => {
    const preferHeader = [req.headers.prefer ?? []].flat().join(',');
    const prefer = preferHeader === '' ? NO_PREFERENCE : parsePrefer(preferHeader, config.maxDelayMs);
    if (prefer.problems.length) throw ApiError.of('invalidRequest', { problems: prefer.problems.join('; ') });
    const ruled = faults.decide((res.locals.operation as Operation | undefined)?.operationId);
    const status = prefer.decision.status ?? ruled.status;
    const delayMs = Math.min(config.maxDelayMs, preferHeader.includes('delay') ? prefer.decision.delayMs : ruled.delayMs);
    const proceed = () => (status === undefined ? next() : next(ApiError.injected(status)));
    // Only a delayed request waits on a promise; the others go on in the same tick.
    if (delayMs > 0) return sleep(delayMs).then(proceed).catch(next);
    proceed();
  };
  app.use((req, res, next) => {
    if (!res.locals.isApi) return next();
    authorize(req, res, () => injectFaults(req, res, next));
  });

  // 4. Body parsing with a size limit; keep the body as sent before the validator fills in defaults.
  // Only operations that take a body parse one: elsewhere a body is ignored (as Jira does), since those
  // operations document no 413 or 415.
  const json = express.json({
    limit: config.bodyLimitBytes, type: ['application/json', 'application/*+json'],
    verify: (_req, res, buf) => { (res as unknown as Response).locals.bodyBytes = buf.length; },
  });
  const keepSentBody = (req: Request, res: Response) => {
    const sent = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (!sent) throw ApiError.of('invalidRequest', { problems: 'the body is empty: send one JSON object', advice: 'Send the integration fields as a JSON object with Content-Type application/json.' });
    const problem = inspectBody(req.body);
    if (problem) throw ApiError.of('invalidRequest', { problems: problem });
    res.locals.sentBody = req.body !== undefined ? structuredClone(req.body) : undefined;
  };
  app.use((req, res, next) => {
    if (!(res.locals.operation as Operation | undefined)?.bodyRequired) return next();
    json(req, res, (err?: unknown) => {
      if (err) return next(err);
      try {
        keepSentBody(req, res);
        next();
      } catch (e) {
        next(e);
      }
    });
  });

  // 5. Request (and, unless turned off, response) validation against the same openapi.yaml.
  app.use(
    OpenApiValidator.middleware({
      // The spec's server is a whole-URL variable; the validator needs the path part only.
      apiSpec: { ...structuredClone(spec), servers: [{ url: base || '/' }] } as never,
      validateRequests: { allowUnknownQueryParameters: false },
      validateResponses: config.validateResponses ? { removeAdditional: false } : false,
      validateSecurity: false,
      // No operation takes multipart bodies: without the uploader, one middleware less per request.
      fileUploader: false,
      validateFormats: true,
      // npm test lints the spec; checking it again costs ~100 ms of start-up.
      validateApiSpec: false,
    }),
  );

  // 6. One handler per operationId, found through the operation stage 1 matched (one layer, not one per route).
  const handlers = integrationHandlers({
    spec,
    rules: rulesFromSpec(spec),
    requestSchemas: new SpecSchemas(spec, 'request'),
    now,
    storeFor: (res) => sessions.read(res.locals.session as string),
    commit: (res, change) => commit(change(res.locals.session as string)),
    maxIntegrations: config.maxIntegrations,
  });
  for (const op of operations) if (!handlers[op.operationId]) throw new Error(`No handler for operationId ${op.operationId}`);
  app.use((req, res, next) => {
    const op = res.locals.operation as Operation | undefined;
    // HEAD is matched to GET in stage 1 for the Allow header; the validator has answered it 405.
    if (!op || op.method !== req.method) return next();
    return handlers[op.operationId]!(req, res, next);
  });

  // 7. Anything else is an unknown route; every error leaves through the one handler.
  app.use((req) => {
    throw ApiError.of('routeNotFound', { method: req.method, path: req.path });
  });
  app.use(errorHandler({ spec, operations, contextPath: base, bodyLimitBytes: config.bodyLimitBytes, logger }));
  return app;
}
