// createApp(config) → Express app. It never listens (src/cli.ts and the library do, through src/server.ts).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { CHALLENGE, createAuthenticator, requireAdministrator } from './auth.js';
import { inspectBody } from './body-guard.js';
import { browserStage, hostCheck, originCheck } from './browser-guard.js';
import type { Config } from './config.js';
import { errorHandler } from './error-handler.js';
import { ApiError } from './errors.js';
import { rulesFromSpec } from './integration-model.js';
import { createLogger, type Logger } from './logger.js';
import { mockControls, underContextPath } from './mock/controls.js';
import { FaultInjector, NO_PREFERENCE, parsePrefer } from './mock/faults.js';
import { Journal, redactSecrets } from './mock/journal.js';
import { openPersistence } from './mock/persistence.js';
import type { StateIo } from './mock/state-files.js';
import { allowedMethods, operationFor, operationsOf, type Operation } from './operations.js';
import { requestChecks } from './request-checks.js';
import { integrationHandlers } from './routes/integrations.js';
import { SESSION_HEADER, SessionStores } from './sessions.js';
import { hasOnlyLocalRefs, loadSpec, type OpenApiDocument, projectRoot, SpecSchemas, withoutAnnotations } from './spec.js';
import { renderProblems, type SchemaProblem } from './validation-messages.js';
import { warningsOf } from './warnings.js';

export interface AppDeps {
  readonly logger?: Logger;
  /** Clock for initDate; defaults to --clock, else Date.now */
  readonly now?: () => number;
  /** Replaces file operations of --state-file (tests: a disk that fails). */
  readonly stateIo?: Partial<StateIo>;
  /** Where start-up tells what --repair did (the command: stderr; default: a warning in the log). */
  readonly notice?: (line: string) => void;
}

/** What closeApp lets go of per app: its --state-file (the file and its lock). */
const closers = new WeakMap<object, () => Promise<void>>();

/** Lets go of the app's --state-file, so it may be opened again in this process; the app must serve no more requests. */
export function closeApp(app: object): Promise<void> {
  return closers.get(app)?.() ?? Promise.resolve();
}

export function createApp(config: Config, deps: AppDeps = {}): Express {
  const spec = loadSpec();
  const operations = operationsOf(spec);
  const logger = deps.logger ?? createLogger(config.logLevel);
  const now = deps.now ?? (config.clock === undefined ? Date.now : () => config.clock!);
  const { sessions, commit, close } = openPersistence(config, now, { logger, io: deps.stateIo, notice: deps.notice });
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
    // As received: stage 1b runs a HEAD as GET.
    const method = req.method;
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
      if (logger.isLevelEnabled('info')) logger.info({ reqId: res.locals.requestId, method, path, operationId, status: res.statusCode, ms }, 'request');
      if (!isApi) return;
      // Measured after decoding (gzip, deflate, br): what the body costs to keep, not what it cost to send.
      const size = Number(res.locals.bodyBytes ?? 0);
      const large = size > config.journalBodyLimitBytes;
      journal.add({
        timeMs: arrivedMs, session: String(res.locals.session ?? 'default'), method, path, operationId,
        status: res.statusCode, durationMs: ms, body: large ? `(body of ${size} bytes not kept)` : redactSecrets(res.locals.receivedBody ?? res.locals.sentBody, knownFields) ?? null,
        warnings: warningsOf(res),
      });
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  });

  // 1b. Browsers (src/browser-guard.ts): a Host the server does not answer to gets 421 on every route;
  // CORS headers for allowed origins (an allowed preflight ends here, before any login); OPTIONS
  // answers 204 with Allow; HEAD on the API runs as GET.
  const isAllowedOrigin = originCheck(config.corsOrigins);
  const adminOperations = operationsOf(loadSpec(`${projectRoot}/openapi/mock-admin.yaml`));
  // The controls, docs and contract files are under the context path too.
  const underBase = (path: string) => path.startsWith(`${base}/`);
  const methodsOf = (path: string) => (isApiPath(path) ? allowedMethods(operations, path.slice(base.length)) : underBase(path) ? allowedMethods(adminOperations, path.slice(base.length)) : []);
  app.use(browserStage({ hostAllowed: hostCheck(config.host, config.allowedHosts), isAllowedOrigin, allowedMethods: methodsOf, isApi: (res) => res.locals.isApi === true }));

  // 2. Mock session (X-Mock-Session), then the reserved mock routes, which never reach the API stages.
  // API requests skip the controls' router: matching its dozen routes cost every API request time.
  const mocked = mockControls({ sessions, journal, faults, now, commit, limits: config, isAllowedOrigin, maxDelayMs: config.maxDelayMs });
  const controls = base === '' ? mocked : underContextPath(base, mocked);
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
  // An injected 401 or 405 carries the header the spec requires of every 401 (challenge) and 405 (Allow).
  const injectedHeaders = (status: number, req: Request): Record<string, string> | undefined => {
    if (status === 401) return { 'WWW-Authenticate': CHALLENGE };
    if (status === 405) return { Allow: allowedMethods(operations, req.originalUrl.split('?')[0]!.slice(base.length)).join(', ') };
    return undefined;
  };
  const injectFaults: RequestHandler = (req, res, next) => {
    const preferHeader = [req.headers.prefer ?? []].flat().join(',');
    const prefer = preferHeader === '' ? NO_PREFERENCE : parsePrefer(preferHeader, config.maxDelayMs);
    if (prefer.problems.length) throw ApiError.of('invalidRequest', { problems: prefer.problems.join('; ') });
    const ruled = faults.decide((res.locals.operation as Operation | undefined)?.operationId);
    const status = prefer.decision.status ?? ruled.status;
    // Rules' delays are checked against --max-delay when set (PUT /__mock/faults, --faults).
    const delayMs = prefer.decision.delayMs ?? ruled.delayMs;
    const proceed = () => (status === undefined ? next() : next(ApiError.injected(status, injectedHeaders(status, req))));
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
  // The body's text is kept for the checks the parsed value cannot show (a whole number written as 1.0);
  // its decoded size is what the journal's body limit measures.
  const json = express.json({
    limit: config.bodyLimitBytes, type: ['application/json', 'application/*+json'],
    verify: (_req, res, buf, encoding) => {
      const locals = (res as unknown as Response).locals;
      locals.bodyBytes = buf.length;
      locals.rawBody = buf.toString(Buffer.isEncoding(encoding) ? encoding : 'utf8');
    },
  });
  const checks = requestChecks(spec, config.validation === 'lenient');
  const keepSentBody = (req: Request, res: Response) => {
    const sent = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (!sent) throw ApiError.of('invalidRequest', { problems: 'the body is empty: send one JSON object', advice: 'Send the integration fields as a JSON object with Content-Type application/json.' });
    checks.dropUnknownFields(req, res);
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

  // 5. The checks the validator cannot make (path id form, unknown or empty query parameters, whole
  // numbers written as 1.0), collected, not thrown, so that one 400 names them with the validator's.
  app.use(checks.collect);
  // Request (and, unless turned off, response) validation against the same openapi.yaml.
  app.use(
    OpenApiValidator.middleware({
      // Without what only people read (a deep copy the validator may change); the spec's server is a
      // whole-URL variable, and the validator needs the path part only.
      apiSpec: { ...(withoutAnnotations(spec) as OpenApiDocument), servers: [{ url: base || '/' }] } as never,
      // allErrors: every problem of the body and parameters in one 400. Unknown query parameters are
      // checked by checks.collect (the validator stops at the first one).
      validateRequests: { allowUnknownQueryParameters: true, allErrors: true },
      validateResponses: config.validateResponses ? { removeAdditional: false } : false,
      validateSecurity: false,
      // No operation takes multipart bodies: without the uploader, one middleware less per request.
      fileUploader: false,
      validateFormats: true,
      // npm test lints the spec; checking it again costs ~100 ms of start-up.
      validateApiSpec: false,
      // A document whose $refs all point into itself has nothing to bundle (patch: mode 'none').
      $refParser: { mode: hasOnlyLocalRefs(spec) ? 'none' : 'bundle' },
    }),
  );
  app.use((_req, res, next) => {
    const problems = res.locals.requestProblems as SchemaProblem[] | undefined;
    if (!problems?.length) return next();
    const rendered = renderProblems(problems, res.locals.sentBody, spec);
    throw ApiError.of('invalidRequest', rendered.advice === undefined ? { problems: rendered.problems } : { problems: rendered.problems, advice: rendered.advice });
  });

  // 6. One handler per operationId, found through the operation stage 1 matched (one layer, not one per route).
  const handlers = integrationHandlers({
    spec,
    rules: rulesFromSpec(spec),
    requestSchemas: new SpecSchemas(spec, 'request'),
    now,
    storeFor: (res) => sessions.read(res.locals.session as string),
    commit: (res, change) => commit(change(res.locals.session as string)),
    maxIntegrations: config.maxIntegrations,
    lenient: config.validation === 'lenient',
  });
  for (const op of operations) if (!handlers[op.operationId]) throw new Error(`No handler for operationId ${op.operationId}`);
  app.use((req, res, next) => {
    const op = res.locals.operation as Operation | undefined;
    if (!op || op.method !== req.method) return next();
    return handlers[op.operationId]!(req, res, next);
  });

  // 7. Anything else is an unknown route; every error leaves through the one handler.
  const elsewhere = base === '' ? undefined : `The Integration API lives under ${base}/rest/gitplugin/1.0 (--context-path ${base}); see ${base}/docs for its paths.`;
  app.use((req) => {
    throw ApiError.of('routeNotFound', { method: req.method, path: req.path, advice: elsewhere });
  });
  app.use(errorHandler({ spec, operations, contextPath: base, bodyLimitBytes: config.bodyLimitBytes, logger }));
  closers.set(app, close);
  return app;
}
