// The spec's operations as a route table: method + path template → operationId, and path matching.
import type { OpenApiDocument } from './spec.js';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

export interface Operation {
  readonly operationId: string;
  readonly method: string;
  /** spec template, e.g. `/rest/gitplugin/1.0/integration/{integrationId}` */
  readonly path: string;
  readonly pattern: RegExp;
  /** Documented response statuses, e.g. ['200', '400', …] */
  readonly statuses: readonly string[];
  readonly bodyRequired: boolean;
  /** It documents a request body, required or not (Reindex's is optional: none means every repository). */
  readonly takesBody: boolean;
}

export function operationsOf(spec: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method] as { operationId: string; responses: Record<string, unknown>; requestBody?: { required?: boolean } } | undefined;
      if (!op) continue;
      // A documented `.json` path (Reindex status) is served without it too: the suffix is optional either way.
      const source = path.replace(/\.json$/, '').replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
      out.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        // One `.json` suffix is the same operation, as Jira's REST layer strips it (spec: Mock rule `.json` suffix).
        pattern: new RegExp(`^${source}(?:\\.json)?/?$`),
        statuses: Object.keys(op.responses),
        bodyRequired: op.requestBody?.required === true,
        takesBody: op.requestBody !== undefined,
      });
    }
  }
  return out;
}

export interface RouteMatch {
  /** The operation for this method and path, if any. */
  readonly operation?: Operation;
  /** Methods the path accepts (empty when no documented path matches). */
  readonly allowed: readonly string[];
}

/** Matches a request path (without context path and query) against the table. */
export function matchRoute(operations: readonly Operation[], method: string, path: string): RouteMatch {
  const onPath = operations.filter((o) => o.pattern.test(path));
  return { operation: operationFor(onPath, method, path), allowed: onPath.map((o) => o.method) };
}

/** The operation alone (HEAD counts as GET): matchRoute without building the Allow list, for every request. */
export function operationFor(operations: readonly Operation[], method: string, path: string): Operation | undefined {
  const wanted = method === 'HEAD' ? 'GET' : method;
  for (const o of operations) if (o.method === wanted && o.pattern.test(path)) return o;
  return undefined;
}

/** Every method a path answers (the `Allow` header): its operations' methods, HEAD where GET is, and OPTIONS. */
export function allowedMethods(operations: readonly Operation[], path: string): string[] {
  const methods = operations.filter((o) => o.pattern.test(path)).map((o) => o.method);
  return methods.length === 0 ? [] : allowList(methods);
}

/** The `Allow` list of a path with these routed methods: each once, then HEAD where GET is (answered as GET), then OPTIONS. */
export function allowList(methods: readonly string[]): string[] {
  return [...new Set([...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'])];
}
