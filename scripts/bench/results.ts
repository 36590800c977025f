// What one bench run measures, and the targets evaluated on it.
import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/spec.js';
import type { LoadResult, Scenario } from './load.js';
import type { ServerName } from './processes.js';

export interface GrowthStep {
  /** integrations stored when get-one and list were measured */
  readonly stored: number;
  readonly rssMb: number;
  readonly peakMb: number;
  readonly get: LoadResult;
  readonly list: { p50: number; p99: number; requests: number };
  readonly add: LoadResult;
}

export interface BenchResults {
  readonly startup: Record<'gij-mock' | 'prism', number[]>;
  readonly load: Record<ServerName, Record<Scenario, LoadResult>>;
  readonly growth: GrowthStep[];
  /** /proc/loadavg when the run began and ended: other work on the machine skews every number */
  readonly loadAvg: { readonly before: string; readonly after: string };
  readonly wallS: number;
}

export const loadAvg = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly node: string;
  readonly kernel: string;
  /** whether npm ci applied patches/ to express-openapi-validator (skipped with --ignore-scripts) */
  readonly validatorPatched: boolean;
}

const PATCHED_FILE = join(projectRoot, 'node_modules', 'express-openapi-validator', 'dist', 'middlewares', 'openapi.metadata.js');

export function machine(): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    cpus: availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    memoryGb: totalmem() / 1024 ** 3,
    node: process.version,
    kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
    validatorPatched: readFileSync(PATCHED_FILE, 'utf8').includes('gij-mock patch'),
  };
}

/** The q-quantile (0 < q ≤ 1) of ascending `sorted`: the smallest value with at least q of them at or below it. */
export const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export interface Ratios {
  readonly getVsPrism: number;
  readonly addVsPrism: number;
  readonly getVsBare: number;
  readonly addVsBare: number;
  readonly listVsBare: number;
  /** server CPU time per get-one request, gij-mock over bare, and Prism over gij-mock */
  readonly getCpuVsBare: number;
  readonly getCpuPrismVsGij: number;
  /** Prism's median start-up over gij-mock's: how many times faster gij-mock starts */
  readonly startupSpeedup: number;
  /** server CPU per request at the largest growth step over that at the smallest (1 = perfectly flat) */
  readonly getCost: number;
  readonly addCost: number;
  /** req/s at the largest growth step over req/s at the smallest */
  readonly getRps: number;
  readonly addRps: number;
}

export function ratios(r: BenchResults): Ratios {
  const rps = (s: ServerName, sc: Scenario) => r.load[s][sc].reqPerSec;
  const cpu = (s: ServerName, sc: Scenario) => r.load[s][sc].cpuUsPerReq ?? NaN;
  const first = r.growth[0]!;
  const last = r.growth[r.growth.length - 1]!;
  return {
    getVsPrism: rps('gij-mock', 'get-one') / rps('prism', 'get-one'),
    addVsPrism: rps('gij-mock', 'add') / rps('prism', 'add'),
    getVsBare: rps('gij-mock', 'get-one') / rps('bare', 'get-one'),
    addVsBare: rps('gij-mock', 'add') / rps('bare', 'add'),
    listVsBare: rps('gij-mock', 'list') / rps('bare', 'list'),
    getCpuVsBare: cpu('gij-mock', 'get-one') / cpu('bare', 'get-one'),
    getCpuPrismVsGij: cpu('prism', 'get-one') / cpu('gij-mock', 'get-one'),
    startupSpeedup: median(r.startup.prism) / median(r.startup['gij-mock']),
    getCost: (last.get.cpuUsPerReq ?? NaN) / (first.get.cpuUsPerReq ?? NaN),
    addCost: (last.add.cpuUsPerReq ?? NaN) / (first.add.cpuUsPerReq ?? NaN),
    getRps: last.get.reqPerSec / first.get.reqPerSec,
    addRps: last.add.reqPerSec / first.add.reqPerSec,
  };
}

/** "Flat" means a request costs at most this many times more server CPU at the largest store than at the smallest. */
export const FLAT_LIMIT = 1.25;

export interface Target {
  readonly target: string;
  readonly value: string;
  readonly met: boolean;
}

export function targets(r: BenchResults): Target[] {
  const q = ratios(r);
  const gij = r.load['gij-mock'];
  const startup = median(r.startup['gij-mock']);
  const first = r.growth[0]!;
  const last = r.growth[r.growth.length - 1]!;
  // Three decimals, so that a value just under a threshold never reads as equal to it.
  const x = (n: number) => `${n.toFixed(3)}×`;
  // A load target counts only when every run behind it answered 2xx: fast errors are not throughput.
  const checked = (target: string, value: string, met: boolean, runs: readonly LoadResult[]): Target => {
    const failed = runs.reduce((n, run) => n + run.failures, 0);
    return failed === 0 ? { target, value, met } : { target, value: `${value} (${failed.toLocaleString('en')} requests failed)`, met: false };
  };
  const load = (s: ServerName, sc: Scenario) => r.load[s][sc];
  return [
    checked('get-one req/s ≥ 2× Prism', x(q.getVsPrism), q.getVsPrism >= 2, [gij['get-one'], load('prism', 'get-one')]),
    checked('add req/s ≥ 2× Prism', x(q.addVsPrism), q.addVsPrism >= 2, [gij.add, load('prism', 'add')]),
    checked('get-one req/s ≥ 75% of bare Express', `${(q.getVsBare * 100).toFixed(1)}%`, q.getVsBare >= 0.75, [gij['get-one'], load('bare', 'get-one')]),
    { target: 'start-up ≤ 300 ms (median of 5)', value: `${startup.toFixed(0)} ms`, met: startup <= 300 },
    { target: 'start-up ≥ 2.5× faster than Prism', value: x(q.startupSpeedup), met: q.startupSpeedup >= 2.5 },
    checked('get-one p99 ≤ 10 ms at 10 connections', `${gij['get-one'].p99} ms`, gij['get-one'].p99 <= 10, [gij['get-one']]),
    checked('add p99 ≤ 10 ms at 10 connections', `${gij.add.p99} ms`, gij.add.p99 <= 10, [gij.add]),
    checked(`get-one cost flat 1k → 100k (CPU/request ≤ ${FLAT_LIMIT}× of 1k)`, `${x(q.getCost)} (req/s ${x(q.getRps)})`, q.getCost <= FLAT_LIMIT, [first.get, last.get]),
    checked(`add cost flat 1k → 100k (CPU/request ≤ ${FLAT_LIMIT}× of 1k)`, `${x(q.addCost)} (req/s ${x(q.addRps)})`, q.addCost <= FLAT_LIMIT, [first.add, last.add]),
    { target: `${last.stored.toLocaleString('en')} integrations ≤ 300 MB RSS`, value: `${last.rssMb.toFixed(0)} MB`, met: last.rssMb <= 300 },
  ];
}
