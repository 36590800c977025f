// The one error envelope: anything a stage throws becomes an ApiError, and an ApiError a response.
import { ApiError } from '../errors.js';

interface ParseFailure { type?: string; body?: unknown; message?: string }

// V8 quotes the text around a JSON syntax error ("…", "{"pat":abc…" is not valid JSON): that text can
// hold a secret, so only the parser's verdict is kept.
export function parserMessage(message: unknown): string {
  return String(message).replace(/, (\.\.\.)?"[\s\S]*"(\.\.\.)? is not valid JSON$/, '').slice(0, 200);
}

/** A body that JSON.parse refused (entity.parse.failed, as body-parser names it): malformed, or valid JSON that is no object. */
export function parseFailureError(e: ParseFailure): ApiError {
  const raw = typeof e.body === 'string' ? e.body : '';
  let parsed: unknown = Symbol('unparsable');
  try { parsed = JSON.parse(raw); } catch { /* keep the parser's message */ }
  if (typeof parsed !== 'symbol') return ApiError.of('invalidRequest', { problems: `the body must be a JSON object, not ${parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : typeof parsed}` });
  return ApiError.of('malformedJson', { detail: raw.trim() === '' ? 'the body is empty' : parserMessage(e.message) });
}

/**
 * What the log keeps of an unexpected error: never enumerable extras such as a parser's raw `body`.
 * Logged under `error`, not `err`, so pino's error serializer does not copy those extras back in.
 */
export function loggable(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { name: typeof err };
  const { code } = err as { code?: unknown };
  const message = parserMessage(err.message);
  return { name: err.name, message, stack: err.stack?.replace(err.message, message), ...(typeof code === 'string' ? { code } : {}) };
}

/** ApiError as it is; a parse failure as its 400; anything else is a bug (500, with the request id). */
export function toApiError(err: unknown, requestId: string): ApiError {
  if (err instanceof ApiError) return err;
  if ((err as ParseFailure | undefined)?.type === 'entity.parse.failed') return parseFailureError(err as ParseFailure);
  return ApiError.of('internal', { requestId });
}

export const JSON_TYPE = 'application/json; charset=utf-8';
