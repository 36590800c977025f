// Where the tests send requests: an in-process gij-mock per test file (default), or any server named
// by GIJ_BASE_URL (a separately started gij-mock, or a real Jira with the plugin). In-process, GIJ_TEST_HOST
// picks the host that serves it (npm run test:hosts runs the suites once per host).
import { Writable } from 'node:stream';
import type { AppDeps } from '../../src/app.js';
import { defaultConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { testHost, type HostName } from './hosts.js';
import { serveHost } from './serve-host.js';

export { hasSocket, HOST_NAMES, testHost, type HostName } from './hosts.js';
export { serveHost, type HostOptions } from './serve-host.js';

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
  const served = await serveHost(host, config, { logger: createLogger(config.logLevel, sink), ...deps });
  return {
    baseUrl: `${served.origin}${config.contextPath}`,
    admin: basic('admin', 'admin'),
    adminBearer: 'Bearer admin-token',
    user: basic('user', 'user'),
    remote: false,
    logLines,
    close: () => served.close(),
  };
}

/** A name unique to this run, so tests against a shared server only ever touch their own integrations. */
export const runId = `${process.pid.toString(36)}${Date.now().toString(36)}`;
