// The last stages: an operation's answer (checked against the response view when --validate-responses),
// the one error envelope, and what every answer carries (X-Request-Id, warnings), the journal and the log.
import type { Logger } from '../logger.js';
import { ApiError } from '../errors.js';
import type { Journal } from '../mock/journal.js';
import { redactSecrets } from '../mock/journal.js';
import { boundedWarnings, WARNING_HEADER } from '../warnings.js';
import { JSON_TYPE, loggable, toApiError } from './errors.js';
import type { Exchange } from './exchange.js';
import type { HandlerResult, EngineResponse } from './types.js';
import type { ResponseValidator } from './validate.js';

/** A handler's result as a response; a JSON answer that breaks the response view is a gij-mock bug (500). */
export function answerOf(x: Exchange, result: HandlerResult, check: ResponseValidator | undefined): EngineResponse {
  const status = result.status ?? 200;
  const headers = { ...x.headers, 'Content-Type': JSON_TYPE };
  if ('stream' in result) return { status, headers, body: result.stream };
  if (check) {
    const problems = check(status, result.json);
    if (problems.length) throw Object.assign(new Error(`the answer breaks the spec: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`), { name: 'ResponseValidationError' });
  }
  return { status, headers, body: JSON.stringify(result.json) };
}

export function errorAnswer(x: Exchange, err: unknown, logger: Logger): EngineResponse {
  const apiError: ApiError = toApiError(err, x.requestId);
  if (apiError.code === 'internal') logger.error({ error: loggable(err), reqId: x.requestId }, 'unexpected error (a gij-mock bug)');
  x.errorCode = apiError.code;
  return { status: apiError.status, headers: { ...x.headers, ...apiError.headers, 'Content-Type': JSON_TYPE }, body: JSON.stringify(apiError.body) };
}

export interface Recorder {
  readonly journal: Journal;
  readonly logger: Logger;
  readonly knownFields: ReadonlySet<string>;
  readonly journalBodyLimitBytes: number;
}

/** Adds the warnings header, writes the access-log line and, for the API, the journal entry. */
export function finish(x: Exchange, res: EngineResponse, r: Recorder): EngineResponse {
  const warnings = x.warnings.length ? boundedWarnings(x.warnings) : undefined;
  const out = warnings ? { ...res, headerLines: { ...res.headerLines, [WARNING_HEADER]: warnings } } : res;
  const ms = (performance.now() - x.started);
  const operationId = x.operation?.operationId ?? null;
  // Guarded: building the line's object costs time on every request even when info is off.
  if (r.logger.isLevelEnabled('info')) r.logger.info({ reqId: x.requestId, method: x.req.method, path: x.path, operationId, status: res.status, ms }, 'request');
  if (x.isApi) {
    // Measured after decoding (gzip, deflate, br): what the body costs to keep, not what it cost to send.
    const large = x.bodyBytes > r.journalBodyLimitBytes;
    r.journal.add({
      timeMs: x.req.arrivedMs, session: x.session, method: x.req.method, path: x.path, operationId,
      status: res.status, durationMs: ms, body: large ? `(body of ${x.bodyBytes} bytes not kept)` : (redactSecrets(x.receivedBody ?? x.sentBody, r.knownFields) ?? null),
      warnings: warnings ?? [],
    });
  }
  return out;
}
