// Spawns the built `gij-mock` command as a user runs it, with only the process basics in its environment
// (no PORT or GIJ_MOCK_* of the caller leaks in), collecting its output. Callers stop what they started.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/spec.js';

export const BIN = join(projectRoot, 'bin', 'gij-mock.cjs');

export interface CliRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `readStdout: false` leaves the child's stdout pipe unread (the pipe fills, as with a parent that never reads). */
export function runCli(args: string[], { readStdout = true }: { readStdout?: boolean } = {}): CliRun {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'PORT' && !k.startsWith('GIJ_MOCK_')));
  const child = spawn(process.execPath, [BIN, ...args], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  if (readStdout) child.stdout!.on('data', (d) => { out += String(d); });
  child.stderr!.on('data', (d) => { err += String(d); });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}
