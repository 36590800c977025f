// The only module that touches the process: argv, env, signals, listen.
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { createApp } from './app.js';
import { ConfigError, describeDefault, loadConfig, OPTIONS } from './config.js';
import { applyServerLimits } from './http-limits.js';
import { createLogger } from './logger.js';

const SHUTDOWN_GRACE_MS = 5000;

function usage(): string {
  const rows = OPTIONS.map((o) => `  ${`${o.flag} <value>`.padEnd(30)} ${o.meaning} (env ${o.env}, default ${describeDefault(o.key)})`);
  return ['Usage: gij-mock [options]', '', 'A stub of the Git Integration for Jira Integration REST API.', '', 'Options:', ...rows, `  ${'--help'.padEnd(30)} Show this text`, ''].join('\n');
}

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(usage());
  process.exit(0);
}

let config;
try {
  config = loadConfig(argv, process.env);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`gij-mock: ${e.message}\n\n${usage()}`);
  process.exit(2);
}

// V8 moves objects from allocation sites it has seen survive straight into old space; for a store
// filled by requests that leaves old space full of dead per-request objects until a full GC
// (~60 MB at 100,000 integrations, bench/results.md). Set before the app allocates anything.
setFlagsFromString('--no-allocation-site-pretenuring');

const logger = createLogger(config.logLevel);
let app;
try {
  app = createApp(config, { logger });
} catch (e) {
  // A bad --state-file: one message naming the file, the line or entry and the rule.
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`gij-mock: ${e.message}\n`);
  process.exit(2);
}
const server = app.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const baseUrl = `http://${host}:${port}${config.contextPath}`;
  process.stdout.write(
    `gij-mock listening on ${baseUrl}\n` +
      `  API:  ${baseUrl}/rest/gitplugin/1.0/integration\n` +
      `  Auth: curl -u admin:admin … or -H 'Authorization: Bearer admin-token' (user/user is a non-administrator)\n`,
  );
});
applyServerLimits(server, config);
server.on('error', (err) => {
  process.stderr.write(`gij-mock: cannot listen on ${config.host}:${config.port}: ${err.message}\n`);
  process.exit(1);
});

function shutdown(signal: string): void {
  logger.info({ signal }, 'shutting down: finishing in-flight requests');
  server.close(() => {
    logger.flush();
    process.exit(0);
  });
  server.closeIdleConnections();
  // In-flight requests get a grace period; then whatever is left is cut.
  setTimeout(() => {
    server.closeAllConnections();
  }, SHUTDOWN_GRACE_MS).unref();
}
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
