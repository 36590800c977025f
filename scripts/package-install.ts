// Packs this repository (npm pack: prepack builds) and installs the tarball into a fresh empty project,
// as a user would. Shared by `npm run test:package` and the bench's package module.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../src/spec.js';

export interface Packed {
  readonly tarball: string;
  readonly files: readonly string[];
  /** Bytes of the tarball's files once unpacked (npm pack's unpackedSize) */
  readonly unpackedSize: number;
  readonly size: number;
}

export interface Installed {
  readonly dir: string;
  readonly installMs: number;
  /** Packages npm installed into the project (package-lock.json entries other than the project itself) */
  readonly packageCount: number;
  /** stdout and stderr of `npm install` (npm's warnings, e.g. install-scripts, go to stderr) */
  readonly npmOutput: string;
}

const npm = (args: string[], cwd: string) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--no-update-notifier'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export function pack(destination: string): Packed {
  mkdirSync(destination, { recursive: true });
  // prepack (build, docs) prints to stdout before the JSON; the JSON is the last thing printed.
  const out = npm(['pack', '--json', '--pack-destination', destination], projectRoot);
  const info = (JSON.parse(out.slice(out.lastIndexOf('\n[\n') + 1)) as Array<{ filename: string; files: Array<{ path: string }>; unpackedSize: number; size: number }>)[0]!;
  return { tarball: join(destination, info.filename), files: info.files.map((f) => f.path), unpackedSize: info.unpackedSize, size: info.size };
}

/** `npm init -y && npm install <tarball>` in `dir` (created empty). */
export function installInto(dir: string, tarball: string): Installed {
  mkdirSync(dir, { recursive: true });
  npm(['init', '-y'], dir);
  const started = performance.now();
  const install = spawnSync('npm', ['install', tarball, '--foreground-scripts', '--no-audit', '--no-fund', '--no-update-notifier'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const installMs = performance.now() - started;
  const npmOutput = `${install.stdout}${install.stderr}`;
  if (install.status !== 0) throw new Error(`npm install ${tarball} exited with ${install.status}:\n${npmOutput}`);
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  return { dir, installMs, packageCount: Object.keys(lock.packages).filter((k) => k !== '').length, npmOutput };
}

export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
