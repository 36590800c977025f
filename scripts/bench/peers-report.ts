// The peers section of bench/results.md: method, every number as min / median / max over the rounds, the targets.
// It sits between PEERS_BEGIN and PEERS_END, so `npm run bench -- --only=peers` can replace it alone.
import { spawnSync } from 'node:child_process';
import { CONNECTIONS, type LoadResult } from './load.js';
import { PEER_DURATION_S, PEER_WARMUP_S, FETCH_RUN_MS, ROUNDS, RSS_SIZE, STARTUP_PAIRS, WIREMOCK_WARMUP_S } from './peers.js';
import { PEERS, PEER_SCENARIOS, peerTargets, spread, type Peer, type PeersResults } from './peers-results.js';
import { machine } from './results.js';

export const PEERS_BEGIN = '<!-- peers: begin (npm run bench -- --only=peers rewrites this section) -->';
export const PEERS_END = '<!-- peers: end -->';

const LABEL: Record<Peer, string> = {
  'gij-mock': 'gij-mock, default CLI',
  'gij-mock, responses unchecked': 'gij-mock CLI, `--validate-responses false`',
  today: 'today\'s gij-mock (default CLI)',
  'express-host': 'gij-mock Express host (`createApp`)',
  wiremock: 'WireMock 3.13.2, warm, journal off',
  floor: '`node:http` fixed body (floor)',
  bare: 'bare Express 5',
  prism: 'Prism 5.14.2',
};

const int = (n: number) => Math.round(n).toLocaleString('en');
const mmm = (xs: readonly number[], f: (n: number) => string) => {
  const s = spread(xs);
  return `${f(s.min)} / **${f(s.median)}** / ${f(s.max)}`;
};
const cell = (runs: readonly LoadResult[]) => {
  const failed = runs.reduce((n, r) => n + r.failures, 0);
  return `${mmm(runs.map((r) => r.reqPerSec), int)} req/s; ${mmm(runs.map((r) => r.cpuUsPerReq ?? NaN), int)} µs CPU; p99 ${mmm(runs.map((r) => r.p99), String)} ms${failed ? ` (**${failed} failed**)` : ''}`;
};

export function renderPeers(r: PeersResults): string {
  const m = machine();
  const fetchRows = r.fetch.available
    ? `| do-nothing fetch handler | ${mmm(r.fetch.floor, int)} calls/s |\n| \`createFetchHandler\` | ${mmm(r.fetch.gijMock, int)} calls/s |`
    : `| \`createFetchHandler\` | not measured: ${r.fetch.error ?? 'not in dist/lib/index.mjs yet'} |`;
  return `${PEERS_BEGIN}
## Peers: gij-mock's hosts, WireMock and Node's floor in the same rounds (issue 20)

Measured on ${new Date().toISOString()} by scripts/bench/peers.ts in ${r.wallS.toFixed(0)} s; ${m.cpus} CPUs, Node ${m.node}.
Load average (1, 5, 15 min) at the start ${r.loadAvg.before}, at the end ${r.loadAvg.after}.
Every figure is **min / median / max** over ${ROUNDS} rounds; a target's verdict is on the median, and "missed by" is
the distance from the median to the threshold.

### Method
- Servers, all up at once, each its own process on 127.0.0.1, stdout to /dev/null: gij-mock's CLI (\`bin/gij-mock.cjs\`,
  defaults, so response validation on, with \`--log-level warn --max-integrations 1000000\`); the same with
  \`--validate-responses false\`; **today's** gij-mock, the same CLI built from commit ${r.baseline.slice(0, 12)} (main before the
  engine; scripts/bench/today.ts builds it once into the OS temp dir); the **Express host**, the library's \`createApp()\` served
  by \`node:http\` (scripts/bench/express-host.mjs); **WireMock** 3.13.2 standalone (\`java -jar\` of the npm \`wiremock\` package's
  jar, Java ${javaVersion()}, \`--no-request-journal --disable-request-logging\`, two stubs: get-one and add, each matching
  \`Authorization\` exactly and answering the spec's example body; scripts/bench/wiremock.ts), warmed with ${WIREMOCK_WARMUP_S} s of
  each scenario before the rounds; the **floor**, \`node:http\` answering the same bodies after a Basic check
  (scripts/bench/floor-server.mjs); **bare** Express and **Prism** as in the section above.
- Load: autocannon, ${CONNECTIONS} connections, ${PEER_WARMUP_S} s warm-up (dropped), then ${PEER_DURATION_S} s; get-one \`GET …/integration/1\` and add
  \`POST …/integration\` as above. A round loads every server in turn, get-one then add; each round starts one
  server later in the list. "µs CPU" = the server process's user + system time over the run / its requests
  (WireMock's: the JVM's, all its threads).
- In-process (scripts/bench/fetch-loop.mjs, its own process): get-one as a WHATWG \`Request\` through a do-nothing
  handler (Basic check, fixed body) and through \`createFetchHandler()\` of \`dist/lib/index.mjs\`, one call after another,
  body read; 1 s warm-up of each, then ${ROUNDS} rounds of ${FETCH_RUN_MS / 1000} s each, alternating.
- Start-up: spawn → first 200 of the API (as the package section), the installed layout (\`node_modules/gij-mock\`: bin,
  dist, openapi, package.json) **without** \`gij-mock.code-cache\`, and a bare \`node\` HTTP server, ${STARTUP_PAIRS} pairs after one
  warm-up spawn of each; the target is on the difference within each pair.
- RSS: a fresh CLI (\`--validate-responses false\`, as in the growth series) filled with ${RSS_SIZE.toLocaleString('en')} adds (32 connections, every answer checked, store size checked), then VmRSS;
  this tree's and today's alternately, ${ROUNDS} times each; the target is on this / today per pair.

### Throughput, CPU and p99 (${CONNECTIONS} connections)
| server | get-one | add |
|---|---|---|
${PEERS.map((p) => `| ${LABEL[p]} | ${PEER_SCENARIOS.map((s) => cell(r.load[p][s])).join(' | ')} |`).join('\n')}

| in-process get-one | rate |
|---|---|
${fetchRows}

| start-up and memory | value |
|---|---|
| installed CLI without code cache | ${mmm(r.startup.noCache, (n) => n.toFixed(0))} ms |
| bare \`node\` HTTP server | ${mmm(r.startup.bareNode, (n) => n.toFixed(0))} ms |
| RSS at ${RSS_SIZE.toLocaleString('en')}, this tree | ${mmm(r.rss100k.current, (n) => n.toFixed(0))} MB |
| RSS at ${RSS_SIZE.toLocaleString('en')}, today's | ${mmm(r.rss100k.today, (n) => n.toFixed(0))} MB |

### Targets
| target | min / median / max | verdict |
|---|---|---|
${peerTargets(r).map((t) => `| ${t.target} | ${t.value} | ${t.verdict} |`).join('\n')}
${PEERS_END}
`;
}

function javaVersion(): string {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return /version "([^"]+)"/.exec(out.stderr ?? '')?.[1] ?? 'unknown';
}
