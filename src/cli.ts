// The command: the only module that touches the process (argv, env, signals, exit). runCli() is called by
// bin/gij-mock.cjs through the bundle (src/core.ts), and by src/main.ts under tsx.
import { setFlagsFromString } from 'node:v8';
import { createEngine } from './engine/index.js';
import { nodeListener } from './hosts/node.js';
import { nodePlatform } from './hosts/platform.js';
import { type Config, ConfigError, describeDefault, loadConfig, OPTIONS } from './config.js';
import { createLogger, stdoutLogSink } from './logger.js';
import { closeServer, listen, ListenError } from './server.js';
import { packageVersion } from './version.js';

const SHUTDOWN_GRACE_MS = 5000;
const STDERR_WAIT_MS = 200;

function usage(): string {
  const rows = OPTIONS.map((o) => `  ${`${o.flag} <value>`.padEnd(30)} ${o.meaning} (env ${o.env}, default ${describeDefault(o.key)})`);
  return ['Usage: gij-mock [options]', '', 'A stub of the Git Integration for Jira Integration REST API.', '', 'Options:', ...rows, `  ${'--help, -h'.padEnd(30)} Show this text`, `  ${'--version, -v'.padEnd(30)} Print the version`, '', 'Exit codes: 0 stopped by SIGINT/SIGTERM, 1 runtime error (e.g. cannot listen), 2 bad configuration.', ''].join('\n');
}

/** Runs gij-mock as the command line says; resolves once it listens (errors end the process with exit code 1 or 2). */
export async function runCli(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage());
    process.exit(0);
  }
  if (argv.includes('--version') || argv.includes('-v')) {
    process.stdout.write(`${packageVersion()}\n`);
    process.exit(0);
  }

  let config: Config;
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

  // The sink listens for stdout's errors first: the banner's write to a closed stdout (EPIPE) is then no crash.
  const sink = stdoutLogSink();
  const logger = createLogger(config.logLevel, sink);
  let app;
  try {
    // What --repair did goes to stderr: stdout's first line is the listening line scripts parse.
    const notice = (line: string) => void process.stderr.write(`gij-mock: ${line}\n`);
    app = nodeListener(createEngine(config, { platform: nodePlatform(config, undefined, notice), logger }));
  } catch (e) {
    // A bad or unusable --state-file: one line per problem naming the file, the line or entry and what to do.
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(e.problems.map((p) => `gij-mock: ${p}\n`).join(''));
    process.exit(2);
  }
  let listening;
  try {
    listening = await listen(app, config.host, config.port, config);
  } catch (e) {
    if (!(e instanceof ListenError)) throw e;
    process.stderr.write(`gij-mock: ${e.message}\n`);
    process.exit(1);
  }
  const { server, port, origin } = listening;
  const baseUrl = `${origin}${config.contextPath}`;
  function shutdown(signal: string): void {
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    // In-flight requests get a grace period; then whatever is left is cut.
    // Log lines still queued for a stdout nobody reads are not waited for: they are lost, and counted.
    void closeServer(server, SHUTDOWN_GRACE_MS).then(() => {
      const lost = sink.lostLines;
      if (lost === 0) process.exit(0);
      // stderr may be unread too: the exit waits for this line a moment at most.
      setTimeout(() => process.exit(0), STDERR_WAIT_MS).unref();
      process.stderr.on('error', () => process.exit(0));
      process.stderr.write(`gij-mock: ${lost} log lines dropped (stdout was not being read)\n`, () => process.exit(0));
    });
  }
  // Signals are handled before the banner is out: a script may send SIGTERM as soon as it reads the first line.
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  // The first line is the contract scripts parse (README "Use it in your project"): `gij-mock listening on <url>`.
  process.stdout.write(
    `gij-mock listening on ${baseUrl}\n` +
      `  Port: ${port}\n` +
      `  API: ${baseUrl}/rest/gitplugin/1.0/integration\n` +
      `  Docs: ${baseUrl}/docs\n` +
      `  Controls: ${baseUrl}/__mock (reset, requests, state, faults)\n` +
      `  Auth: curl -u admin:admin … or -H 'Authorization: Bearer admin-token' (user/user is a non-administrator)\n`,
  );
}
