// Where the tests send requests: an in-process gij-mock per test file (default), or any server named
// by GIJ_BASE_URL (a separately started gij-mock, or a real Jira with the plugin).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { createServer } from 'node:http';
import { closeApp, createApp, type AppDeps } from '../../src/app.js';
import { createEngine } from '../../src/engine/index.js';
import { nodeListener } from '../../src/hosts/node.js';
import { fetchHostListener } from './fetch-server.js';
import { nodePlatform } from '../../src/hosts/platform.js';
import { defaultConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

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

export async function startTarget(overrides: Partial<Config> = {}, deps: AppDeps = {}): Promise<Target> {
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
  const logger = createLogger(config.logLevel, sink);
  // GIJ_TEST_HOST=node: the node:http host (the CLI's) in process, with the same overrides; else createApp's Express host.
  const engine = env.GIJ_TEST_HOST === 'node' || env.GIJ_TEST_HOST === 'fetch' ? createEngine(config, { platform: nodePlatform(config, deps.stateIo, deps.notice), logger, now: deps.now }) : undefined;
  const app = engine ? undefined : createApp(config, { logger, ...deps });
  const handler = !engine ? app! : env.GIJ_TEST_HOST === 'fetch' ? fetchHostListener(engine) : nodeListener(engine);
  // Lets go of the --state-file: a test may start another server on the same file.
  const release = () => (engine ? engine.close() : closeApp(app!));
  const server: Server = await new Promise((resolve) => { const s = createServer(handler).listen(0, '127.0.0.1', () => resolve(s)); });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${config.contextPath}`,
    admin: basic('admin', 'admin'),
    adminBearer: 'Bearer admin-token',
    user: basic('user', 'user'),
    remote: false,
    logLines,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }).then(release),
  };
}

/** A name unique to this run, so tests against a shared server only ever touch their own integrations. */
export const runId = `${process.pid.toString(36)}${Date.now().toString(36)}`;
