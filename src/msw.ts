// gij-mock/msw, the public entry: gijMockHandlers({ baseUrl, ...options }) (the host is src/hosts/msw.ts).
// Its types import only msw and the library's public types.
import type { HttpHandler } from 'msw';
import { configFromOptions, libraryDefaults } from './config.js';
import { createEngine } from './engine/index.js';
import { mswHandlersOf, parseBaseUrl } from './hosts/msw.js';
import { mswDecoders, mswPlatform } from './hosts/msw-platform.js';
import type { GijMockFetchHandler, GijMockOptions, MockControlsClient } from './public-types.js';

export interface GijMockMswOptions extends GijMockOptions {
  /** The Jira base URL the client calls, context path included, e.g. 'https://jira.example.com/jira'. */
  baseUrl: string;
}

/** The handlers (spread them into setupServer/setupWorker) with the controls and close of the mock. */
export type GijMockHandlers = HttpHandler[] & MockControlsClient & {
  /** The base URL's origin plus context path (no trailing '/'). */
  readonly baseUrl: string;
  /** `baseUrl` + `/rest/gitplugin/1.0` */
  readonly apiUrl: string;
  /** The mock as a fetch handler, for calls that bypass MSW. */
  readonly handler: GijMockFetchHandler;
  /** Releases what the mock holds (the --state-file lock, timers). */
  close(): Promise<void>;
};

/**
 * gij-mock as MSW handlers for the Jira at `baseUrl` (context path included): `setupServer(...handlers)`
 * in Node tests, `setupWorker(...handlers)` in a page; no port. Its host name is answered (as
 * --allowed-hosts) and its path is the context path. Throws a GijMockConfigError on bad options.
 */
export function gijMockHandlers(options: GijMockMswOptions): GijMockHandlers {
  const { baseUrl, ...rest } = options;
  const { hostname, contextPath } = parseBaseUrl(baseUrl);
  if (rest.contextPath !== undefined && rest.contextPath.replace(/\/+$/, '') !== contextPath) throw new TypeError(`gij-mock/msw: contextPath ${JSON.stringify(rest.contextPath)} differs from the path of baseUrl ${JSON.stringify(baseUrl)}; leave contextPath out`);
  const allowedHosts = [rest.allowedHosts, hostname].filter(Boolean).join(',');
  const config = configFromOptions({ ...rest, contextPath, allowedHosts }, libraryDefaults);
  return mswHandlersOf(createEngine(config, { platform: mswPlatform(config) }), baseUrl, mswDecoders);
}
