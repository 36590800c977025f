// The peers series of `npm run bench` (issue 20, item 7): gij-mock's hosts against WireMock, Node's floor,
// bare Express and Prism in the same interleaved rounds, the in-process fetch series, installed start-up
// without code cache against bare node, and RSS at 100,000 integrations against today's gij-mock.
// `npm run bench -- --only=peers` runs it alone (7–10 min on the 2-core box) and rewrites its section of bench/results.md.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import YAML from 'yaml';
import { projectRoot } from '../../src/spec.js';
import { addOne, fill, load, statusOf } from './load.js';
import { BARE_NODE, startupOnce } from './package.js';
import { PEERS, PEER_SCENARIOS, type Peer, type PeersResults } from './peers-results.js';
import { freePort, memoryOf, startCommand, startServer, type Server } from './processes.js';
import { loadAvg } from './results.js';
import { todayTree, TODAY_REF } from './today.js';
import { wiremockCommand, writeWiremockStubs } from './wiremock.js';

export const ROUNDS = 3;
export const PEER_WARMUP_S = 1;
export const PEER_DURATION_S = 4;
/** WireMock's JIT needs load before it is at its best: each scenario this long before the rounds, dropped */
export const WIREMOCK_WARMUP_S = 10;
export const STARTUP_PAIRS = 5;
export const FETCH_RUN_MS = 2000;
export const RSS_SIZE = 100_000;
/** Options of every gij-mock CLI here: the defaults, quiet, and room for every add of the rounds. */
const CLI_ARGS = ['--log-level', 'warn', '--max-integrations', '1000000'];

type Started = Omit<Server, 'name'>;

/** The spec's example bodies the fixed-body peers answer (as bare-server.ts does). */
function exampleBodies(): { getOne: unknown; added: unknown } {
  const spec = YAML.parse(readFileSync(join(projectRoot, 'openapi', 'openapi.yaml'), 'utf8')) as { components: { examples: Record<string, { value: unknown }> } };
  return { getOne: spec.components.examples.GetResponse!.value, added: spec.components.examples.AddedResponse!.value };
}

async function startPeer(peer: Peer, work: string, today: string): Promise<Started> {
  const port = await freePort();
  const p = String(port);
  const node = (...args: string[]) => startCommand(peer, port, process.execPath, args);
  switch (peer) {
    case 'gij-mock': return node(join(projectRoot, 'bin', 'gij-mock.cjs'), '--port', p, ...CLI_ARGS);
    case 'gij-mock, responses unchecked': return node(join(projectRoot, 'bin', 'gij-mock.cjs'), '--port', p, ...CLI_ARGS, '--validate-responses', 'false');
    case 'today': return node(join(today, 'bin', 'gij-mock.cjs'), '--port', p, ...CLI_ARGS);
    case 'express-host': return node(join(projectRoot, 'scripts', 'bench', 'express-host.mjs'), p, join(projectRoot, 'dist', 'lib', 'index.mjs'));
    case 'floor': return node(join(projectRoot, 'scripts', 'bench', 'floor-server.mjs'), p, join(work, 'bodies.json'));
    case 'wiremock': return startCommand(peer, port, ...wiremockCommand(port, join(work, 'wiremock')));
    case 'bare': case 'prism': return startServer(peer);
  }
}

/** The installed layout (node_modules/gij-mock: bin, dist, openapi, package.json) without the code cache. */
function installedWithoutCodeCache(work: string): string {
  const project = join(work, 'installed');
  const pkg = join(project, 'node_modules', 'gij-mock');
  mkdirSync(pkg, { recursive: true });
  for (const part of ['bin', 'dist', 'openapi', 'package.json']) {
    cpSync(join(projectRoot, part), join(pkg, part), { recursive: true, preserveTimestamps: true, filter: (src) => !src.endsWith('.code-cache') && !src.endsWith('.map') });
  }
  return project;
}

const log0 = (line: string) => process.stdout.write(`${line}\n`);

export async function peersBench(log = log0, todayRef = TODAY_REF): Promise<PeersResults> {
  const began = performance.now();
  const before = loadAvg();
  const today = todayTree(todayRef, log);
  const work = mkdtempSync(join(tmpdir(), 'gij-mock-bench-peers-'));
  const servers = new Map<Peer, Started>();
  try {
    const bodies = exampleBodies();
    writeFileSync(join(work, 'bodies.json'), JSON.stringify(bodies));
    writeWiremockStubs(join(work, 'wiremock'), bodies);
    for (const peer of PEERS) {
      const s = await startPeer(peer, work, today.dir);
      servers.set(peer, s);
      if (peer === 'gij-mock' || peer === 'gij-mock, responses unchecked' || peer === 'today' || peer === 'express-host') await addOne(s.url);
      log(`  ${peer} up in ${s.startupMs.toFixed(0)} ms (pid ${s.pid})`);
    }
    const wiremock = servers.get('wiremock')!;
    for (const scenario of PEER_SCENARIOS) await load(wiremock.url, scenario, { warmupS: 0, durationS: WIREMOCK_WARMUP_S });
    log(`  WireMock warmed: ${WIREMOCK_WARMUP_S} s of each scenario`);
    const out = Object.fromEntries(PEERS.map((p) => [p, { 'get-one': [], add: [] }])) as unknown as PeersResults['load'];
    for (let round = 0; round < ROUNDS; round++) {
      // Each round starts one server later, so no server always runs right after the same neighbour.
      const order = PEERS.map((_, i) => PEERS[(i + round) % PEERS.length]!);
      for (const scenario of PEER_SCENARIOS) {
        for (const peer of order) {
          const s = servers.get(peer)!;
          const r = await load(s.url, scenario, { pid: s.pid, warmupS: PEER_WARMUP_S, durationS: PEER_DURATION_S });
          out[peer][scenario].push(r);
          log(`  round ${round + 1} ${scenario} ${peer}: ${Math.round(r.reqPerSec)} req/s, p99 ${r.p99} ms, ${Math.round(r.cpuUsPerReq!)} µs CPU${r.failures ? `, ${r.failures} FAILED` : ''}`);
        }
      }
    }
    for (const s of servers.values()) await s.stop();
    servers.clear();
    const fetch = inProcess(work, log);
    const startup = await startupPairs(installedWithoutCodeCache(work), log);
    const rss100k = await rssPairs(today.dir, log);
    return { load: out, fetch, startup, rss100k, baseline: today.commit, loadAvg: { before, after: loadAvg() }, wallS: (performance.now() - began) / 1000 };
  } finally {
    for (const s of servers.values()) await s.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function inProcess(work: string, log: (line: string) => void): PeersResults['fetch'] {
  const out = execFileSync(process.execPath, [join(projectRoot, 'scripts', 'bench', 'fetch-loop.mjs'), join(projectRoot, 'dist', 'lib', 'index.mjs'), join(work, 'bodies.json'), String(ROUNDS), String(FETCH_RUN_MS)], { encoding: 'utf8' });
  const result = JSON.parse(out.trim().split('\n').at(-1)!) as PeersResults['fetch'];
  log(result.available ? `  in-process get-one: do-nothing ${result.floor.map(Math.round).join(', ')}, createFetchHandler ${result.gijMock.map(Math.round).join(', ')} calls/s` : `  in-process: not measured (${result.error ?? 'no createFetchHandler in dist/lib/index.mjs yet'})`);
  return result;
}

async function startupPairs(installed: string, log: (line: string) => void): Promise<PeersResults['startup']> {
  const cli = [join('node_modules', 'gij-mock', 'bin', 'gij-mock.cjs')];
  const bare = ['-e', BARE_NODE, '--'];
  await startupOnce(installed, cli); // the first spawn of each pays for cold file caches
  await startupOnce(projectRoot, bare);
  const noCache: number[] = [];
  const bareNode: number[] = [];
  for (let i = 0; i < STARTUP_PAIRS; i++) {
    noCache.push(await startupOnce(installed, cli));
    bareNode.push(await startupOnce(projectRoot, bare));
    log(`  start-up #${i + 1}: installed CLI without code cache ${noCache.at(-1)!.toFixed(0)} ms, bare node ${bareNode.at(-1)!.toFixed(0)} ms`);
  }
  return { noCache, bareNode };
}

/** A fresh process filled with RSS_SIZE adds, then its RSS: this tree's CLI and today's, alternating. */
async function rssPairs(today: string, log: (line: string) => void): Promise<PeersResults['rss100k']> {
  const rssAfterFill = async (root: string): Promise<number> => {
    const port = await freePort();
    // Responses unchecked, as in the growth series: what is stored is the same, and the fill takes a fifth less time.
    const s = await startCommand('gij-mock', port, process.execPath, [join(root, 'bin', 'gij-mock.cjs'), '--port', String(port), ...CLI_ARGS, '--validate-responses', 'false']);
    try {
      await fill(s.url, RSS_SIZE);
      if ((await statusOf(s.url, RSS_SIZE)) !== 200 || (await statusOf(s.url, RSS_SIZE + 1)) !== 404) throw new Error(`store does not hold exactly ${RSS_SIZE}`);
      return memoryOf(s.pid).rssMb;
    } finally {
      await s.stop();
    }
  };
  const current: number[] = [];
  const todays: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    current.push(await rssAfterFill(projectRoot));
    todays.push(await rssAfterFill(today));
    log(`  RSS at ${RSS_SIZE.toLocaleString('en')} #${i + 1}: this tree ${current.at(-1)!.toFixed(0)} MB, today's ${todays.at(-1)!.toFixed(0)} MB`);
  }
  return { current, today: todays };
}
