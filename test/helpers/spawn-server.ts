// Starts the built gij-mock (bin/gij-mock.cjs) as a child process on a free port, as users run it.
import { type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/spec.js';
import { runCli } from './run-cli.js';

export interface Spawned { child: ChildProcess; baseUrl: string; stdout: () => string; stderr: () => string }

export function ensureBuilt(): void {
  if (!existsSync(join(projectRoot, 'dist', 'bundle', 'gij-mock.cjs'))) execFileSync('npm', ['run', 'build'], { cwd: projectRoot, stdio: 'ignore' });
}

/** The command (runCli: the caller's PORT and GIJ_MOCK_* left out) on port 0; resolves once it prints its URL. */
export async function spawnServer(args: string[] = []): Promise<Spawned> {
  ensureBuilt();
  const run = runCli(['--port', '0', '--log-level', 'warn', ...args]);
  const baseUrl = await new Promise<string>((resolve, reject) => {
    // runCli's own listener has appended the chunk to stdout() before this one runs.
    run.child.stdout!.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(run.stdout());
      if (m) resolve(m[1]!);
    });
    void run.exited.then((code) => reject(new Error(`gij-mock exited with ${code}: ${run.stderr()}`)));
  });
  return { child: run.child, baseUrl, stdout: run.stdout, stderr: run.stderr };
}

export function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
