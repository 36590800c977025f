// The one place an error becomes a response: every failure leaves as the plugin's envelope.
import type { ErrorRequestHandler, Response } from 'express';
import { ApiError } from './errors.js';
import type { Logger } from './logger.js';
import { matchRoute, type Operation } from './operations.js';
import type { OpenApiDocument } from './spec.js';
import { fromValidatorErrors, renderProblems } from './validation-messages.js';

interface HttpLikeError {
  status?: number;
  type?: string;
  body?: unknown;
  message?: string;
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
    case 'entity.parse.failed': {
      const raw = typeof e.body === 'string' ? e.body : '';
      let parsed: unknown = Symbol('unparsable');
      try { parsed = JSON.parse(raw); } catch { /* keep the parser's message */ }
      if (typeof parsed !== 'symbol') return ApiError.of('invalidRequest', { problems: `the body must be a JSON object, not ${parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : typeof parsed}` });
      return ApiError.of('malformedJson', { detail: raw.trim() === '' ? 'the body is empty' : String(e.message).slice(0, 200) });
    }
    case 'entity.too.large':
      return ApiError.of('payloadTooLarge', { limit: ctx.bodyLimitBytes });
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return ApiError.of('unsupportedMediaType', { contentType: `${String(res.req.headers['content-type'])} (${String(e.message)})` });
  }
  if (Array.isArray(e.errors) && typeof e.status === 'number') {
    if (e.status === 400) {
      const { problems, advice } = renderProblems(fromValidatorErrors(e.errors), res.locals.sentBody, ctx.spec);
      return ApiError.of('invalidRequest', advice === undefined ? { problems } : { problems, advice });
    }
    if (e.status === 404) return ApiError.of('routeNotFound', { method, path });
    if (e.status === 405) {
      const allowed = matchRoute(ctx.operations, method, path).allowed.join(', ');
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
    if (apiError.code === 'internal') ctx.logger.error({ err, reqId: res.locals.requestId }, 'unexpected error (a gij-mock bug)');
    if (res.headersSent) return void res.destroy();
    res.locals.errorCode = apiError.code;
    // Written as a string, not res.json: the response validator must not re-enter the error path.
    res.status(apiError.status).set(apiError.headers).type('application/json').send(JSON.stringify(apiError.body));
  };
}
