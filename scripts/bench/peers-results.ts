// What the peers series measures (issue 20, item 7) and its targets, each as min / median / max over the rounds
// with "met" or "missed by X". Pure maths over the numbers, so test/unit/bench-peers.test.ts can check it.
import type { LoadResult } from './load.js';

/** The servers loaded in the same interleaved rounds, in the order of the report's table. */
export const PEERS = ['gij-mock', 'gij-mock, responses unchecked', 'today', 'express-host', 'wiremock', 'floor', 'bare', 'prism'] as const;
export type Peer = (typeof PEERS)[number];
export const PEER_SCENARIOS = ['get-one', 'add'] as const;
export type PeerScenario = (typeof PEER_SCENARIOS)[number];

export interface PeersResults {
  /** one LoadResult per round, rounds in order */
  readonly load: Record<Peer, Record<PeerScenario, LoadResult[]>>;
  /** calls per second of the in-process get-one, one per round; `available` false before createFetchHandler exists */
  readonly fetch: { readonly available: boolean; readonly floor: number[]; readonly gijMock: number[]; readonly failures: number; readonly error?: string };
  /** ms spawn → first answer, pairs taken in the same rounds */
  readonly startup: { readonly noCache: number[]; readonly bareNode: number[] };
  /** RSS (MB) right after 100,000 adds into a fresh process, this tree's CLI and today's, alternating */
  readonly rss100k: { readonly current: number[]; readonly today: number[] };
  readonly baseline: string;
  readonly loadAvg: { readonly before: string; readonly after: string };
  readonly wallS: number;
}

export interface Spread { readonly min: number; readonly median: number; readonly max: number }

export function spread(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return { min: s[0] ?? NaN, median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, max: s.at(-1) ?? NaN };
}

export interface PeerTarget {
  readonly target: string;
  /** min / median / max over the rounds, formatted; '—' when not measured */
  readonly value: string;
  /** 'met', 'missed by …', or why there is no verdict */
  readonly verdict: string;
  /** undefined when not measured */
  readonly met: boolean | undefined;
}

/** How a target's numbers print; `step` is the smallest difference they show. */
interface Unit { readonly format: (n: number) => string; readonly step: number }
export const PERCENT: Unit = { format: (n) => `${(n * 100).toFixed(1)} %`, step: 0.001 };
export const MICROS: Unit = { format: (n) => `${n.toFixed(0)} µs`, step: 1 };
export const MILLIS: Unit = { format: (n) => `${n.toFixed(0)} ms`, step: 1 };

/**
 * One target over per-round values: the verdict is on the median (a single round on this machine moves by up to
 * 2×); "missed by" is the distance from the median to the threshold, in the target's unit. Any failed request
 * in a run behind it spoils the target, however fast the run was.
 */
export function verdict(target: string, perRound: readonly number[], bound: 'atLeast' | 'atMost', threshold: number, unit: Unit, failures = 0): PeerTarget {
  if (perRound.length === 0 || perRound.some((v) => !Number.isFinite(v))) return { target, value: '—', verdict: 'not measured', met: undefined };
  const s = spread(perRound);
  const value = `${unit.format(s.min)} / ${unit.format(s.median)} / ${unit.format(s.max)}`;
  if (failures > 0) return { target, value, verdict: `**missed** (${failures.toLocaleString('en')} requests failed)`, met: false };
  const met = bound === 'atLeast' ? s.median >= threshold : s.median <= threshold;
  // A miss smaller than the printed precision must not read as "missed by 0".
  const gap = Math.abs(s.median - threshold);
  const by = unit.format(gap) === unit.format(0) ? `less than ${unit.format(unit.step)}` : unit.format(gap);
  return { target, value, verdict: met ? 'met' : `**missed by ${by}**`, met };
}

const failuresOf = (...runs: ReadonlyArray<readonly LoadResult[]>) => runs.flat().reduce((n, r) => n + r.failures, 0);
/** a[i] / b[i] for each round i */
const perRoundRatio = (a: readonly number[], b: readonly number[]) => a.map((v, i) => v / b[i]!);
const rps = (runs: readonly LoadResult[]) => runs.map((r) => r.reqPerSec);

export function peerTargets(r: PeersResults): PeerTarget[] {
  const run = (p: Peer, s: PeerScenario) => r.load[p][s];
  const vsPeer = (target: string, p: Peer, other: Peer, s: PeerScenario, threshold: number) =>
    verdict(target, perRoundRatio(rps(run(p, s)), rps(run(other, s))), 'atLeast', threshold, PERCENT, failuresOf(run(p, s), run(other, s)));
  const cpu = (s: PeerScenario, limit: number) =>
    verdict(`${s} CPU per request of the default CLI ≤ ${limit} µs`, run('gij-mock', s).map((x) => x.cpuUsPerReq ?? NaN), 'atMost', limit, MICROS, failuresOf(run('gij-mock', s)));
  const p99 = (s: PeerScenario) =>
    verdict(`${s} p99 of the default CLI ≤ 5 ms at 10 connections`, run('gij-mock', s).map((x) => x.p99), 'atMost', 5, MILLIS, failuresOf(run('gij-mock', s)));
  const fetch = r.fetch.available
    ? verdict('in-process get-one: createFetchHandler ≥ 50 % of a do-nothing fetch handler', perRoundRatio(r.fetch.gijMock, r.fetch.floor), 'atLeast', 0.5, PERCENT, r.fetch.failures)
    : { target: 'in-process get-one: createFetchHandler ≥ 50 % of a do-nothing fetch handler', value: '—', verdict: `not measured: ${r.fetch.error ?? 'the library has no createFetchHandler yet'}`, met: undefined };
  return [
    vsPeer('get-one req/s of the default CLI ≥ WireMock warm (journal off)', 'gij-mock', 'wiremock', 'get-one', 1),
    vsPeer('add req/s of the default CLI ≥ WireMock warm (journal off)', 'gij-mock', 'wiremock', 'add', 1),
    cpu('get-one', 60),
    cpu('add', 80),
    vsPeer('get-one req/s, response validation on (default) ≥ 80 % of off', 'gij-mock', 'gij-mock, responses unchecked', 'get-one', 0.8),
    vsPeer('add req/s, response validation on (default) ≥ 80 % of off', 'gij-mock', 'gij-mock, responses unchecked', 'add', 0.8),
    p99('get-one'),
    p99('add'),
    fetch,
    verdict('installed start-up without code cache ≤ bare node + 80 ms (difference per round)', r.startup.noCache.map((ms, i) => ms - r.startup.bareNode[i]!), 'atMost', 80, MILLIS),
    vsPeer('get-one req/s of the Express host ≥ 90 % of today\'s gij-mock', 'express-host', 'today', 'get-one', 0.9),
    vsPeer('add req/s of the Express host ≥ 90 % of today\'s gij-mock', 'express-host', 'today', 'add', 0.9),
    verdict('RSS at 100,000 integrations ≤ today\'s (this tree / today, per round)', perRoundRatio(r.rss100k.current, r.rss100k.today), 'atMost', 1, PERCENT),
  ];
}
