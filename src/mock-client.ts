// A small typed client of the /__mock controls (openapi/mock-admin.yaml), on fetch.
// State-changing calls always send a JSON body with Content-Type: application/json ({} when empty).
import type { FaultSettings, FaultsResponse, HostsResponse, IndexResponse, JournalResponse, MockControlsClient, StateDocument, StateExport } from './public-types.js';

const SESSION_HEADER = 'X-Mock-Session';

/** What the client sends its calls with: global fetch, or an in-process handler (gij-mock/msw: no port). */
export type ControlsFetch = (request: Request) => Promise<Response>;

/**
 * A client of the controls of the gij-mock at `url` (its base URL, context path included). `send` is
 * called at each call (default: the global fetch of that moment).
 */
export function createMockClient(url: string, send: ControlsFetch = (request) => fetch(request)): MockControlsClient {
  async function call<T>(method: string, path: string, options: { session?: string | undefined; query?: Record<string, string | undefined>; body?: unknown } = {}): Promise<T> {
    const target = new URL(`${url}${path}`);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) target.searchParams.set(k, v);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.session !== undefined) headers[SESSION_HEADER] = options.session;
    const init: RequestInit = { method, headers };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body ?? {});
    }
    const res = await send(new Request(target, init));
    const text = await res.text();
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
    if (!res.ok) {
      const e = data as { error?: string; advice?: string };
      throw new Error(`gij-mock ${method} ${path} answered ${res.status}: ${e?.error ?? text}${e?.advice ? ` (${e.advice})` : ''}`);
    }
    return data as T;
  }
  return {
    reset: async ({ session, all } = {}) => void (await call('POST', '/__mock/reset', { session, query: { all: all === undefined ? undefined : String(all) } })),
    requests: ({ operationId, session } = {}) => call<JournalResponse>('GET', '/__mock/requests', { query: { operationId, session } }),
    clearRequests: async ({ session } = {}) => void (await call('DELETE', '/__mock/requests', { query: { session } })),
    state: ({ session } = {}) => call<StateExport>('GET', '/__mock/state', { session }),
    setState: (doc: StateDocument, { session } = {}) => call('PUT', '/__mock/state', { session, body: doc }),
    faults: () => call<FaultsResponse>('GET', '/__mock/faults'),
    setFaults: (settings: FaultSettings) => call<FaultsResponse>('PUT', '/__mock/faults', { body: settings }),
    advanceIndex: (by, { session } = {}) => call<IndexResponse>('POST', '/__mock/index', { session, body: by }),
    hosts: ({ session } = {}) => call<HostsResponse>('GET', '/__mock/hosts', { session }),
    setHosts: (catalogue, { session } = {}) => call<HostsResponse>('PUT', '/__mock/hosts', { session, body: catalogue }),
    resetHosts: ({ session } = {}) => call<HostsResponse>('DELETE', '/__mock/hosts', { session }),
  };
}
