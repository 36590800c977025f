// npm run test:proxy: the contract suite through `prism proxy --errors` in front of a separately started
// gij-mock, so Prism checks every request and answer against openapi.yaml independently of our Ajv.
// Fails when the suite fails, when Prism reports a violation (an sl-violations header or its own 500),
// when Prism answered a request itself (the suite skips, with a reason, the cases it would), or when an
// operation of the spec never went through it (its log names each request it received).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { operationFor, operationsOf } from '../src/operations.js';
import { loadSpec, projectRoot } from '../src/spec.js';

const HOST = '127.0.0.1';
const API = '/rest/gitplugin/1.0/integration';
const bin = (name: string) => join(projectRoot, 'node_modules', '.bin', name);
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts a child with its output kept in `log` (printed if something goes wrong). */
function start(command: string, args: string[], log: string[]): ChildProcess {
  const child = spawn(command, args, { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
  children.push(child);
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk) => log.push(...String(chunk).split('\n').filter(Boolean)));
  return child;
}

/** Stops every child still running, by its pid. */
function stopAll(): void {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try { process.kill(child.pid, 'SIGTERM'); } catch { /* already gone */ }
    }
  }
}
process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => { stopAll(); process.exit(130); });

/** Resolves once `url` answers at all (any status); fails if the child exits or time runs out. */
async function waitForHttp(url: string, child: ChildProcess, what: string, log: string[], timeoutMs = 30_000): Promise<void> {
  // With credentials, so that Prism forwards the probe rather than answering its absence itself.
  const headers = { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited before answering:\n${log.join('\n')}`);
    try {
      await fetch(url, { headers, signal: AbortSignal.timeout(1000) });
      return;
    } catch { await sleep(100); }
  }
  throw new Error(`${what} did not answer ${url} within ${timeoutMs} ms:\n${log.join('\n')}`);
}

const operations = operationsOf(loadSpec());

/** The spec's operationIds no request in Prism's log reached (`[HTTP SERVER] get /path … Request received`). */
function unseenOperations(log: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const line of log) {
    const m = /\[HTTP SERVER\] (\w+) (\S+) .*Request received/.exec(line);
    const op = m && operationFor(operations, m[1]!.toUpperCase(), m[2]!.split('?')[0]!);
    if (op) seen.add(op.operationId);
  }
  return operations.map((o) => o.operationId).filter((id) => !seen.has(id));
}

async function main(): Promise<number> {
  if (!existsSync(join(projectRoot, 'dist', 'bundle', 'gij-mock.cjs'))) {
    process.stdout.write('test:proxy: dist/bundle/gij-mock.cjs is missing, building first\n');
    if (spawnSync('npm', ['run', 'build'], { cwd: projectRoot, stdio: 'inherit' }).status !== 0) return 1;
  }
  const [stubPort, prismPort] = [await freePort(), await freePort()];
  const stubUrl = `http://${HOST}:${stubPort}`;
  const prismUrl = `http://${HOST}:${prismPort}`;

  const stubLog: string[] = [];
  const stub = start(process.execPath, [join(projectRoot, 'bin', 'gij-mock.cjs'), '--port', String(stubPort), '--log-level', 'warn'], stubLog);
  await waitForHttp(`${stubUrl}${API}`, stub, 'gij-mock', stubLog);

  // The spec's only server is `{jiraBaseUrl}`: Prism forwards the request path as it is, after the upstream URL.
  const prismLog: string[] = [];
  const prism = start(bin('prism'), ['proxy', 'openapi/openapi.yaml', stubUrl, '--errors', '--port', String(prismPort), '--host', HOST], prismLog);
  await waitForHttp(`${prismUrl}${API}`, prism, 'prism proxy', prismLog);
  process.stdout.write(`test:proxy: gij-mock ${stubUrl} (pid ${stub.pid}), prism proxy ${prismUrl} (pid ${prism.pid})\n`);

  const env: NodeJS.ProcessEnv = { ...process.env, GIJ_BASE_URL: prismUrl, GIJ_VIA_PRISM: '1', GIJ_ADMIN_USER: 'admin', GIJ_ADMIN_PASSWORD: 'admin', GIJ_USER: 'user', GIJ_USER_PASSWORD: 'user' };
  delete env.GIJ_ADMIN_TOKEN;
  const vitest = spawn(bin('vitest'), ['run', 'test/contract'], { cwd: projectRoot, stdio: 'inherit', env });
  children.push(vitest);
  const vitestCode: number = await new Promise((resolve) => vitest.once('exit', (code) => resolve(code ?? 1)));

  const violations = prismLog.filter((line) => /violation/i.test(line));
  const ownAnswers = prismLog.filter((line) => /Request terminated with error/.test(line) && !/VIOLATIONS/.test(line));
  const unseen = unseenOperations(prismLog);
  for (const line of [...violations, ...ownAnswers]) process.stdout.write(`prism: ${line}\n`);
  if (unseen.length) process.stdout.write(`test:proxy: no request went through Prism for ${unseen.join(', ')}\n`);
  process.stdout.write(
    `test:proxy: contract suite ${vitestCode === 0 ? 'passed' : `failed (exit ${vitestCode})`}; ` +
      `Prism violations: ${violations.length}; requests Prism answered itself: ${ownAnswers.length}; ` +
      `operations Prism saw: ${operations.length - unseen.length} of ${operations.length}\n`,
  );
  return vitestCode === 0 && violations.length === 0 && ownAnswers.length === 0 && unseen.length === 0 ? 0 : 1;
}

main().then(
  (code) => { stopAll(); process.exit(code); },
  (err: unknown) => { process.stderr.write(`test:proxy: ${err instanceof Error ? err.message : String(err)}\n`); stopAll(); process.exit(1); },
);
