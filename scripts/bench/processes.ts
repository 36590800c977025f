// Child servers for the benchmark: free ports, spawn, "first HTTP response", stop by pid.
// Every child is tracked so that it is killed on any exit path, including errors and Ctrl-C.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../src/spec.js';

export const HOST = '127.0.0.1';
export const AUTHORIZATION = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
export const API = '/rest/gitplugin/1.0/integration';

export type ServerName = 'gij-mock' | 'prism' | 'bare';

export interface Server {
  readonly name: ServerName;
  readonly pid: number;
  readonly url: string;
  /** ms from spawn() to the first HTTP response */
  readonly startupMs: number;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
const killAll = (): void => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
};
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

/** Rebuilds the bundle when a source file is newer than it (or it is missing). */
export function ensureBuilt(): void {
  const built = join(projectRoot, 'dist', 'bundle', 'gij-mock.cjs');
  const builtAt = (() => { try { return statSync(built).mtimeMs; } catch { return 0; } })();
  const sources = readdirSync(join(projectRoot, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  if (builtAt > 0 && sources.every((f) => statSync(join(projectRoot, 'src', f)).mtimeMs <= builtAt)) return;
  process.stdout.write('dist/bundle/gij-mock.cjs is older than src/: npm run build\n');
  execFileSync('npm', ['run', 'build'], { cwd: projectRoot, stdio: 'inherit' });
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, HOST, resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function commandFor(name: ServerName, port: number, nodeFlags: readonly string[], entry: string, args: readonly string[]): [string, string[]] {
  const p = String(port);
  switch (name) {
    case 'gij-mock': return [process.execPath, [...nodeFlags, entry, '--port', p, '--validate-responses', 'false', '--log-level', 'warn', '--max-integrations', '1000000', ...args]];
    case 'prism': return [join(projectRoot, 'node_modules', '.bin', 'prism'), ['mock', 'openapi/openapi.yaml', '--port', p, '--host', HOST]];
    case 'bare': return [process.execPath, ['--import', 'tsx', 'scripts/bench/bare-server.ts', p]];
  }
}

/** One GET with a fresh connection; resolves with the status, rejects when nothing answers. */
function probe(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${API}`, { agent: false, headers: { authorization: AUTHORIZATION } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.setTimeout(2000, () => req.destroy(new Error('probe timed out')));
    req.end();
  });
}

/** The command users run: the bundle. Profiles use the unbundled `dist/server/main.js`, whose frames name their module. */
export const GIJ_MOCK_ENTRY = 'bin/gij-mock.cjs';

/** Spawns a server and resolves once it has answered one HTTP request; `gijMockArgs` are more options of gij-mock's. */
export async function startServer(name: ServerName, nodeFlags: readonly string[] = [], entry = GIJ_MOCK_ENTRY, gijMockArgs: readonly string[] = []): Promise<Server> {
  const port = await freePort();
  const [command, args] = commandFor(name, port, nodeFlags, entry, gijMockArgs);
  return { name, ...(await startCommand(name, port, command, args)) };
}

/** Spawns `command` (which must listen on 127.0.0.1:`port`), resolves once it has answered one HTTP request (any status). */
export async function startCommand(name: string, port: number, command: string, args: readonly string[]): Promise<Omit<Server, 'name'>> {
  const url = `http://${HOST}:${port}`;
  let stderr = '';
  const started = performance.now();
  // Prism logs several lines per request; it goes nowhere, as in a CI job that does not keep it.
  const child = spawn(command, args, { cwd: projectRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  child.stderr!.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => { children.delete(child); resolve(); }));
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited before answering:\n${stderr}`);
    if (performance.now() - started > 30_000) { child.kill('SIGKILL'); throw new Error(`${name} did not answer within 30 s:\n${stderr}`); }
    try {
      await probe(url);
      break;
    } catch {
      await sleep(5);
    }
  }
  const startupMs = performance.now() - started;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  };
  return { pid: child.pid!, url, startupMs, stop };
}

/** Resident set size and its peak, from /proc/<pid>/status, in MB. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}
