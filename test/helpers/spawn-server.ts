// Starts the built gij-mock (bin/gij-mock.cjs) as a child process on a free port, as users run it.
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/spec.js';

export interface Spawned { child: ChildProcess; baseUrl: string; stdout: () => string; stderr: () => string }

export function ensureBuilt(): void {
  if (!existsSync(join(projectRoot, 'dist', 'bundle', 'gij-mock.cjs'))) execFileSync('npm', ['run', 'build'], { cwd: projectRoot, stdio: 'ignore' });
}

export async function spawnServer(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Spawned> {
  ensureBuilt();
  const child = spawn(process.execPath, [join(projectRoot, 'bin', 'gij-mock.cjs'), '--port', '0', '--log-level', 'warn', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => { err += String(d); });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`gij-mock exited with ${code}: ${err}`)));
  });
  return { child, baseUrl, stdout: () => out, stderr: () => err };
}

export function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
