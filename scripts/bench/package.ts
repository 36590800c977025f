// The bench's package module: what a user pays to add gij-mock to a project. One `npm pack`, one install
// of the tarball into an empty project (timed), its package count and unpacked size, then the installed
// CLI's start-up: spawn of `<node> node_modules/.bin/gij-mock` → first answer of the API, median of runs, on two
// Node.js versions (this machine's and the matrix's latest 22.x, scripts/node-binaries.ts). No V8 code cache
// ships (it crashed other Node.js builds, issue 18); what one would save is measured in the same rounds with a
// cache that same binary made at bench time (CACHED_ENTRY). Its section of bench/results.md sits between
// PACKAGE_BEGIN and PACKAGE_END, so `npm run bench -- --only=package` can replace it alone.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../src/spec.js';
import { BENCH_OTHER_NODE, nodeBinary } from '../node-binaries.js';
import { installInto, pack } from '../package-install.js';
import { API, AUTHORIZATION, freePort, HOST } from './processes.js';
import { loadAvg, median } from './results.js';

export const PACKAGE_BEGIN = '<!-- package cost: begin (npm run bench -- --only=package rewrites this section) -->';
export const PACKAGE_END = '<!-- package cost: end -->';
const STARTUP_RUNS = 9;
// npm pack (a build) and the install leave this VM slow for seconds (start-ups 100+ ms longer right after
// them, measured): the series begins after sync and this pause.
const SETTLE_MS = 20_000;
// The floor of the machine: Node's own start and a listen, answering 200 to anything.
export const BARE_NODE = "const a = process.argv; require('node:http').createServer((q, s) => s.end('{}')).listen(Number(a[a.indexOf('--port') + 1]), '127.0.0.1')";
/**
 * Bench only, written into the project: the installed bundle compiled with V8's code cache in
 * $GIJ_BENCH_CODE_CACHE. With --make-cache it compiles afresh, starts the library, lists the integrations, stops
 * and saves what V8 compiled (as the build did until issue 18); otherwise it runs the command from the cache and
 * exits 3 if V8 refuses it, so a "with cache" number is never a silent "without".
 */
const CACHED_ENTRY = `'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');
const BUNDLE = join(__dirname, 'node_modules', 'gij-mock', 'dist', 'bundle', 'gij-mock.cjs');
const CACHE = process.env.GIJ_BENCH_CODE_CACHE;
const make = process.argv[2] === '--make-cache';
const script = new vm.Script(Module.wrap(readFileSync(BUNDLE, 'utf8')), { filename: BUNDLE, cachedData: make ? undefined : readFileSync(CACHE) });
if (!make && script.cachedDataRejected !== false) { process.stderr.write('V8 refused the code cache\\n'); process.exit(3); }
const bundle = { exports: {} };
script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(BUNDLE), bundle, BUNDLE, dirname(BUNDLE));
if (make) {
  bundle.exports.startGijMock({ port: 0, logLevel: 'silent' }).then(async (mock) => {
    await (await fetch(mock.apiUrl + '/integration', { headers: { authorization: ${JSON.stringify(AUTHORIZATION)} } })).arrayBuffer();
    await mock.close();
    writeFileSync(CACHE, script.createCachedData());
  });
} else {
  bundle.exports.runCli();
}
`;

/** Start-up of the installed CLI on one Node.js, in the same rounds as the others */
export interface NodeStartup {
  /** process.version of the binary, e.g. v20.20.2 */
  readonly version: string;
  /** The installed CLI as it ships: no code cache */
  readonly startupMs: readonly number[];
  /** The same bundle from a code cache this binary made at bench time: what a shipped cache could save at best */
  readonly cachedStartupMs: readonly number[];
  readonly cacheBytes: number;
  /** CPU time the installed CLI used up to its first answer: what start-up costs, much less moved by other work than wall time */
  readonly startupCpuMs: readonly number[];
  /** The same for the start from the code cache */
  readonly cachedCpuMs: readonly number[];
}

export interface PackageCost {
  readonly installMs: number;
  readonly packageCount: number;
  readonly unpackedBytes: number;
  readonly tarballBytes: number;
  /** This machine's Node.js first (the start-up target applies to it), then the matrix's latest 22.x */
  readonly nodes: readonly NodeStartup[];
  /** The repository's bin/gij-mock.cjs on this machine's Node.js, interleaved: on a busy machine the ratio is what holds */
  readonly repoStartupMs: readonly number[];
  /** A bare \`node\` HTTP server in the same rounds: what this machine's Node.js takes to start and answer */
  readonly bareNodeStartupMs: readonly number[];
  /** /proc/loadavg (1, 5, 15 min) before and after: above ~2 other work competed with the runs */
  readonly loadAvg: { readonly before: string; readonly after: string };
}

/** CPU time (user + system, ms, 10 ms resolution) the process has used so far, from /proc/<pid>/stat. */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in clock ticks of 10 ms
}

const INSTALLED = [join('node_modules', '.bin', 'gij-mock')];
const WITH_CACHE = ['with-code-cache.cjs'];

/** ms from spawn of `<node> <entry…>` (the installed CLI by default) to its first 200 on the API; the process is stopped by its pid. */
export async function startupOnce(dir: string, entry: readonly string[] = INSTALLED, cpu: number[] = [], node = process.execPath, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(node, [...entry, '--port', String(port), '--log-level', 'warn'], { cwd: dir, env, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`installed gij-mock exited with ${child.exitCode}`);
      if (performance.now() - started > 30_000) throw new Error('installed gij-mock did not answer within 30 s');
      const status = await fetch(`http://${HOST}:${port}${API}`, { headers: { authorization: AUTHORIZATION } }).then((r) => r.status, () => 0);
      if (status === 200) {
        const ms = performance.now() - started;
        cpu.push(cpuMsOf(child.pid!));
        return ms;
      }
      await sleep(2);
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export async function measurePackage(log: (line: string) => void): Promise<PackageCost> {
  const before = loadAvg();
  const work = mkdtempSync(join(tmpdir(), 'gij-mock-bench-package-'));
  try {
    const packed = pack(work);
    const installed = installInto(join(work, 'project'), packed.tarball);
    log(`  install of the tarball into an empty project: ${installed.installMs.toFixed(0)} ms, ${installed.packageCount} package(s), unpacked ${(packed.unpackedSize / 1e6).toFixed(1)} MB`);
    writeFileSync(join(installed.dir, 'with-code-cache.cjs'), CACHED_ENTRY);
    const binaries = [...new Set([process.execPath, nodeBinary(BENCH_OTHER_NODE)])];
    const nodes = binaries.map((binary, i) => {
      const cacheEnv = { ...process.env, GIJ_BENCH_CODE_CACHE: join(work, `code-cache-${i}`) };
      execFileSync(binary, [...WITH_CACHE, '--make-cache'], { cwd: installed.dir, env: cacheEnv });
      const version = execFileSync(binary, ['-p', 'process.version'], { encoding: 'utf8' }).trim();
      return { binary, version, cacheEnv, cacheBytes: readFileSync(cacheEnv.GIJ_BENCH_CODE_CACHE).length, startupMs: [] as number[], cachedStartupMs: [] as number[], startupCpuMs: [] as number[], cachedCpuMs: [] as number[] };
    });
    const repoStartupMs: number[] = [];
    const bareNodeStartupMs: number[] = [];
    const repoBin = [join(projectRoot, 'bin', 'gij-mock.cjs')];
    const bareNode = ['-e', BARE_NODE, '--'];
    execFileSync('sync');
    log(`  settling ${SETTLE_MS / 1000} s after pack and install`);
    await sleep(SETTLE_MS);
    // Warm-up: the first spawn of each pays for cold file caches.
    for (const n of nodes) {
      await startupOnce(installed.dir, INSTALLED, [], n.binary);
      await startupOnce(installed.dir, WITH_CACHE, [], n.binary, n.cacheEnv);
    }
    await startupOnce(projectRoot, repoBin);
    await startupOnce(projectRoot, bareNode);
    for (let i = 0; i < STARTUP_RUNS; i++) {
      const round: string[] = [];
      for (const n of nodes) {
        n.startupMs.push(await startupOnce(installed.dir, INSTALLED, n.startupCpuMs, n.binary));
        n.cachedStartupMs.push(await startupOnce(installed.dir, WITH_CACHE, n.cachedCpuMs, n.binary, n.cacheEnv));
        round.push(`Node ${n.version}: installed CLI ${n.startupMs.at(-1)!.toFixed(0)} ms (CPU ${n.startupCpuMs.at(-1)} ms), with a code cache ${n.cachedStartupMs.at(-1)!.toFixed(0)} ms (CPU ${n.cachedCpuMs.at(-1)} ms)`);
      }
      repoStartupMs.push(await startupOnce(projectRoot, repoBin));
      bareNodeStartupMs.push(await startupOnce(projectRoot, bareNode));
      log(`  start-up #${i + 1}: ${round.join('; ')}; repository bin ${repoStartupMs.at(-1)!.toFixed(0)} ms, bare node ${bareNodeStartupMs.at(-1)!.toFixed(0)} ms`);
    }
    return {
      installMs: installed.installMs, packageCount: installed.packageCount, unpackedBytes: packed.unpackedSize, tarballBytes: packed.size,
      nodes: nodes.map(({ version, startupMs, cachedStartupMs, cacheBytes, startupCpuMs, cachedCpuMs }) => ({ version, startupMs, cachedStartupMs, cacheBytes, startupCpuMs, cachedCpuMs })),
      repoStartupMs, bareNodeStartupMs, loadAvg: { before, after: loadAvg() },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function renderPackage(p: PackageCost): string {
  const ms = (values: readonly number[]) => `${median([...values]).toFixed(0)} ms`;
  const nodeRows = p.nodes.map((n, i) => {
    const med = median([...n.startupMs]);
    const target = i === 0 ? `≤ 300 ms ${med <= 300 ? '(met)' : '(**missed**)'}` : '—';
    const saved = med - median([...n.cachedStartupMs]);
    return `| Start-up of the installed CLI, Node ${n.version}, median (as shipped: no code cache) | ${med.toFixed(0)} ms (runs: ${n.startupMs.map((v) => v.toFixed(0)).join(', ')}) | ${target} |
| … the same from a code cache made by that binary at bench time (same rounds), median | ${ms(n.cachedStartupMs)}: ${saved >= 0 ? `saves ${saved.toFixed(0)} ms` : `${(-saved).toFixed(0)} ms slower`} (cache ${(n.cacheBytes / 1024).toFixed(0)} KiB) | — |
| … CPU time up to its first answer, median: as shipped / from the code cache | ${ms(n.startupCpuMs)} / ${ms(n.cachedCpuMs)} (/proc/<pid>/stat utime + stime, 10 ms ticks; less moved by a busy machine than wall time) | — |`;
  });
  return `${PACKAGE_BEGIN}
## Install and start cost of the package

Measured on ${new Date().toISOString()} (scripts/bench/package.ts). Method: \`npm pack\` (prepack builds), then in an empty
directory \`npm init -y && npm install <tarball>\` (timed; npm's cache is warm, no registry is contacted since the
package has no dependencies); package count = entries of the project's package-lock.json; unpacked size = npm pack's
\`unpackedSize\`. Start-up: spawn of \`<node> node_modules/.bin/gij-mock --port <free> --log-level warn\` in that project →
first 200 of \`GET ${API}\` (polled every 2 ms on fresh connections), on ${p.nodes.map((n) => n.version).join(' and ')}. After the install, \`sync\` and a ${SETTLE_MS / 1000} s pause (right after
a pack and an install, start-ups on this VM run 100+ ms longer for seconds); one warm-up spawn of each dropped, then ${p.repoStartupMs.length} rounds of:
per Node.js the installed CLI as shipped (no code cache) and the same bundle compiled from a V8 code cache that binary made
at bench time (started the library, answered one list, stopped; V8 must accept it or the run fails) — what a shipped cache
would save at best, since only the exact Node.js build that made a cache may use it; then the repository's \`bin/gij-mock.cjs\`
(same bundle) and a bare \`node\` HTTP server answering 200 (the machine's floor), both on ${p.nodes[0]?.version ?? 'this machine\'s Node.js'}.
Load average (1, 5, 15 min) at the start ${p.loadAvg.before}, at the end ${p.loadAvg.after}.

| Measure | Value | Target |
|---|---|---|
| Install time of the tarball | ${p.installMs.toFixed(0)} ms | — |
| Packages added | ${p.packageCount} | 1 ${p.packageCount === 1 ? '(met)' : '(**missed**)'} |
| Unpacked size | ${(p.unpackedBytes / 1e6).toFixed(1)} MB (tarball ${(p.tarballBytes / 1e6).toFixed(1)} MB) | — |
${nodeRows.join('\n')}
| Start-up of the repository's bin, median (same run) | ${ms(p.repoStartupMs)} | — |
| Start-up of a bare \`node\` HTTP server, median (same run) | ${ms(p.bareNodeStartupMs)} | — |
${PACKAGE_END}
`;
}

/** Replaces the package section (or another between `beginMark` and `endMark`) of `markdown` (or inserts it before the notes marker, or at the end). */
export function spliceSection(markdown: string, section: string, notesMarker: string, beginMark = PACKAGE_BEGIN, endMark = PACKAGE_END): string {
  const begin = markdown.indexOf(beginMark);
  const end = markdown.indexOf(endMark);
  if (begin >= 0 && end > begin) return markdown.slice(0, begin) + section + markdown.slice(end + endMark.length + 1);
  const notes = markdown.indexOf(notesMarker);
  return notes >= 0 ? `${markdown.slice(0, notes)}${section}\n${markdown.slice(notes)}` : `${markdown}\n${section}`;
}
