// Which requests are API requests and which operation each targets: decided once per request, read by
// every later stage (authentication and dispatch cannot disagree). Paths are case-sensitive, as Jira's.
import { allowedMethods, operationFor, type Operation } from '../operations.js';

export interface Routing {
  /** --context-path ('' or '/jira') */
  readonly base: string;
  isApi(path: string): boolean;
  /** The operation for a method (HEAD counts as GET) and a raw path with the context path. */
  operation(method: string, path: string): Operation | undefined;
  /** The `Allow` list of a path: the API's, else the controls' (from mock-admin.yaml). */
  methodsOf(path: string): string[];
  /** The API's `Allow` list alone. */
  apiMethodsOf(path: string): string[];
}

export function routing(base: string, operations: readonly Operation[], adminOperations: readonly Operation[]): Routing {
  const api = `${base}/rest`;
  const apiPrefix = `${api}/`;
  const isApi = (path: string) => path === api || path.startsWith(apiPrefix);
  const underBase = (path: string) => path.startsWith(`${base}/`);
  return {
    base,
    isApi,
    operation: (method, path) => operationFor(operations, method, path.slice(base.length)),
    methodsOf: (path) => (isApi(path) ? allowedMethods(operations, path.slice(base.length)) : underBase(path) ? allowedMethods(adminOperations, path.slice(base.length)) : []),
    apiMethodsOf: (path) => allowedMethods(operations, path.slice(base.length) || '/'),
  };
}

/** `a=1&b=&b=2` → { a: '1', b: ['', '2'] }, as Node's querystring reads it ('+' is a space; bad escapes kept). */
export function parseQuery(query: string): Record<string, string | string[]> {
  // No prototype, as querystring's: `__proto__` is a name like any.
  const out = Object.create(null) as Record<string, string | string[]>;
  if (query === '') return out;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = unescape(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : unescape(part.slice(eq + 1));
    const had = out[name];
    if (had === undefined) out[name] = value;
    else out[name] = Array.isArray(had) ? [...had, value] : [had, value];
  }
  return out;
}

function unescape(s: string): string {
  const spaced = s.includes('+') ? s.replace(/\+/g, ' ') : s;
  if (!spaced.includes('%')) return spaced;
  try { return decodeURIComponent(spaced); } catch { return spaced; }
}

/** The first value of a header (node joins most repeats; some hosts give arrays). */
export const headerOf = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(', ') : v);
