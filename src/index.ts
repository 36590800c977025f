// The library: startGijMock(options) runs the server in this process; createApp(options) is its request handler.
import { createApp as createExpressApp } from './app.js';
import { type Config, configFromOptions, libraryDefaults } from './config.js';
import { createEngine } from './engine/index.js';
import { fetchMockOf } from './hosts/fetch-mock.js';
import { nodeDecoders } from './hosts/node-decoders.js';
import { nodeListener } from './hosts/node.js';
import { nodePlatform } from './hosts/platform.js';
import { createMockClient } from './mock-client.js';
import type { GijMock, GijMockFetchHandler, GijMockOptions, NodeRequestHandler } from './public-types.js';
import { closeServer, listen } from './server.js';

export type * from './public-types.js';
export { createMockClient };

const CLOSE_GRACE_MS = 1000;

// Fails to compile when an OPTIONS key (a Config field) has no GijMockOptions field, or the other way round.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const optionsCoverConfig: Same<keyof GijMockOptions, keyof Config> = true;
void optionsCoverConfig;

/** Checks the options (every problem in one GijMockConfigError) and builds the config. */
function toConfig(options: GijMockOptions): Config {
  return configFromOptions(options as Record<string, unknown>, libraryDefaults);
}

/** The mock as a plain Node request handler; throws a GijMockConfigError on bad options. It never listens. */
export function createApp(options: GijMockOptions = {}): NodeRequestHandler {
  return createExpressApp(toConfig(options)) as unknown as NodeRequestHandler;
}

/**
 * Starts gij-mock on `options.host` (127.0.0.1) and `options.port` (0: any free port); rejects on bad options
 * (a GijMockConfigError) or a failed listen (a GijMockListenError with `code`, e.g. 'EADDRINUSE').
 */
export async function startGijMock(options: GijMockOptions = {}): Promise<GijMock> {
  const config = toConfig(options);
  const engine = createEngine(config, { platform: nodePlatform(config) });
  let listening;
  try {
    listening = await listen(nodeListener(engine), config.host, config.port, config);
  } catch (e) {
    await engine.close();
    throw e;
  }
  const { server, port, origin } = listening;
  const url = `${origin}${config.contextPath}`;
  let closing: Promise<void> | undefined;
  // The --state-file is let go of after the last request: another start on it in this process may then open it.
  const close = () => (closing ??= closeServer(server, CLOSE_GRACE_MS).then(() => engine.close()));
  return { ...createMockClient(url), url, apiUrl: `${url}/rest/gitplugin/1.0`, port, close, [Symbol.asyncDispose]: close };
}

/**
 * gij-mock as a WHATWG fetch handler, `(request: Request) => Promise<Response>`, answered in this process
 * (no port): for Deno, Bun, workers or tests that call it directly. The controls are functions on it;
 * requests must name a host gij-mock answers (loopback names, or --allowed-hosts).
 */
export function createFetchHandler(options: GijMockOptions = {}): GijMockFetchHandler {
  const config = toConfig(options);
  return fetchMockOf(createEngine(config, { platform: nodePlatform(config) }), `http://localhost${config.contextPath}`, nodeDecoders);
}
