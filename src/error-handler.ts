// The Express host's last error middleware: what fails outside the engine (which answers every error of
// its own) still leaves as the plugin's envelope. toApiError also maps body-parser's and the validator's errors.
import type { ErrorRequestHandler, Response } from 'express';
import { loggable, parseFailureError } from './engine/errors.js';
import { ApiError } from './errors.js';
import type { Logger } from './logger.js';
import { allowedMethods, type Operation } from './operations.js';
import type { OpenApiDocument } from './spec.js';
import { fromValidatorErrors, renderProblems, type SchemaProblem } from './validation-messages.js';

interface HttpLikeError {
  status?: number;
  type?: string;
  body?: unknown;
  message?: string;
  expose?: boolean;
  path?: string;
  errors?: Array<{ path?: string; message?: string; errorCode?: string }>;
}

export interface ErrorContext {
  readonly spec: OpenApiDocument;
  readonly operations: readonly Operation[];
  readonly contextPath: string;
  readonly bodyLimitBytes: number;
  readonly logger: Logger;
}

/** Maps errors of body-parser and express-openapi-validator to the catalogue; anything else is a bug. */
export function toApiError(err: unknown, method: string, url: string, res: Response, ctx: ErrorContext): ApiError {
  if (err instanceof ApiError) return err;
  const e = (err ?? {}) as HttpLikeError;
  const path = url.split('?')[0]!.slice(ctx.contextPath.length) || '/';
  switch (e.type) {
    case 'entity.parse.failed':
      return parseFailureError(e);
    case 'request.aborted':
      return ApiError.of('malformedJson', { detail: 'the body was cut short (the client stopped sending it)' });
    case 'request.size.invalid':
      return ApiError.of('malformedJson', { detail: 'the body is not as long as its Content-Length says' });
    case 'entity.too.large':
      // body-parser says which limit it applied: the route's own (faults, state) or --body-limit.
      return ApiError.of('payloadTooLarge', { limit: typeof (e as { limit?: unknown }).limit === 'number' ? (e as { limit: number }).limit : ctx.bodyLimitBytes });
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return ApiError.of('unsupportedMediaType', { contentType: `${String(res.req.headers['content-type'])} (${String(e.message)})` });
  }
  // body-parser passes on zlib's failure (it carries an errno) to inflate a gzip, deflate or br body.
  const encoding = res.req.headers['content-encoding'];
  if (e.status === 400 && typeof (e as { errno?: unknown }).errno === 'number' && encoding !== undefined) {
    return ApiError.of('malformedJson', { detail: `the body cannot be decoded as Content-Encoding ${encoding}` });
  }
  // The router refuses a path parameter that is not valid percent-encoding (e.g. under /__mock/).
  if (err instanceof URIError && e.status === 400) return ApiError.of('invalidRequest', { problems: `the URL path ${path} is not valid percent-encoding` });
  if (Array.isArray(e.errors) && typeof e.status === 'number') {
    if (e.status === 400) {
      // The checks made before the validator (src/request-checks.ts) win where both name one field.
      const before = (res.locals.requestProblems ?? []) as SchemaProblem[];
      const named = new Set(before.map((p) => p.path));
      const found = fromValidatorErrors(e.errors, res.req.query as Record<string, unknown>).filter((p) => !named.has(p.path));
      const { problems, advice } = renderProblems([...before, ...found], res.locals.sentBody, ctx.spec);
      return ApiError.of('invalidRequest', advice === undefined ? { problems } : { problems, advice });
    }
    if (e.status === 404) return ApiError.of('routeNotFound', { method, path });
    if (e.status === 405) {
      const allowed = allowedMethods(ctx.operations, path).join(', ');
      return ApiError.of('methodNotAllowed', { method, path, allowed }, { Allow: allowed });
    }
    if (e.status === 415) return ApiError.of('unsupportedMediaType', { contentType: String(res.req.headers['content-type'] ?? 'none') });
    if (e.status === 413) return ApiError.of('payloadTooLarge', { limit: ctx.bodyLimitBytes });
  }
  return ApiError.of('internal', { requestId: String(res.locals.requestId) });
}

export function errorHandler(ctx: ErrorContext): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const apiError = toApiError(err, req.method, req.originalUrl, res, ctx);
    if (apiError.code === 'internal') ctx.logger.error({ error: loggable(err), reqId: res.locals.requestId }, 'unexpected error (a gij-mock bug)');
    if (res.headersSent) return void res.destroy();
    res.locals.errorCode = apiError.code;
    // Written as a string, not res.json: the response validator must not re-enter the error path.
    res.status(apiError.status).set(apiError.headers).type('application/json').send(JSON.stringify(apiError.body));
  };
}
