// gij-mock/msw, the public entry: gijMockHandlers({ baseUrl, ...options }) (the host is src/hosts/msw.ts).
// Its types import only msw and the library's public types.
import type { HttpHandler } from 'msw';
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
