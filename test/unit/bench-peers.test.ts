// The peers series' verdicts (scripts/bench/peers-results.ts): each target is judged on the median of its rounds,
// flips exactly at its threshold, says by how much it is missed, and a run with failed requests never counts.
import { describe, expect, it } from 'vitest';
import type { LoadResult } from '../../scripts/bench/load.js';
import { PACKAGE_BEGIN, PACKAGE_END, spliceSection } from '../../scripts/bench/package.js';
import { PEERS_BEGIN, PEERS_END, renderPeers } from '../../scripts/bench/peers-report.js';
import { PEERS, peerTargets, spread, type Peer, type PeersResults } from '../../scripts/bench/peers-results.js';

const run = (reqPerSec: number, extra: Partial<LoadResult> = {}): LoadResult => ({ reqPerSec, p50: 1, p99: 3, requests: reqPerSec * 4, failures: 0, cpuUsPerReq: 50, ...extra });
const rounds = (reqPerSec: number, extra: Partial<LoadResult> = {}) => [run(reqPerSec, extra), run(reqPerSec, extra), run(reqPerSec, extra)];
type Mutable = { -readonly [K in keyof PeersResults]: PeersResults[K] };

/** Three rounds that meet every target with room to spare; `change` moves some numbers. */
function results(change: (r: Mutable) => void = () => {}): PeersResults {
  const rps: Record<Peer, number> = { 'gij-mock': 20_000, 'gij-mock, responses unchecked': 21_000, today: 6000, 'express-host': 6000, wiremock: 15_000, floor: 40_000, bare: 7000, prism: 1700 };
  const r: Mutable = {
    load: Object.fromEntries(PEERS.map((p) => [p, { 'get-one': rounds(rps[p]), add: rounds(rps[p], { cpuUsPerReq: 70 }) }])) as unknown as PeersResults['load'],
    fetch: { available: true, floor: [30_000, 31_000, 29_000], gijMock: [20_000, 21_000, 19_000], failures: 0 },
    startup: { noCache: [200, 210, 190], bareNode: [140, 150, 130] },
    rss100k: { current: [200, 210, 205], today: [250, 250, 250] },
    baseline: '3ab7a07ac1b0575cdbd74f3ea94ddb742b1f279b',
    loadAvg: { before: '1 1 1', after: '1 1 1' },
    wallS: 400,
  };
  change(r);
  return r;
}
const missed = (r: PeersResults) => peerTargets(r).filter((t) => t.met !== true).map((t) => t.target);
const verdictOf = (r: PeersResults, target: string) => peerTargets(r).find((t) => t.target === target)!;

describe('peers bench targets', () => {
  it('are all met by rounds with room to spare', () => {
    expect(missed(results())).toEqual([]);
    expect(peerTargets(results())).toHaveLength(13);
  });

  const cases: Array<{ target: string; change: (r: Mutable) => void; by: string }> = [
    { target: 'get-one req/s of the default CLI ≥ WireMock warm (journal off)', change: (r) => { r.load.wiremock['get-one'] = rounds(20_001); }, by: 'missed by less than 0.1 %' },
    { target: 'add req/s of the default CLI ≥ WireMock warm (journal off)', change: (r) => { r.load.wiremock.add = rounds(25_000); }, by: 'missed by 20.0 %' },
    { target: 'get-one CPU per request of the default CLI ≤ 60 µs', change: (r) => { r.load['gij-mock']['get-one'] = rounds(20_000, { cpuUsPerReq: 161 }); }, by: 'missed by 101 µs' },
    { target: 'add CPU per request of the default CLI ≤ 80 µs', change: (r) => { r.load['gij-mock'].add = rounds(20_000, { cpuUsPerReq: 80.4 }); }, by: 'missed by less than 1 µs' },
    { target: 'get-one req/s, response validation on (default) ≥ 80 % of off', change: (r) => { r.load['gij-mock, responses unchecked']['get-one'] = rounds(25_001); }, by: 'missed by less than 0.1 %' },
    { target: 'add req/s, response validation on (default) ≥ 80 % of off', change: (r) => { r.load['gij-mock, responses unchecked'].add = rounds(40_000); }, by: 'missed by 30.0 %' },
    { target: 'get-one p99 of the default CLI ≤ 5 ms at 10 connections', change: (r) => { r.load['gij-mock']['get-one'] = rounds(20_000, { p99: 11 }); }, by: 'missed by 6 ms' },
    { target: 'add p99 of the default CLI ≤ 5 ms at 10 connections', change: (r) => { r.load['gij-mock'].add = rounds(20_000, { p99: 6, cpuUsPerReq: 70 }); }, by: 'missed by 1 ms' },
    { target: 'in-process get-one: createFetchHandler ≥ 50 % of a do-nothing fetch handler', change: (r) => { r.fetch = { ...r.fetch, gijMock: [14_000, 15_000, 16_000] }; }, by: 'missed by 1.6 %' },
    { target: 'installed start-up without code cache ≤ bare node + 80 ms (difference per round)', change: (r) => { r.startup = { noCache: [300, 290, 310], bareNode: [140, 150, 130] }; }, by: 'missed by 80 ms' },
    { target: 'get-one req/s of the Express host ≥ 90 % of today\'s gij-mock', change: (r) => { r.load['express-host']['get-one'] = rounds(5399); }, by: 'missed by less than 0.1 %' },
    { target: 'add req/s of the Express host ≥ 90 % of today\'s gij-mock', change: (r) => { r.load['express-host'].add = rounds(4800); }, by: 'missed by 10.0 %' },
    { target: 'RSS at 100,000 integrations ≤ today\'s (this tree / today, per round)', change: (r) => { r.rss100k = { current: [251, 251, 251], today: [250, 250, 250] }; }, by: 'missed by 0.4 %' },
  ];
  for (const { target, change, by } of cases) {
    it(`"${target}" is missed just past its threshold, and only it, saying by how much`, () => {
      const r = results(change);
      expect(missed(r)).toEqual([target]);
      expect(verdictOf(r, target).verdict).toBe(`**${by}**`);
    });
  }

  it('judges the median round: one bad round of three does not decide', () => {
    const r = results((x) => { x.load['gij-mock']['get-one'] = [run(20_000, { cpuUsPerReq: 500 }), run(20_000, { cpuUsPerReq: 55 }), run(20_000, { cpuUsPerReq: 40 })]; });
    const cpu = verdictOf(r, 'get-one CPU per request of the default CLI ≤ 60 µs');
    expect(cpu).toMatchObject({ met: true, verdict: 'met', value: '40 µs / 55 µs / 500 µs' });
  });
  it('a failed request behind a ratio spoils it, however fast the runs were', () => {
    const r = results((x) => { x.load.wiremock.add = [run(100), run(100), run(100, { failures: 2 })]; });
    expect(verdictOf(r, 'add req/s of the default CLI ≥ WireMock warm (journal off)')).toMatchObject({ met: false, verdict: '**missed** (2 requests failed)' });
  });
  it('has no verdict for the fetch handler before the library exports createFetchHandler', () => {
    const r = results((x) => { x.fetch = { available: false, floor: [], gijMock: [], failures: 0 }; });
    expect(verdictOf(r, 'in-process get-one: createFetchHandler ≥ 50 % of a do-nothing fetch handler')).toMatchObject({ met: undefined, value: '—' });
  });
  it('spread gives min, median (middle, or mean of the two middles) and max', () => {
    expect(spread([5, 1, 3])).toEqual({ min: 1, median: 3, max: 5 });
    expect(spread([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4 });
  });

  it('renders every server, every target with its verdict, and replaces only its own section of results.md', () => {
    const section = renderPeers(results((x) => { x.load['gij-mock']['get-one'] = rounds(20_000, { cpuUsPerReq: 161 }); }));
    for (const peer of ['WireMock 3.13.2', 'floor', 'Express host', 'today\'s gij-mock', 'bare Express 5', 'Prism']) expect(section).toContain(peer);
    expect(section).toContain('| get-one CPU per request of the default CLI ≤ 60 µs | 161 µs / 161 µs / 161 µs | **missed by 101 µs** |');
    const file = `# head\n${PACKAGE_BEGIN}\npackage\n${PACKAGE_END}\n<!-- notes -->\nhand`;
    const once = spliceSection(file, section, '<!-- notes -->', PEERS_BEGIN, PEERS_END);
    expect(once.indexOf(PEERS_BEGIN)).toBeGreaterThan(once.indexOf(PACKAGE_END));
    expect(once.indexOf(PEERS_END)).toBeLessThan(once.indexOf('<!-- notes -->'));
    const again = spliceSection(once, renderPeers(results()), '<!-- notes -->', PEERS_BEGIN, PEERS_END);
    expect(again).not.toContain('missed by 101 µs');
    expect(again.split(PEERS_BEGIN)).toHaveLength(2);
    expect(again).toContain(`${PACKAGE_BEGIN}\npackage\n${PACKAGE_END}`);
    expect(again.endsWith('<!-- notes -->\nhand')).toBe(true);
  });
});
