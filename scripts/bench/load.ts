// Load generation: autocannon runs (the same settings for every server), bulk fill, sequential timing.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { API, AUTHORIZATION } from './processes.js';

export const CONNECTIONS = 10;
export const WARMUP_S = 2;
export const DURATION_S = 10;
export const ADD_BODY = JSON.stringify({ type: 'GITHUB', pat: 'x' });

export type Scenario = 'get-one' | 'add' | 'list';

export interface LoadResult {
  readonly reqPerSec: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  /** non-2xx answers plus connection errors and timeouts; must be 0 for the numbers to count */
  readonly failures: number;
  /** server CPU time (user + system) per completed request, in µs; less sensitive to a busy machine than req/s */
  readonly cpuUsPerReq?: number;
}

/** Linux clock ticks per second (getconf CLK_TCK), the unit of /proc/<pid>/stat times. */
const TICKS_PER_S = 100;

/** CPU time a process has used so far, in µs (utime + stime, fields 14 and 15 of /proc/<pid>/stat). */
function cpuUsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_S) * 1e6;
}

function request(scenario: Scenario): Pick<autocannon.Options, 'method' | 'body' | 'headers'> & { path: string } {
  const headers: Record<string, string> = { authorization: AUTHORIZATION };
  if (scenario === 'add') return { path: API, method: 'POST', body: ADD_BODY, headers: { ...headers, 'content-type': 'application/json' } };
  return { path: scenario === 'list' ? API : `${API}/1`, method: 'GET', headers };
}

function cannon(url: string, scenario: Scenario, limit: { duration: number } | { amount: number }, connections = CONNECTIONS): Promise<LoadResult> {
  const { path, ...req } = request(scenario);
  const started = performance.now();
  let lastResponse = started;
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url: `${url}${path}`, connections, ...req, ...limit }, (err, result) => {
      if (err) return reject(err);
      // autocannon notices that an amount-bounded run is done only at its next 1 s tick, so its own
      // duration is rounded up to whole seconds; time the run to its last response instead.
      const seconds = 'amount' in limit ? (lastResponse - started) / 1000 : result.duration;
      resolve({
        reqPerSec: result.requests.total / seconds,
        p50: result.latency.p50,
        p99: result.latency.p99,
        requests: result.requests.total,
        failures: result.non2xx + result.errors + result.timeouts,
      });
    });
    if ('amount' in limit) instance.on('response', () => { lastResponse = performance.now(); });
  });
}

/** Warm-up (results dropped), then the measured run; with a pid, also the server's CPU time per request. */
export async function load(url: string, scenario: Scenario, opts: { pid?: number; durationS?: number; warmupS?: number } = {}): Promise<LoadResult> {
  const { pid, durationS = DURATION_S, warmupS = WARMUP_S } = opts;
  if (warmupS > 0) await cannon(url, scenario, { duration: warmupS });
  const cpuBefore = pid === undefined ? 0 : cpuUsOf(pid);
  const result = await cannon(url, scenario, { duration: durationS });
  return pid === undefined ? result : { ...result, cpuUsPerReq: (cpuUsOf(pid) - cpuBefore) / result.requests };
}

/** A fixed number of requests (for adds whose count must be known), no warm-up; with a pid, CPU per request. */
export async function loadAmount(url: string, scenario: Scenario, amount: number, pid?: number): Promise<LoadResult> {
  const cpuBefore = pid === undefined ? 0 : cpuUsOf(pid);
  const result = await cannon(url, scenario, { amount });
  return pid === undefined ? result : { ...result, cpuUsPerReq: (cpuUsOf(pid) - cpuBefore) / result.requests };
}

/** Adds `count` integrations through 32 keep-alive connections; throws unless every one succeeded. */
export async function fill(url: string, count: number): Promise<void> {
  if (count <= 0) return;
  const r = await cannon(url, 'add', { amount: count }, 32);
  if (r.failures > 0 || r.requests !== count) throw new Error(`fill: ${r.requests} of ${count} adds sent, ${r.failures} failed`);
}

/** One request at a time for `budgetMs` (at least `min` requests); latency of the full body in ms. */
export async function sequential(url: string, scenario: Scenario, budgetMs: number, min = 5): Promise<{ p50: number; p99: number; requests: number }> {
  const { path, method, headers } = request(scenario);
  const times: number[] = [];
  const until = performance.now() + budgetMs;
  while (times.length < min || performance.now() < until) {
    const t0 = performance.now();
    const res = await fetch(`${url}${path}`, { method, headers: headers as Record<string, string> });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  return { p50: at(0.5), p99: at(0.99), requests: times.length };
}

/** Status of GET integration/<id>: used to check that the store holds exactly what the bench put in. */
export async function statusOf(url: string, id: number): Promise<number> {
  const res = await fetch(`${url}${API}/${id}`, { headers: { authorization: AUTHORIZATION } });
  await res.arrayBuffer();
  return res.status;
}

export async function addOne(url: string): Promise<void> {
  const res = await fetch(`${url}${API}`, { method: 'POST', body: ADD_BODY, headers: { authorization: AUTHORIZATION, 'content-type': 'application/json' } });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`POST ${API} answered ${res.status}`);
}
