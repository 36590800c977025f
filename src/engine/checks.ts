// Stage 7: the checks a schema validator cannot make (src/request-checks.ts), then the validator (the
// engine's Ajv, or an external one), named together in one 400. The checks win where both name a field.
import { ApiError } from '../errors.js';
import type { Operation } from '../operations.js';
import { rawIntegrationId, type RequestChecks } from '../request-checks.js';
import type { OpenApiDocument } from '../spec.js';
import { renderProblems, type SchemaProblem } from '../validation-messages.js';
import type { Exchange } from './exchange.js';
import { parseQuery } from './routing.js';
import type { ExternalValidation } from './types.js';
import type { Validators } from './validate.js';

const NO_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>;

export function checkAndValidate(x: Exchange, op: Operation, checks: RequestChecks, spec: OpenApiDocument, ext: ExternalValidation | undefined, validators: Validators): void | Promise<void> {
  const collected = checks.collect({ operation: op, path: x.path, query: (x.query ??= parseQuery(x.req.query)), rawBody: x.rawBody, body: x.body }, x.warnings);
  x.query = collected.query;
  // A body of another media type: the validator's 415, before any 400.
  if (x.unsupportedType !== undefined) throw ApiError.of('unsupportedMediaType', { contentType: x.unsupportedType });
  const idName = /\{(integrationId|repoId)\}/.exec(op.path)?.[1];
  x.params = idName ? { [idName]: rawIntegrationId(x.path) ?? '' } : NO_PARAMS;
  const view = { operationId: op.operationId, params: x.params, query: x.query, body: x.body === undefined ? undefined : ext ? structuredClone(x.body) : x.body };
  const found = ext ? ext.validate(view) : validators.request(op)(view);
  const conclude = (more: readonly SchemaProblem[]) => {
    const before = collected.problems;
    if (before.length === 0 && more.length === 0) return;
    const named = new Set(before.map((p) => p.path));
    const { problems, advice } = renderProblems([...before, ...more.filter((p) => !named.has(p.path))], x.sentBody, spec);
    throw ApiError.of('invalidRequest', advice === undefined ? { problems } : { problems, advice });
  };
  return 'then' in found ? found.then(conclude) : conclude(found);
}
