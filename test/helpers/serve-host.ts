// Serves gij-mock with the host a test asks for (GIJ_TEST_HOST, test/helpers/hosts.ts), at an origin the
// suites call with fetch or raw node:http requests:
// - express: createApp (express-openapi-validator checks requests, the engine does the rest);
// - node:    the engine's node:http listener, as the CLI and startGijMock serve (the engine's Ajv);
// - fetch:   the fetch handler (src/hosts/fetch.ts) behind a loopback socket (test/helpers/fetch-bridge.ts);
// - msw:     gij-mock/msw's handlers in one setupServer per test process: no socket at all, MSW
//            intercepts the requests to the target's origin (a loopback port nothing listens on).
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeApp, createApp, type AppDeps } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { createEngine } from '../../src/engine/index.js';
import type { Engine } from '../../src/engine/types.js';
import { fetchHandlerOf } from '../../src/hosts/fetch.js';
import { nodeDecoders } from '../../src/hosts/node-decoders.js';
import { nodeListener } from '../../src/hosts/node.js';
import { nodePlatform } from '../../src/hosts/platform.js';
import type { OpenApiDocument } from '../../src/spec.js';
import { serveFetchHandler } from './fetch-bridge.js';
import type { HostName } from './hosts.js';

/** What a test may change of the engine besides config and deps: the API description (test-only plants). */
export interface HostOptions { readonly spec?: OpenApiDocument }

export interface Served {
  /** scheme, host and port; the context path is not included */
  readonly origin: string;
  close(): Promise<void>;
}

function engineOf(config: Config, deps: AppDeps, options: HostOptions): Engine {
  const platform = nodePlatform(config, deps.stateIo, deps.notice);
  return createEngine(config, { platform: options.spec ? { ...platform, spec: options.spec } : platform, logger: deps.logger, now: deps.now });
}

async function onSocket(handler: RequestListener, release: () => Promise<void>): Promise<Served> {
  return served(createServer(handler), release);
}

async function served(server: Server, release: () => Promise<void>): Promise<Served> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
      await release();
    },
  };
}

// One MSW server per test process; each msw target adds its handlers and takes them away on close.
type MswHandler = import('msw').HttpHandler;
let mswServer: import('msw/node').SetupServer | undefined;
const mswActive: MswHandler[][] = [];
let mswPorts = 0;

async function onMsw(engine: Engine, config: Config): Promise<Served> {
  const { mswHandlersOf } = await import('../../src/hosts/msw.js');
  const { setupServer } = await import('msw/node');
  // Port 1..n on loopback: nothing listens there, so a request MSW did not catch fails loudly.
  const origin = `http://127.0.0.1:${++mswPorts}`;
  const { http } = await import('msw');
  const handlers = mswHandlersOf(engine, `${origin}${config.contextPath}`, nodeDecoders);
  // Outside the context path a server still answers (404): the rest of the origin goes to the mock too.
  const own = [...handlers, http.all(new RegExp(`^${origin.replace(/[.:/]/g, '\\$&')}/`), ({ request }: { request: Request }) => handlers.handler(request))];
  const server = (mswServer ??= setupServer());
  // Other traffic of the test process (a spawned server, a second target) goes out as usual.
  if (mswActive.length === 0) server.listen({ onUnhandledRequest: 'bypass' });
  mswActive.push(own);
  server.resetHandlers(...mswActive.flat());
  return {
    origin,
    close: async () => {
      mswActive.splice(mswActive.indexOf(own), 1);
      if (mswActive.length) server.resetHandlers(...mswActive.flat());
      else {
        server.close();
        mswServer = undefined;
      }
      await handlers.close();
    },
  };
}

export async function serveHost(host: HostName, config: Config, deps: AppDeps, options: HostOptions = {}): Promise<Served> {
  switch (host) {
    case 'express':
      if (options.spec) throw new Error('the Express host reads its spec itself');
      {
        const app = createApp(config, deps);
        // Lets go of its --state-file: a test may start another server on the same file.
        return onSocket(app, () => closeApp(app));
      }
    case 'node': {
      const engine = engineOf(config, deps, options);
      return onSocket(nodeListener(engine), () => engine.close());
    }
    case 'fetch': {
      const engine = engineOf(config, deps, options);
      return served(await serveFetchHandler(fetchHandlerOf(engine, nodeDecoders)), () => engine.close());
    }
    case 'msw':
      return onMsw(engineOf(config, deps, options), config);
  }
}
