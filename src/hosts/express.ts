// The Express host: createApp(config) returns an Express app in which express-openapi-validator (the
// card's validator) checks API requests and the engine does the rest. Its problems reach the engine at
// the validation stage (requestValidation 'external'), so 401/403/faults keep precedence. Mounted in a
// user's Express app (app.use('/mock', createApp(config))), a path the engine does not know goes to next().
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Config } from '../config.js';
import { createEngine } from '../engine/index.js';
import type { ValidationView } from '../engine/types.js';
import { errorHandler } from '../error-handler.js';
import { createLogger, type Logger } from '../logger.js';
import type { StateIo } from '../mock/state-files.js';
import { operationsOf } from '../operations.js';
import { hasOnlyLocalRefs, type OpenApiDocument, withoutAnnotations } from '../spec.js';
import { fromValidatorErrors, type SchemaProblem } from '../validation-messages.js';
import { engineRequest, serve } from './node.js';
import { nodePlatform } from './platform.js';

export interface AppDeps {
  readonly logger?: Logger;
  /** Clock for initDate; defaults to --clock, else Date.now */
  readonly now?: () => number;
  /** Replaces file operations of --state-file (tests: a disk that fails). */
  readonly stateIo?: Partial<StateIo>;
  /** Where start-up tells what --repair did (default: a warning in the log). */
  readonly notice?: (line: string) => void;
}

/** What closeApp lets go of per app: its engine's --state-file (the file and its lock). */
const closers = new WeakMap<object, () => Promise<void>>();

/** Lets go of the app's --state-file, so it may be opened again in this process; the app must serve no more requests. */
export function closeApp(app: object): Promise<void> {
  return closers.get(app)?.() ?? Promise.resolve();
}

/**
 * A URL as the spec writes its path: the `.json` suffix forms (spec: Mock rule) matched no path of the validator,
 * so their requests went unchecked (a wrong body reached the handler) or had `1.json` read as the id.
 */
function asDocumented(url: string, documentedJson: boolean): string {
  const at = url.search(/[?#]/);
  const [path, rest] = at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at)];
  const bare = path.replace(/\.json(\/?)$/, '$1');
  return `${documentedJson ? bare.replace(/\/?$/, '.json') : bare}${rest}`;
}

/** Runs the validator's middlewares on the request, with the engine's view as query and body. */
function validatorRun(chain: RequestHandler[], req: Request, res: Response, view: ValidationView, documentedJson: boolean): Promise<SchemaProblem[]> {
  Object.defineProperty(req, 'query', { value: { ...view.query }, writable: true, configurable: true, enumerable: true });
  req.body = view.body;
  req.url = asDocumented(req.url, documentedJson);
  req.originalUrl = asDocumented(req.originalUrl, documentedJson);
  // The validator knows no HEAD operation: the engine runs an API HEAD as GET.
  if (req.method === 'HEAD') req.method = 'GET';
  return new Promise((resolve) => {
    let i = 0;
    const next = (err?: unknown) => {
      const e = err as { status?: number; errors?: Array<{ path?: string; message?: string; errorCode?: string }> } | undefined;
      // Only its 400s are used: the engine itself answers 404, 405 and 415 (same sentences, same order).
      if (err) return resolve(e?.status === 400 && Array.isArray(e.errors) ? fromValidatorErrors(e.errors, req.query as Record<string, unknown>) : []);
      if (i >= chain.length) return resolve([]);
      try { chain[i++]!(req, res, next); } catch (thrown) { next(thrown); }
    };
    next();
  });
}

export function createApp(config: Config, deps: AppDeps = {}): Express {
  const logger = deps.logger ?? createLogger(config.logLevel);
  const platform = nodePlatform(config, deps.stateIo, deps.notice);
  const engine = createEngine(config, { platform, logger, now: deps.now, requestValidation: 'external' });
  const base = config.contextPath;
  // One validator per mount path (req.baseUrl): it matches the whole URL, so a mounted app's prefix is part of its server URL.
  const chains = new Map<string, RequestHandler[]>();
  const jsonPaths = new Set(operationsOf(platform.spec).filter((o) => o.path.endsWith('.json')).map((o) => o.operationId));
  const chainFor = (mount: string) => chains.get(mount) ?? chains.set(mount, validatorChain(`${mount}${base}`)).get(mount)!;
  const validatorChain = (server: string) => OpenApiValidator.middleware({
    // Without what only people read (a deep copy the validator may change); the spec's server is a
    // whole-URL variable, and the validator needs the path part only.
    apiSpec: { ...(withoutAnnotations(platform.spec) as OpenApiDocument), servers: [{ url: server || '/' }] } as never,
    // allErrors: every problem of the body and parameters in one 400. Unknown query parameters are
    // checked by the engine's request checks (the validator stops at the first one).
    validateRequests: { allowUnknownQueryParameters: true, allErrors: true },
    // The engine checks answers against the response view itself (both hosts alike).
    validateResponses: false,
    validateSecurity: false,
    fileUploader: false,
    validateFormats: true,
    // npm test lints the spec; checking it again costs ~100 ms of start-up.
    validateApiSpec: false,
    // A document whose $refs all point into itself has nothing to bundle (patch: mode 'none').
    $refParser: { mode: hasOnlyLocalRefs(platform.spec) ? 'none' : 'bundle' },
  }) as unknown as RequestHandler[];
  const app = express();
  closers.set(app, () => engine.close());
  app.disable('x-powered-by');
  app.set('etag', false);
  let mounted = false;
  app.on('mount', () => { mounted = true; });
  app.use((req, res, next) => {
    const request = engineRequest(req, req.url);
    if (mounted && !engine.knows(request.method, request.path)) return next();
    serve(engine, req, res, request, { validate: (view) => validatorRun(chainFor(req.baseUrl), req, res, view, jsonPaths.has(view.operationId)) });
  });
  // Only what fails outside the engine reaches this (the engine answers every error itself).
  app.use(errorHandler({ spec: platform.spec, operations: operationsOf(platform.spec), contextPath: base, bodyLimitBytes: config.bodyLimitBytes, logger }));
  return app;
}
