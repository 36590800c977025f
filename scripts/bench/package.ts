// The bench's package module: what a user pays to add gij-mock to a project. One `npm pack`, one install
// of the tarball into an empty project (timed), its package count and unpacked size, then the installed
// CLI's start-up: spawn of `node node_modules/.bin/gij-mock` → first answer of the API, median of runs.
// Its section of bench/results.md sits between PACKAGE_BEGIN and PACKAGE_END, so `npm run bench -- --only=package`
// can replace it alone.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../src/spec.js';
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

export interface PackageCost {
  readonly installMs: number;
  readonly packageCount: number;
  readonly unpackedBytes: number;
  readonly tarballBytes: number;
  readonly startupMs: readonly number[];
  /** The same measure for the repository's bin/gij-mock.cjs, interleaved: on a busy machine the ratio is what holds */
  readonly repoStartupMs: readonly number[];
  /** The installed CLI of a copy of the project without the code cache file: what a Node.js other than the packer's gets (V8 refuses the cache) */
  readonly noCacheStartupMs: readonly number[];
  /** A bare \`node\` HTTP server in the same rounds: what this machine's Node.js takes to start and answer */
  readonly bareNodeStartupMs: readonly number[];
  /** CPU time the installed CLI used up to its first answer: what start-up costs, much less moved by other work than wall time */
  readonly startupCpuMs: readonly number[];
  /** /proc/loadavg (1, 5, 15 min) before and after: above ~2 other work competed with the runs */
  readonly loadAvg: { readonly before: string; readonly after: string };
}

/** CPU time (user + system, ms, 10 ms resolution) the process has used so far, from /proc/<pid>/stat. */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in clock ticks of 10 ms
}

/** ms from spawn of `node <entry…>` (the installed CLI by default) to its first 200 on the API; the process is stopped by its pid. */
export async function startupOnce(dir: string, entry: readonly string[] = [join('node_modules', '.bin', 'gij-mock')], cpu: number[] = []): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...entry, '--port', String(port), '--log-level', 'warn'], { cwd: dir, stdio: 'ignore' });
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
    const startupMs: number[] = [];
    const repoStartupMs: number[] = [];
    const startupCpuMs: number[] = [];
    const noCacheStartupMs: number[] = [];
    const bareNodeStartupMs: number[] = [];
    const repoBin = [join(projectRoot, 'bin', 'gij-mock.cjs')];
    const bareNode = ['-e', BARE_NODE, '--'];
    const noCacheDir = join(work, 'project-without-code-cache');
    cpSync(installed.dir, noCacheDir, { recursive: true });
    rmSync(join(noCacheDir, 'node_modules', 'gij-mock', 'dist', 'bundle', 'gij-mock.code-cache'));
    execFileSync('sync');
    log(`  settling ${SETTLE_MS / 1000} s after pack and install`);
    await sleep(SETTLE_MS);
    // Warm-up: the first spawn of each pays for cold file caches.
    for (const [dir, entry] of [[installed.dir, undefined], [projectRoot, repoBin], [noCacheDir, undefined], [projectRoot, bareNode]] as const) await startupOnce(dir, entry);
    for (let i = 0; i < STARTUP_RUNS; i++) {
      startupMs.push(await startupOnce(installed.dir, undefined, startupCpuMs));
      repoStartupMs.push(await startupOnce(projectRoot, repoBin));
      noCacheStartupMs.push(await startupOnce(noCacheDir));
      bareNodeStartupMs.push(await startupOnce(projectRoot, bareNode));
      log(`  start-up #${i + 1}: installed CLI ${startupMs.at(-1)!.toFixed(0)} ms, repository bin ${repoStartupMs.at(-1)!.toFixed(0)} ms, installed CLI without code cache ${noCacheStartupMs.at(-1)!.toFixed(0)} ms, bare node ${bareNodeStartupMs.at(-1)!.toFixed(0)} ms; installed CLI CPU ${startupCpuMs.at(-1)} ms`);
    }
    return { installMs: installed.installMs, packageCount: installed.packageCount, unpackedBytes: packed.unpackedSize, tarballBytes: packed.size, startupMs, repoStartupMs, noCacheStartupMs, bareNodeStartupMs, startupCpuMs, loadAvg: { before, after: loadAvg() } };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function renderPackage(p: PackageCost): string {
  const med = median([...p.startupMs]);
  return `${PACKAGE_BEGIN}
## Install and start cost of the package

Measured on ${new Date().toISOString()} (scripts/bench/package.ts). Method: \`npm pack\` (prepack builds), then in an empty
directory \`npm init -y && npm install <tarball>\` (timed; npm's cache is warm, no registry is contacted since the
package has no dependencies); package count = entries of the project's package-lock.json; unpacked size = npm pack's
\`unpackedSize\`. Start-up: spawn of \`node node_modules/.bin/gij-mock --port <free> --log-level warn\` in that project →
first 200 of \`GET ${API}\` (polled every 2 ms on fresh connections). After the install, \`sync\` and a ${SETTLE_MS / 1000} s pause (right after
a pack and an install, start-ups on this VM run 100+ ms longer for seconds); one warm-up spawn of each dropped, then ${p.startupMs.length} rounds of
four: the installed CLI, the repository's \`bin/gij-mock.cjs\` (same bundle; the comparison that survives a busy machine), the
installed CLI of a copy of the project without \`dist/bundle/gij-mock.code-cache\` (what a Node.js other than the packer's gets),
and a bare \`node\` HTTP server answering 200 (the machine's floor).
Load average (1, 5, 15 min) at the start ${p.loadAvg.before}, at the end ${p.loadAvg.after}.

| Measure | Value | Target |
|---|---|---|
| Install time of the tarball | ${p.installMs.toFixed(0)} ms | — |
| Packages added | ${p.packageCount} | 1 ${p.packageCount === 1 ? '(met)' : '(**missed**)'} |
| Unpacked size | ${(p.unpackedBytes / 1e6).toFixed(1)} MB (tarball ${(p.tarballBytes / 1e6).toFixed(1)} MB) | — |
| Start-up of the installed CLI, median | ${med.toFixed(0)} ms (runs: ${p.startupMs.map((n) => n.toFixed(0)).join(', ')}) | ≤ 300 ms ${med <= 300 ? '(met)' : '(**missed**)'} |
| Start-up of the repository's bin, median (same run) | ${median([...p.repoStartupMs]).toFixed(0)} ms | — |
| Start-up of the installed CLI without its code cache, median (same run) | ${median([...p.noCacheStartupMs]).toFixed(0)} ms | — |
| Start-up of a bare \`node\` HTTP server, median (same run) | ${median([...p.bareNodeStartupMs]).toFixed(0)} ms | — |
| CPU time of the installed CLI up to its first answer, median | ${median([...p.startupCpuMs]).toFixed(0)} ms (/proc/<pid>/stat utime + stime) | — |
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
