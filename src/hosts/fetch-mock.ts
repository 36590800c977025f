// gij-mock with no port: the fetch host plus the /__mock controls as functions that call it directly (the
// controls client of src/mock-client.ts, given the handler instead of the network). createFetchHandler and
// gij-mock/msw are this, over an engine built from the options.
import { createMockClient } from '../mock-client.js';
import type { GijMockFetchHandler } from '../public-types.js';
import type { Engine } from '../engine/types.js';
import { type Decoders, fetchHandlerOf } from './fetch.js';

/**
 * `baseUrl`: the URL the controls are called at, context path included (the engine answers only under its
 * context path; the host name must be one the engine accepts).
 */
export function fetchMockOf(engine: Engine, baseUrl: string, decoders: Decoders = {}): GijMockFetchHandler {
  const handle = fetchHandlerOf(engine, decoders);
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= engine.close());
  const controls = createMockClient(baseUrl, handle);
  return Object.assign((request: Request) => handle(request), controls, { baseUrl, apiUrl: `${baseUrl}/rest/gitplugin/1.0`, close });
}
