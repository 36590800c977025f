// createEngine(config, deps) → Engine: gij-mock without a framework. A request is plain data (method, raw
// path and query, lower-case headers, body bytes) and so is the answer; hosts (src/hosts/) translate.
// The stages, in order (each in its own file):
//   1. request id and route (API or not, the spec operation)   5. authentication, 403, faults and delays
//   2. browsers: Host 421, CORS, OPTIONS, HEAD (browser.ts)      6. body (body.ts)
//   3. session (X-Mock-Session)                                  7. request checks and validation (validate.ts)
//   4. /__mock controls, docs, start page (mock/controls.ts)     8. handler, response check, envelope (respond.ts)
// and every answer, error or not, leaves through finish(): X-Request-Id, warnings, journal, log line.
import { hostCheck, originCheck } from '../browser-guard.js';
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';
import { rulesFromSpec } from '../integration-model.js';
import { createLogger } from '../logger.js';
import { FAULTS_BODY_LIMIT, isControlPath, mockControls } from '../mock/controls.js';
import { FaultInjector } from '../mock/faults.js';
import { Journal } from '../mock/journal.js';
import { operationsOf } from '../operations.js';
import { requestChecks } from '../request-checks.js';
import { integrationHandlers } from '../routes/integrations.js';
import { provisioningHandlers } from '../routes/provisioning-wiring.js';
import { SESSION_HEADER, SessionStores } from '../sessions.js';
import { SpecSchemas } from '../spec.js';
import { accessStage, injected } from './access.js';
import { bodyStage } from './body.js';
import { browserStage } from './browser.js';
import type { Exchange } from './exchange.js';
import { answerOf, errorAnswer, finish, type Recorder } from './respond.js';
import { parseQuery, routing } from './routing.js';
import type { Engine, EngineDeps, EngineRequest, EngineResponse, ExternalValidation, OperationCall } from './types.js';
import { checkAndValidate } from './checks.js';
import { createValidators } from './validate.js';

export type * from './types.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const isPromise = <T>(v: T | Promise<T>): v is Promise<T> => typeof (v as { then?: unknown } | undefined)?.then === 'function';

export function createEngine(config: Config, deps: EngineDeps): Engine {
  const { spec, adminSpec, asset } = deps.platform;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const now = deps.now ?? (config.clock === undefined ? Date.now : () => config.clock!);
  const { sessions, commit, close } = deps.platform.openState(now, logger);
  const operations = operationsOf(spec);
  const routes = routing(config.contextPath, operations, operationsOf(adminSpec));
  const journal = new Journal(config.journalLimit);
  const faults = new FaultInjector(config.faults);
  const knownFields = new Set(['type', 'integrationType', 'id', ...Object.keys((spec.components.schemas.IntegrationSettings?.properties ?? {}) as object)]);
  const recorder: Recorder = { journal, logger, knownFields, journalBodyLimitBytes: config.journalBodyLimitBytes };
  const isAllowedOrigin = originCheck(config.corsOrigins);
  const browser = browserStage({ hostAllowed: hostCheck(config.host, config.allowedHosts), isAllowedOrigin, routes });
  const controls = mockControls({ sessions, journal, faults, now, commit, limits: config, isAllowedOrigin, maxDelayMs: config.maxDelayMs, base: config.contextPath, spec, adminSpec, asset });
  const access = accessStage(config, faults);
  const checks = requestChecks(spec, config.validation === 'lenient');
  const validators = createValidators(spec);
  const body = bodyStage(checks, () => config.bodyLimitBytes);
  const integration = integrationHandlers({ spec, rules: rulesFromSpec(spec), requestSchemas: new SpecSchemas(spec, 'request'), now, maxIntegrations: config.maxIntegrations, lenient: config.validation === 'lenient' });
  // After them: add, remove and disable become the ones that reach repositories; reads see the indexing clock caught up.
  const handlers = { ...integration, ...provisioningHandlers(config, spec, now, integration) };
  for (const op of operations) if (!handlers[op.operationId]) throw new Error(`No handler for operationId ${op.operationId}`);
  const elsewhere = config.contextPath === '' ? undefined : `The Integration API lives under ${config.contextPath}/rest/gitplugin/1.0 (--context-path ${config.contextPath}); see ${config.contextPath}/docs for its paths.`;
  const external = deps.requestValidation === 'external';

  // 1. Request id and route, decided once.
  const begin = (req: EngineRequest): Exchange => {
    const isApi = routes.isApi(req.path);
    const requestId = req.requestId ?? crypto.randomUUID();
    return {
      req, method: req.method, path: req.path, isApi, operation: isApi ? routes.operation(req.method, req.path) : undefined,
      requestId, started: performance.now(), headers: { 'X-Request-Id': requestId }, session: 'default', warnings: [], bodyBytes: 0,
    };
  };

  // 2–4 for every request, 5 for the API; a delay makes the rest asynchronous.
  const front = (x: Exchange, ext: ExternalValidation | undefined): EngineResponse | Promise<EngineResponse> => {
    const early = browser(x);
    if (early) return early;
    const parsed = SessionStores.parseName(x.req.headers[SESSION_HEADER]);
    if ('problem' in parsed) throw ApiError.of('invalidRequest', { problems: parsed.problem });
    x.session = parsed.name;
    if (!x.isApi) {
      const answer = controls(x);
      if (answer) return answer;
      throw ApiError.of('routeNotFound', { method: x.method, path: x.path, advice: elsewhere });
    }
    const decided = access(x);
    if (decided.delayMs > 0) return sleep(decided.delayMs).then(() => back(x, decided.status, ext));
    return back(x, decided.status, ext);
  };

  // 6–8: the operation itself.
  const back = (x: Exchange, injectedStatus: number | undefined, ext: ExternalValidation | undefined): EngineResponse | Promise<EngineResponse> => {
    if (injectedStatus !== undefined) throw injected(injectedStatus, x, routes);
    const op = x.operation;
    if (!op) {
      const allowed = routes.apiMethodsOf(x.path);
      const path = x.path.slice(config.contextPath.length) || '/';
      if (allowed.length) throw ApiError.of('methodNotAllowed', { method: x.method, path, allowed: allowed.join(', ') }, { Allow: allowed.join(', ') });
      throw ApiError.of('routeNotFound', { method: x.method, path });
    }
    if (op.takesBody) body(x);
    const checked = checkAndValidate(x, op, checks, spec, external ? ext : undefined, validators);
    return isPromise(checked) ? checked.then(() => run(x)) : run(x);
  };

  const run = (x: Exchange): EngineResponse | Promise<EngineResponse> => {
    const op = x.operation!;
    const call: OperationCall = {
      // Read at each use: a session's first change replaces the seed view it read before with a store of its own.
      get store() { return sessions.read(x.session); },
      session: x.session, params: x.params!, query: x.query!, body: x.sentBody,
      commit: (change) => commit(change(x.session)),
      warn: (sentences) => { for (const s of sentences) if (!x.warnings.includes(s)) x.warnings.push(s); },
    };
    const check = config.validateResponses ? validators.response(op) : undefined;
    const result = handlers[op.operationId]!(call);
    return isPromise(result) ? result.then((r) => answerOf(x, r, check)) : answerOf(x, result, check);
  };

  const handle = (req: EngineRequest, ext?: ExternalValidation): EngineResponse | Promise<EngineResponse> => {
    const x = begin(req);
    let answer: EngineResponse | Promise<EngineResponse>;
    try {
      answer = front(x, ext);
    } catch (err) {
      return finish(x, errorAnswer(x, err, logger), recorder);
    }
    if (!isPromise(answer)) return finish(x, answer, recorder);
    return answer.then((a) => finish(x, a, recorder), (err: unknown) => finish(x, errorAnswer(x, err, logger), recorder));
  };

  const bodyLimit = (method: string, path: string): number => {
    if (routes.isApi(path)) return routes.operation(method, path)?.takesBody ? config.bodyLimitBytes : 0;
    const rel = path.slice(config.contextPath.length).replace(/\/$/, '');
    if (method === 'POST' && rel === '/__mock/index') return FAULTS_BODY_LIMIT;
    if (method !== 'PUT') return 0;
    if (rel === '/__mock/state' || rel === '/__mock/hosts') return config.stateLimitBytes;
    if (rel === '/__mock/faults') return FAULTS_BODY_LIMIT;
    return 0;
  };
  const knows = (_method: string, path: string): boolean => {
    if (routes.isApi(path)) return true;
    const base = config.contextPath;
    const rel = path === base ? '/' : path.startsWith(`${base}/`) ? path.slice(base.length) : path;
    return isControlPath(rel.length > 1 && rel.endsWith('/') ? rel.slice(0, -1) : rel);
  };

  return { bodyLimit, knows, handle, sessions, journal, faults, close };
}

export { parseQuery };
