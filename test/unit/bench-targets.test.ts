// The benchmark's verdicts (scripts/bench/results.ts): each target flips exactly at its threshold, and a
// load run with failed requests never counts as met.
import { describe, expect, it } from 'vitest';
import type { LoadResult } from '../../scripts/bench/load.js';
import { median, targets, type BenchResults, type GrowthStep } from '../../scripts/bench/results.js';

const run = (reqPerSec: number, extra: Partial<LoadResult> = {}): LoadResult => ({ reqPerSec, p50: 1, p99: 5, requests: reqPerSec * 10, failures: 0, cpuUsPerReq: 100, ...extra });
const step = (stored: number, extra: Partial<GrowthStep> = {}): GrowthStep => ({
  stored, rssMb: 200, peakMb: 210, get: run(6000), add: run(4000), list: { p50: 1, p99: 2, requests: 5 }, ...extra,
});

/** A run that meets every target with room to spare; `change` moves one number. */
function results(change: (r: { -readonly [K in keyof BenchResults]: BenchResults[K] }) => void = () => {}): BenchResults {
  const r = {
    startup: { 'gij-mock': [250, 240, 260, 250, 255], prism: [1200, 1100, 1300, 1200, 1250] },
    load: {
      'gij-mock': { 'get-one': run(6000), add: run(5000), list: run(400) },
      prism: { 'get-one': run(2000), add: run(2000), list: run(2000) },
      bare: { 'get-one': run(7000), add: run(7000), list: run(300) },
    },
    growth: [step(1000), step(10_000), step(100_000, { rssMb: 280 })],
    loadAvg: { before: '1 1 1', after: '1 1 1' },
    wallS: 180,
  };
  change(r);
  return r;
}
const verdicts = (r: BenchResults) => Object.fromEntries(targets(r).map((t) => [t.target, t]));
const missed = (r: BenchResults) => targets(r).filter((t) => !t.met).map((t) => t.target);

describe('bench targets', () => {
  it('are all met by a run with room to spare', () => {
    expect(missed(results())).toEqual([]);
    expect(targets(results())).toHaveLength(10);
  });

  const cases: Array<{ target: string; change: Parameters<typeof results>[0] }> = [
    { target: 'get-one req/s ≥ 2× Prism', change: (r) => { r.load.prism['get-one'] = run(3001); } },
    { target: 'add req/s ≥ 2× Prism', change: (r) => { r.load.prism.add = run(2501); } },
    { target: 'get-one req/s ≥ 75% of bare Express', change: (r) => { r.load.bare['get-one'] = run(8001); } },
    { target: 'start-up ≤ 300 ms (median of 5)', change: (r) => { r.startup['gij-mock'] = [301, 301, 301, 250, 250]; } },
    { target: 'start-up ≥ 2.5× faster than Prism', change: (r) => { r.startup.prism = [624, 624, 624, 624, 624]; } },
    { target: 'get-one p99 ≤ 10 ms at 10 connections', change: (r) => { r.load['gij-mock']['get-one'] = run(6000, { p99: 11 }); } },
    { target: 'add p99 ≤ 10 ms at 10 connections', change: (r) => { r.load['gij-mock'].add = run(5000, { p99: 11 }); } },
    { target: 'get-one cost flat 1k → 100k (CPU/request ≤ 1.25× of 1k)', change: (r) => { r.growth[2] = step(100_000, { rssMb: 280, get: run(6000, { cpuUsPerReq: 125.1 }) }); } },
    { target: 'add cost flat 1k → 100k (CPU/request ≤ 1.25× of 1k)', change: (r) => { r.growth[2] = step(100_000, { rssMb: 280, add: run(4000, { cpuUsPerReq: 125.1 }) }); } },
    { target: '100,000 integrations ≤ 300 MB RSS', change: (r) => { r.growth[2] = step(100_000, { rssMb: 300.6 }); } },
  ];
  for (const { target, change } of cases) {
    it(`"${target}" is missed just past its threshold, and only it`, () => {
      expect(missed(results(change))).toEqual([target]);
    });
  }

  it('a load target is missed when a run behind it had failed requests, however fast it was', () => {
    const r = results((x) => { x.load['gij-mock'].add = run(50_000, { failures: 3 }); });
    const add = verdicts(r)['add req/s ≥ 2× Prism']!;
    expect(add.met).toBe(false);
    expect(add.value).toContain('3 requests failed');
    expect(missed(r)).toEqual(['add req/s ≥ 2× Prism', 'add p99 ≤ 10 ms at 10 connections']);
  });
  it('a failure on the reference server spoils the ratio too', () => {
    const r = results((x) => { x.load.bare['get-one'] = run(7000, { failures: 1 }); });
    expect(missed(r)).toEqual(['get-one req/s ≥ 75% of bare Express']);
  });
  it('median takes the middle of an odd count and the mean of the two middles of an even one', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
