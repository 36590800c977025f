// Where the tests send requests: an in-process gij-mock per test file (default), or any server named
// by GIJ_BASE_URL (a separately started gij-mock, or a real Jira with the plugin). In-process, GIJ_TEST_HOST
// picks the host that serves it (npm run test:hosts runs the suites once per host).
import type { AddressInfo } from 'node:net';
import { createServer, type RequestListener, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { createApp, type AppDeps } from '../../src/app.js';
import { defaultConfig, type Config } from '../../src/config.js';
import { createEngine } from '../../src/engine/index.js';
import { nodeListener } from '../../src/hosts/node.js';
import { nodePlatform } from '../../src/hosts/platform.js';
import { createLogger } from '../../src/logger.js';
import type { OpenApiDocument } from '../../src/spec.js';
import { testHost, type HostName } from './hosts.js';

export { HOST_NAMES, testHost, type HostName } from './hosts.js';

export interface Target {
  readonly baseUrl: string;
  /** Authorization header values */
  readonly admin: string;
  readonly adminBearer?: string;
  readonly user?: string;
  /** true when aimed at a server this process did not start */
  readonly remote: boolean;
  /** every log line the in-process server wrote */
  readonly logLines: string[];
  close(): Promise<void>;
}

export const API = '/rest/gitplugin/1.0';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** What a test may change of the engine besides config and deps: the API description (test-only plants). */
export interface HostOptions { readonly spec?: OpenApiDocument }

/**
 * A server of the chosen host on 127.0.0.1, any port: Express (createApp, express-openapi-validator) or
 * node:http (the engine's Ajv validators, as the CLI and startGijMock serve).
 */
export async function serveHost(host: HostName, config: Config, deps: AppDeps, options: HostOptions = {}): Promise<{ server: Server; release: () => Promise<void> }> {
  let handler: RequestListener;
  let release = async () => {};
  switch (host) {
    case 'express':
      if (options.spec) throw new Error('the Express host reads its spec itself');
      handler = createApp(config, deps);
      break;
    case 'node': {
      const platform = nodePlatform(config, deps.stateIo);
      const engine = createEngine(config, { platform: options.spec ? { ...platform, spec: options.spec } : platform, logger: deps.logger, now: deps.now });
      handler = nodeListener(engine);
      release = () => engine.close();
      break;
    }
  }
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, release };
}

export async function startTarget(overrides: Partial<Config> = {}, deps: AppDeps = {}, host: HostName = testHost()): Promise<Target> {
  const env = process.env;
  if (env.GIJ_BASE_URL) {
    const admin = env.GIJ_ADMIN_TOKEN ? `Bearer ${env.GIJ_ADMIN_TOKEN}` : basic(env.GIJ_ADMIN_USER ?? 'admin', env.GIJ_ADMIN_PASSWORD ?? 'admin');
    return {
      baseUrl: env.GIJ_BASE_URL.replace(/\/+$/, ''),
      admin,
      adminBearer: env.GIJ_ADMIN_TOKEN ? admin : undefined,
      user: env.GIJ_USER ? basic(env.GIJ_USER, env.GIJ_USER_PASSWORD ?? '') : undefined,
      remote: true,
      logLines: [],
      close: async () => {},
    };
  }
  const logLines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { logLines.push(...String(chunk).split('\n').filter(Boolean)); done(); } });
  const config: Config = { ...defaultConfig, logLevel: 'info', ...overrides };
  const { server, release } = await serveHost(host, config, { logger: createLogger(config.logLevel, sink), ...deps });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${config.contextPath}`,
    admin: basic('admin', 'admin'),
    adminBearer: 'Bearer admin-token',
    user: basic('user', 'user'),
    remote: false,
    logLines,
    close: async () => {
      await new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
      await release();
    },
  };
}

/** A name unique to this run, so tests against a shared server only ever touch their own integrations. */
export const runId = `${process.pid.toString(36)}${Date.now().toString(36)}`;
