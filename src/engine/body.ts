// Stage 6, the body of an operation that takes one: JSON from the bytes the host read (body-parser's
// json rules: utf-* charsets only, a BOM dropped, an empty body is {}, the first character { or [),
// what the host found (413, undecodable), the empty body, and the checks before anything recursive
// touches it. Other operations ignore a body, as Jira does (they document no 413 or 415).
import { inspectBody } from '../body-guard.js';
import { ApiError } from '../errors.js';
import type { RequestChecks } from '../request-checks.js';
import { headerOf } from './routing.js';
import type { Exchange } from './exchange.js';
import type { BodyError } from './types.js';

const EMPTY = { problems: 'the body is empty: send one JSON object', advice: 'Send the integration fields as a JSON object with Content-Type application/json.' };

/** The media type of a Content-Type, lower case, without parameters. */
export const mediaTypeOf = (contentType: string | undefined): string => (contentType ?? '').split(';')[0]!.trim().toLowerCase();
/** body-parser's json type list: application/json and application/*+json. */
export const isJsonType = (media: string): boolean => media === 'application/json' || /^application\/[^/;]+\+json$/.test(media);
export const charsetOf = (contentType: string | undefined): string | undefined => /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
/** Whether the client sent a body at all (body-parser's rule: a non-zero Content-Length or chunked). */
export const bodySent = (headers: Exchange['req']['headers']): boolean => Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding'] !== undefined;
/** Whether the request carries a body: its headers say so, or the host read one or failed to (fetch has no Content-Length header). */
export const hasBody = (req: Exchange['req']): boolean => bodySent(req.headers) || req.body !== undefined || req.bodyError !== undefined;

/** What the host's failure to read a body answers. */
export function bodyErrorOf(error: BodyError, x: Exchange, limit: number): ApiError {
  const encoding = headerOf(x.req.headers['content-encoding']);
  switch (error) {
    case 'tooLarge': return ApiError.of('payloadTooLarge', { limit });
    case 'aborted': return ApiError.of('malformedJson', { detail: 'the body was cut short (the client stopped sending it)' });
    case 'lengthMismatch': return ApiError.of('malformedJson', { detail: 'the body is not as long as its Content-Length says' });
    case 'unknownEncoding': return ApiError.of('unsupportedMediaType', { contentType: `${String(x.req.headers['content-type'])} (unsupported content encoding "${String(encoding ?? '').toLowerCase()}")` });
    case 'badEncoding': return ApiError.of('malformedJson', { detail: `the body cannot be decoded as Content-Encoding ${encoding}` });
  }
}

/** The bytes as text in their charset, or 415 (body-parser's json accepts utf-* charsets only). */
export function decodeText(bytes: Uint8Array, x: Exchange): string {
  const charset = charsetOf(headerOf(x.req.headers['content-type'])) ?? 'utf-8';
  const unsupported = () => ApiError.of('unsupportedMediaType', { contentType: `${String(x.req.headers['content-type'])} (unsupported charset "${charset.toUpperCase()}")` });
  if (charset.slice(0, 4) !== 'utf-') throw unsupported();
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    throw unsupported();
  }
}

/** JSON.parse with body-parser's strict rules; failures carry body-parser's type so the envelope is the same. */
export function parseJson(text: string): unknown {
  if (text.length === 0) return {};
  const first = /^[\x20\x09\x0a\x0d]*(.)/.exec(text)?.[1];
  try {
    if (first !== '{' && first !== '[') return strictViolation(text, first);
    return JSON.parse(text);
  } catch (e) {
    throw Object.assign(e as Error, { type: 'entity.parse.failed', body: text });
  }
}

// body-parser's createStrictSyntaxError: the message JSON.parse gives at the first character.
function strictViolation(text: string, first: string | undefined): never {
  const index = first === undefined ? -1 : text.indexOf(first);
  const partial = index === -1 ? '' : text.substring(0, index) + '#'.repeat(text.length - index);
  try {
    JSON.parse(partial);
  } catch (e) {
    const message = (e as Error).message.replace(/#+/g, (placeholder) => text.substring(index, index + placeholder.length));
    throw new SyntaxError(message);
  }
  throw new SyntaxError('strict violation');
}

export function bodyStage(checks: RequestChecks, limitOf: (x: Exchange) => number) {
  return (x: Exchange): void => {
    const headers = x.req.headers;
    const sent = hasBody(x.req);
    const contentType = headerOf(headers['content-type']);
    const media = mediaTypeOf(contentType);
    if (sent && isJsonType(media)) {
      // The charset is refused before the body is read, as body-parser does.
      decodeText(new Uint8Array(0), x);
      if (x.req.bodyError) throw bodyErrorOf(x.req.bodyError, x, limitOf(x));
      const bytes = x.req.body ?? new Uint8Array(0);
      x.bodyBytes = bytes.length;
      x.rawBody = decodeText(bytes, x);
      x.body = parseJson(x.rawBody);
    }
    if (!sent) {
      // An optional body (Reindex) may be left out: the handler sees none.
      if (x.operation!.bodyRequired) throw ApiError.of('invalidRequest', EMPTY);
      return;
    }
    // The validator takes application/json only; other types answer 415 at its stage.
    if (media !== 'application/json') x.unsupportedType = contentType ?? 'none';
    if (x.body === undefined) return;
    x.receivedBody = checks.dropUnknownFields(x.operation!, x.body, x.warnings);
    const problem = inspectBody(x.body);
    if (problem) throw ApiError.of('invalidRequest', { problems: problem });
    x.sentBody = structuredClone(x.body);
  };
}
