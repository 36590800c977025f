// npm run bench: gij-mock against Prism's mock and a bare Express app, in one run on one machine.
// Start-up, throughput and latency, then growth with the number of stored integrations.
// Then the peers series (scripts/bench/peers.ts: WireMock, Node's floor, gij-mock's hosts, in interleaved rounds).
// Writes bench/results.md (see scripts/bench/report.ts for the method).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../src/spec.js';
import { addOne, fill, load, loadAmount, sequential, statusOf } from './bench/load.js';
import { measurePackage, renderPackage, spliceSection } from './bench/package.js';
import { ensureBuilt, memoryOf, startServer, type Server, type ServerName } from './bench/processes.js';
import { NOTES_MARKER, render, writeResults } from './bench/report.js';
import { loadAvg, type BenchResults, type GrowthStep } from './bench/results.js';
import { memoryFloodBench } from './bench/memory-flood.js';
import { peersBench } from './bench/peers.js';
import { PEERS_BEGIN, PEERS_END, renderPeers } from './bench/peers-report.js';
import { TODAY_REF } from './bench/today.js';
import { stateFileBench } from './bench/state-file.js';
import { indexingBench } from './bench/indexing.js';

const STARTUP_RUNS = 5;
const LIST_SIZE = 1000;
const GROWTH_SIZES = [1_000, 10_000, 100_000];
const GROWTH_ADDS = 5000;

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Starts a server, runs `body` with it, and always stops it. */
async function withServer<T>(name: ServerName, body: (s: Server) => Promise<T>): Promise<T> {
  const server = await startServer(name);
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}

async function startup(): Promise<BenchResults['startup']> {
  const out: BenchResults['startup'] = { 'gij-mock': [], prism: [] };
  for (let i = 0; i < STARTUP_RUNS; i++) {
    for (const name of ['gij-mock', 'prism'] as const) {
      const ms = await withServer(name, async (s) => s.startupMs);
      out[name].push(ms);
      log(`  start-up ${name} #${i + 1}: ${ms.toFixed(0)} ms`);
    }
  }
  return out;
}

/**
 * All three servers up at once (idle ones cost nothing), loaded one at a time and scenario by scenario,
 * so the runs behind each ratio are minutes closer together on a busy machine. gij-mock first gets
 * integration 1 and then 1,000 in all; list runs before add so it sees exactly 1,000.
 */
async function throughput(): Promise<BenchResults['load']> {
  const names = ['gij-mock', 'prism', 'bare'] as const;
  const servers: Server[] = [];
  try {
    for (const name of names) servers.push(await startServer(name));
    await addOne(servers[0]!.url);
    await fill(servers[0]!.url, LIST_SIZE - 1);
    const out = { 'gij-mock': {}, prism: {}, bare: {} } as BenchResults['load'];
    for (const scenario of ['list', 'get-one', 'add'] as const) {
      for (const s of servers) {
        const r = await load(s.url, scenario, { pid: s.pid });
        out[s.name][scenario] = r;
        log(`  ${scenario} ${s.name}: ${Math.round(r.reqPerSec)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${Math.round(r.cpuUsPerReq!)} µs CPU/req${r.failures ? `, ${r.failures} FAILED` : ''}`);
      }
    }
    return out;
  } finally {
    for (const s of servers) await s.stop();
  }
}

async function growth(): Promise<GrowthStep[]> {
  return withServer('gij-mock', async (s) => {
    const steps: GrowthStep[] = [];
    let stored = 0;
    for (const size of GROWTH_SIZES) {
      await fill(s.url, size - stored);
      stored = size;
      if ((await statusOf(s.url, stored)) !== 200 || (await statusOf(s.url, stored + 1)) !== 404) throw new Error(`store does not hold exactly ${stored}`);
      const memory = memoryOf(s.pid);
      const list = await sequential(s.url, 'list', 3000);
      const get = await load(s.url, 'get-one', { pid: s.pid, durationS: 5, warmupS: 1 });
      const add = await loadAmount(s.url, 'add', GROWTH_ADDS, s.pid);
      stored += add.requests - add.failures;
      steps.push({ stored: size, ...memory, get, list, add });
      log(`  ${size}: RSS ${memory.rssMb.toFixed(0)} MB, get ${Math.round(get.reqPerSec)} req/s p99 ${get.p99} ms, add ${Math.round(add.reqPerSec)} req/s p99 ${add.p99} ms, list p50 ${list.p50.toFixed(1)} ms (${list.requests} req)`);
    }
    return steps;
  });
}

/** `npm run bench -- --only=package`: only the package's install and start cost, spliced into bench/results.md. */
async function onlyPackage(): Promise<void> {
  const path = join(projectRoot, 'bench', 'results.md');
  log('package (pack, install into an empty project, installed CLI start-up):');
  const section = renderPackage(await measurePackage(log));
  writeFileSync(path, spliceSection(existsSync(path) ? readFileSync(path, 'utf8') : '', section, NOTES_MARKER));
  log(`\n${section}\nwrote its section of bench/results.md`);
}

/** `npm run bench -- --only=memory`: only RSS under the state-import flood, written to bench/memory-flood.md. */
async function onlyMemory(): Promise<void> {
  log('RSS under a 60 s flood of 10,000-entry imports, then after reset?all=true:');
  log(`\n${await memoryFloodBench(log)}\nwrote bench/memory-flood.md`);
}

/** `--today=<git ref>`: the commit the peers series builds as "today's gij-mock" (default: main before issue 20's engine). */
const todayRef = (): string => process.argv.find((a) => a.startsWith('--today='))?.slice('--today='.length) ?? TODAY_REF;

/** `npm run bench -- --only=peers`: only the peers series (7–10 min), spliced into bench/results.md. */
async function onlyPeers(): Promise<void> {
  const path = join(projectRoot, 'bench', 'results.md');
  ensureBuilt();
  log('peers (gij-mock hosts, WireMock, node:http floor, bare Express, Prism; interleaved rounds):');
  const section = renderPeers(await peersBench(log, todayRef()));
  writeFileSync(path, spliceSection(existsSync(path) ? readFileSync(path, 'utf8') : '', section, NOTES_MARKER, PEERS_BEGIN, PEERS_END));
  log(`\n${section}\nwrote its section of bench/results.md`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--only=package')) return onlyPackage();
  if (process.argv.includes('--only=peers')) return onlyPeers();
  if (process.argv.includes('--only=memory')) return onlyMemory();
  if (process.argv.includes('--only=indexing')) return void log(`\n${await indexingBench(log)}\nwrote bench/indexing.md`);
  const began = performance.now();
  const loadBefore = loadAvg();
  ensureBuilt();
  log('start-up (spawn → first response):');
  const startupTimes = await startup();
  log(`throughput (autocannon, warm-up then measured run):`);
  const loadResults = await throughput();
  log('growth (gij-mock):');
  const growthSteps = await growth();
  const results: BenchResults = {
    startup: startupTimes, load: loadResults, growth: growthSteps,
    loadAvg: { before: loadBefore, after: loadAvg() }, wallS: (performance.now() - began) / 1000,
  };
  log('package (pack, install into an empty project, installed CLI start-up):');
  const packageSection = renderPackage(await measurePackage(log));
  log('peers (gij-mock hosts, WireMock, node:http floor, bare Express, Prism; interleaved rounds):');
  const peersSection = renderPeers(await peersBench(log, todayRef()));
  const markdown = `${render(results)}\n${packageSection}\n${peersSection}`;
  writeResults(join(projectRoot, 'bench', 'results.md'), markdown);
  log(`\n${markdown}\nwrote bench/results.md`);
  log('--state-file add latency, empty vs ~50 MB of state:');
  await stateFileBench(log);
  log('wrote bench/state-file.md');
  log('RSS under a 60 s flood of 10,000-entry imports, then after reset?all=true:');
  await memoryFloodBench(log);
  log('wrote bench/memory-flood.md');
  log('indexing queue: 1,000 repositories, 0/10/50 reindex threads kept, per-request cost:');
  await indexingBench(log);
  log('wrote bench/indexing.md');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
