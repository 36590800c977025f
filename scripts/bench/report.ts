// bench/results.md: machine, method, every number, every ratio, the targets. Notes written by hand
// below the NOTES marker (profiles, before/after) are kept when the file is regenerated.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CONNECTIONS, DURATION_S, WARMUP_S, type LoadResult, type Scenario } from './load.js';
import type { ServerName } from './processes.js';
import { FLAT_LIMIT, machine, median, ratios, targets, type BenchResults, type GrowthStep } from './results.js';

export const NOTES_MARKER = '<!-- Notes below this line are written by hand and kept when `npm run bench` rewrites the file. -->';
const SERVERS: ServerName[] = ['gij-mock', 'prism', 'bare'];
const SCENARIOS: Scenario[] = ['get-one', 'add', 'list'];

const int = (n: number) => Math.round(n).toLocaleString('en');
const ms = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0));
const x = (n: number) => `${n.toFixed(2)}×`;
const cell = (r: LoadResult) =>
  `${int(r.reqPerSec)} req/s, p50 ${r.p50} / p99 ${r.p99} ms${r.cpuUsPerReq === undefined ? '' : `, ${int(r.cpuUsPerReq)} µs CPU`}${r.failures ? ` (**${r.failures} failed**)` : ''}`;
const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

export const GROWTH_METHOD = [
  'A fresh gij-mock process is filled with `{"type":"GITHUB","pat":"x"}` adds (autocannon, 32 keep-alive connections, a fixed',
  'request count, every answer checked to be 2xx, and the store size checked with GET of the last id and the one after).',
  'At each size: RSS and peak RSS (VmRSS, VmHWM from /proc/<pid>/status) right after the fill; get-one under autocannon',
  '(10 connections, 1 s warm-up, 5 s); list as **sequential requests on one connection** (fetch, full body read, timed with',
  'performance.now) for 3 s and at least 5 requests — p99 of a handful of samples is their maximum; then add as 5,000',
  'autocannon requests at 10 connections (timed to the last response), which grows the store by 5,000 before the next fill.',
].join('\n');

function growthRow(g: GrowthStep): string[] {
  return [int(g.stored), `${g.rssMb.toFixed(0)} (peak ${g.peakMb.toFixed(0)})`, cell(g.get), cell(g.add), `p50 ${ms(g.list.p50)} / p99 ${ms(g.list.p99)} ms (${g.list.requests} req)`];
}

export function render(r: BenchResults): string {
  const m = machine();
  const q = ratios(r);
  const met = targets(r);
  return `# gij-mock benchmark

Written by \`npm run bench\` (scripts/bench.ts) on ${new Date().toISOString()}; the whole run took ${r.wallS.toFixed(0)} s.
Absolute numbers on a shared small machine are noise: read the **ratios**, which come from one run on one machine.

## Machine
${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb.toFixed(1)} GB memory, Linux ${m.kernel}, Node ${m.node};
express-openapi-validator ${m.validatorPatched ? 'with' : '**without**'} the patches of \`patches/\`.
Load generator and server share the same CPUs. Load average (1, 5, 15 min) at the start ${r.loadAvg.before}, at the end ${r.loadAvg.after}
— the bench itself accounts for about 2; more means other work competed with it.

## Method
- **gij-mock** as users run it in CI: \`node bin/gij-mock.cjs --port <free> --validate-responses false --log-level warn\`
  (request validation on, Basic/Bearer auth on): the esbuild bundle \`dist/bundle/gij-mock.cjs\` with its V8 code cache, V8 allocation-site
  pretenuring off (src/cli.ts), express-openapi-validator with \`patches/\` applied (README, "Patched dependency").
  Node runs with its default flags for all three. **Prism** 5.14.2: \`prism mock openapi/openapi.yaml --port <free> --host 127.0.0.1\`
  (static examples; it checks that an \`Authorization: Basic …\` header is present, and validates the request body).
  **bare**: Express 5 with the same three routes answering the spec's example bodies, no auth, no validation, no store,
  no logging; \`express.json()\` on the POST route only (scripts/bench/bare-server.ts). Each is its own process on 127.0.0.1;
  stdout of all three goes to /dev/null.
- Load: autocannon 9 (programmatic), ${CONNECTIONS} connections, no pipelining, ${WARMUP_S} s warm-up (dropped), then ${DURATION_S} s.
  req/s = completed requests / run time. Every request carries \`Authorization: Basic admin:admin\`. A target on a
  load run counts as met only if every run behind it answered 2xx to every request.
  "µs CPU" = the server process's user + system CPU time (/proc/<pid>/stat) over the measured run / its requests:
  the cost of one request, much less disturbed by other work on the machine than req/s.
  The three servers run side by side but only one is loaded at a time; for each scenario the three runs follow each other.
  autocannon records latency in whole milliseconds.
- Scenarios: **get-one** \`GET /rest/gitplugin/1.0/integration/1\` (created first on gij-mock); **add** \`POST /rest/gitplugin/1.0/integration\`
  \`{"type":"GITHUB","pat":"x"}\` (application/json); **list** \`GET /rest/gitplugin/1.0/integration\` with 1,000 integrations stored in
  gij-mock and 1,000 fixed items in bare. Prism answers its 2-item example, so its list row is not comparable.
  On gij-mock the order is list, get-one, add, so the list run sees exactly 1,000.
- Start-up: \`spawn()\` → first complete HTTP response (GET list with auth, polled every 5 ms on a new connection),
  5 times each, gij-mock and Prism alternating; the median counts.
- Growth: ${GROWTH_METHOD.replace(/\n/g, '\n  ')}
- "Flat": server CPU per request at the largest store ≤ ${FLAT_LIMIT}× that at the smallest (CPU per request, not req/s,
  because req/s on a shared machine moves more with other work than with the store size).

## Throughput and latency (${CONNECTIONS} connections, ${DURATION_S} s)
${table(['scenario', ...SERVERS], SCENARIOS.map((s) => [s, ...SERVERS.map((srv) => cell(r.load[srv][s]))]))}

## Ratios
${table(['ratio', 'value'], [
    ['gij-mock / Prism, get-one req/s', x(q.getVsPrism)],
    ['gij-mock / Prism, add req/s', x(q.addVsPrism)],
    ['gij-mock / bare, get-one req/s', x(q.getVsBare)],
    ['gij-mock / bare, add req/s', x(q.addVsBare)],
    ['gij-mock / bare, list (1,000) req/s', x(q.listVsBare)],
    ['gij-mock / bare, get-one CPU per request', x(q.getCpuVsBare)],
    ['Prism / gij-mock, get-one CPU per request', x(q.getCpuPrismVsGij)],
    ['Prism start-up / gij-mock start-up', x(q.startupSpeedup)],
    [`get-one CPU per request at ${int(r.growth.at(-1)!.stored)} / at ${int(r.growth[0]!.stored)}`, x(q.getCost)],
    [`add CPU per request at ${int(r.growth.at(-1)!.stored)} / at ${int(r.growth[0]!.stored)}`, x(q.addCost)],
    [`get-one req/s at ${int(r.growth.at(-1)!.stored)} / at ${int(r.growth[0]!.stored)}`, x(q.getRps)],
    [`add req/s at ${int(r.growth.at(-1)!.stored)} / at ${int(r.growth[0]!.stored)}`, x(q.addRps)],
  ])}

## Start-up (spawn → first response)
${table(['server', 'median', 'runs (ms)'], (['gij-mock', 'prism'] as const).map((s) => [s, `${median(r.startup[s]).toFixed(0)} ms`, r.startup[s].map((v) => v.toFixed(0)).join(', ')]))}

## Growth (gij-mock)
${table(['stored', 'RSS MB', 'get-one', 'add (5,000)', 'list (sequential)'], r.growth.map(growthRow))}

## Targets
${table(['target', 'this run', ''], met.map((t) => [t.target, t.value, t.met ? 'met' : '**missed**']))}
`;
}

/** Writes the generated part and keeps the hand-written notes of the previous file. */
export function writeResults(path: string, markdown: string): void {
  const previous = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const at = previous.indexOf(NOTES_MARKER);
  const notes = at >= 0 ? previous.slice(at) : `${NOTES_MARKER}\n`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${markdown}\n${notes}`);
}
