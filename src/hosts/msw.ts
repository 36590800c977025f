// The MSW host of gij-mock/msw (src/msw.ts): gij-mock as MSW request handlers for the Jira base URL a client calls, answered in the
// process (setupServer) or in the page (setupWorker): no port. One `http.all` handler whose predicate is a
// RegExp on the base URL (the same meaning in MSW 2 and 3) calls the fetch host. msw is an optional peer
// dependency: imported here, never bundled.
import { http, type HttpHandler } from 'msw';
import type { Engine } from '../engine/types.js';
import type { GijMockHandlers } from '../msw.js';
import type { Decoders } from './fetch.js';
import { fetchMockOf } from './fetch-mock.js';

/** The parts of a base URL: origin and context path ('' or '/jira'); throws a TypeError naming what is wrong. */
export function parseBaseUrl(baseUrl: string): { origin: string; hostname: string; contextPath: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`gij-mock/msw: baseUrl ${JSON.stringify(baseUrl)} is not an absolute URL (e.g. 'https://jira.example.com/jira')`);
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw new TypeError(`gij-mock/msw: baseUrl ${JSON.stringify(baseUrl)} must be an http(s) origin plus an optional context path, with no query, fragment or credentials`);
  }
  return { origin: url.origin, hostname: url.hostname, contextPath: url.pathname.replace(/\/+$/, '') };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** MSW handlers over an engine that answers under `baseUrl` (its context path and host name accepted). */
export function mswHandlersOf(engine: Engine, baseUrl: string, decoders: Decoders = {}): GijMockHandlers {
  const { origin, contextPath } = parseBaseUrl(baseUrl);
  const base = `${origin}${contextPath}`;
  const mock = fetchMockOf(engine, base, decoders);
  // MSW matches the URL without query and fragment: the base itself, or anything under it.
  const handler = http.all(new RegExp(`^${escapeRegExp(base)}(?:/|$)`), ({ request }) => mock(request));
  const { reset, requests, clearRequests, state, setState, faults, setFaults, apiUrl, close } = mock;
  return Object.assign([handler], { reset, requests, clearRequests, state, setState, faults, setFaults, baseUrl: base, apiUrl, close, handler: mock }) as unknown as GijMockHandlers;
}
