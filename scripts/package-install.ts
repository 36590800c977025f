// Packs this repository (npm pack: prepack builds) and installs the tarball into a fresh empty project,
// as a user would. Shared by `npm run test:package` and the bench's package module.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/**
 * Packs, installs the tarball into `<temporary dir>/project` and runs `use` there; the temporary directory
 * (tarball and project) is removed afterwards, whatever happens. Used by the Node matrix and the README test.
 */
export async function withInstalledPackage<T>(use: (project: string, packed: Packed, installed: Installed) => Promise<T>): Promise<T> {
  const work = mkdtempSync(join(tmpdir(), 'gij-mock-installed-'));
  try {
    const packed = pack(work);
    const installed = installInto(join(work, 'project'), packed.tarball);
    return await use(installed.dir, packed, installed);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface InstalledServer { readonly url: string; readonly stop: () => Promise<number | string | null> }

/**
 * `<node> node_modules/.bin/gij-mock <args>` in `project`: resolves once the first stdout line names the URL;
 * `stop()` sends SIGTERM and resolves with the exit code (or signal). Rejects if it exits or prints nothing in 30 s.
 */
export async function startInstalled(node: string, project: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<InstalledServer> {
  const child = spawn(node, [join('node_modules', '.bin', 'gij-mock'), ...args], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += String(d); });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`gij-mock printed no line in 30 s: ${out}${err}`)), 30_000);
      child.stdout.on('data', (d) => {
        out += String(d);
        const first = out.split('\n')[0]!;
        if (out.includes('\n')) {
          clearTimeout(timer);
          const url = /^gij-mock listening on (http:\/\/\S+)$/.exec(first)?.[1];
          if (url) resolve(url); else reject(new Error(`unexpected first line: ${first}`));
        }
      });
      void exited.then((code) => { clearTimeout(timer); reject(new Error(`gij-mock exited with ${code} before listening: ${out}${err}`)); });
    });
    child.stdout.resume();
    return { url, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
