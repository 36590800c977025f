// RSS under a 60 s flood of 10,000-entry state imports (no login needed), then after `reset?all=true`.
// Part of npm run bench; alone: `npm run bench -- --only=memory` (or `npx tsx scripts/bench/memory-flood.ts`).
// Writes bench/memory-flood.md with the method and the numbers.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request, Agent } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultConfig } from '../../src/config.js';
import { projectRoot } from '../../src/spec.js';
import { ensureBuilt, GIJ_MOCK_ENTRY, memoryOf, startServer } from './processes.js';

const FLOOD_S = 60;
const CLIENTS = 2;
const ENTRIES = 10_000;
/** Imports go to flood-0 … flood-99 in turn: once the bound is reached, those into a session that has a store replace it. */
const SESSION_NAMES = 100;
/** A second, shorter flood after the reset: memory freed by the reset is used again, not added to. */
const AGAIN_S = 20;
const IDLE_AFTER_RESET_S = 10;
const MiB = 1024 * 1024;

export interface FloodResult {
  maxStateBytes: number;
  sentMb: number;
  imports: Record<number, number>;
  baseMb: number;
  peakMb: number;
  endMb: number;
  afterResetMb: number[];
  againPeakMb: number;
  againEndMb: number;
}

/** One PUT /__mock/state on a kept-alive connection; resolves with the status. */
function put(url: string, agent: Agent, session: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/__mock/state`, { method: 'PUT', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, 'x-mock-session': session } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function floodOnce(maxStateBytes: number, log: (line: string) => void): Promise<FloodResult> {
  const server = await startServer('gij-mock', [], GIJ_MOCK_ENTRY, ['--max-state-bytes', String(maxStateBytes)]);
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    const body = Buffer.from(JSON.stringify({ integrations: Array.from({ length: ENTRIES }, (_, i) => ({ type: 'GITLAB', pat: 'p', displayName: `flood-${i}` })) }));
    const baseMb = memoryOf(server.pid).rssMb;
    const imports: Record<number, number> = {};
    let next = 0;
    let sent = 0;
    /** Floods for `seconds`; resolves with the peak RSS seen (sampled every 200 ms). */
    const flood = async (seconds: number) => {
      const until = performance.now() + seconds * 1000;
      const client = async () => {
        while (performance.now() < until) {
          const status = await put(server.url, agent, `flood-${next++ % SESSION_NAMES}`, body);
          imports[status] = (imports[status] ?? 0) + 1;
          sent += body.length;
        }
      };
      let peak = 0;
      const sampler = setInterval(() => { peak = Math.max(peak, memoryOf(server.pid).rssMb); }, 200);
      await Promise.all(Array.from({ length: CLIENTS }, client));
      clearInterval(sampler);
      return Math.max(peak, memoryOf(server.pid).rssMb);
    };
    const resetAll = async () => {
      const reset = await fetch(`${server.url}/__mock/reset?all=true`, { method: 'POST', headers: { 'x-mock-session': 'default' } });
      if (!reset.ok) throw new Error(`reset answered ${reset.status}`);
    };
    const floodPeakMb = await flood(FLOOD_S);
    const endMb = memoryOf(server.pid).rssMb;
    // VmHWM also sees a peak between two samples.
    const peakMb = Math.max(floodPeakMb, memoryOf(server.pid).peakMb);
    await resetAll();
    const afterResetMb: number[] = [];
    for (let s = 0; s < IDLE_AFTER_RESET_S; s++) {
      await sleep(1000);
      afterResetMb.push(memoryOf(server.pid).rssMb);
    }
    const againPeakMb = await flood(AGAIN_S);
    const againEndMb = memoryOf(server.pid).rssMb;
    const result = { maxStateBytes, sentMb: sent / 1e6, imports, baseMb, peakMb, endMb, afterResetMb, againPeakMb, againEndMb };
    log(`  --max-state-bytes ${maxStateBytes / MiB} MiB: ${JSON.stringify(imports)} imports, ${result.sentMb.toFixed(0)} MB sent; RSS ${baseMb.toFixed(0)} → peak ${peakMb.toFixed(0)}, end ${endMb.toFixed(0)}, after reset ${afterResetMb.map((m) => m.toFixed(0)).join(' ')}, flood again: peak ${againPeakMb.toFixed(0)} end ${againEndMb.toFixed(0)} MB`);
    return result;
  } finally {
    agent.destroy();
    await server.stop();
  }
}

export async function memoryFloodBench(log: (line: string) => void, caps = [64 * MiB, defaultConfig.maxStateBytes]): Promise<string> {
  ensureBuilt();
  const loadBefore = loadavg()[0]!;
  const results: FloodResult[] = [];
  for (const cap of caps) results.push(await floodOnce(cap, log));
  type Memory = { rssMb: number; heapUsedMb: number };
  const heap = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join('scripts', 'bench', 'reset-heap.ts')], { cwd: projectRoot, encoding: 'utf8', timeout: 300_000 })) as
    { imports: number; idleS: number; start: Memory; full: Memory; idle: Memory; collected: Memory };
  const show = (m: Memory) => `heap ${m.heapUsedMb}, RSS ${m.rssMb}`;
  log(`  reset, in process: start ${show(heap.start)}; full ${show(heap.full)}; reset + ${heap.idleS} s idle ${show(heap.idle)}; forced collection ${show(heap.collected)} MiB`);
  const row = (r: FloodResult) => {
    const perByte = (r.peakMb - r.baseMb) / (r.maxStateBytes / MiB);
    return `| ${r.maxStateBytes / MiB} MiB | ${r.sentMb.toFixed(0)} MB | ${Object.entries(r.imports).map(([s, n]) => `${n} × ${s}`).join(', ')} | ${r.baseMb.toFixed(0)} | ${r.peakMb.toFixed(0)} | ${r.endMb.toFixed(0)} | ${r.afterResetMb.at(-1)!.toFixed(0)} (min ${Math.min(...r.afterResetMb).toFixed(0)}) | ${r.againPeakMb.toFixed(0)} | ${perByte.toFixed(2)} |`;
  };
  const markdown = [
    '# Memory under a state-import flood',
    '',
    `Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${loadBefore.toFixed(2)} before the run.`,
    '',
    '## Method',
    '',
    '1. Start the built server (`bin/gij-mock.cjs`, the bench\'s `--validate-responses false --max-integrations 1000000`) with the `--max-state-bytes` of the row.',
    `2. For ${FLOOD_S} s, ${CLIENTS} clients on kept-alive loopback connections each PUT /__mock/state (no login) a ${ENTRIES.toLocaleString('en')}-entry state`,
    `   (\`{"type":"GITLAB","pat":"p","displayName":"flood-N"}\`, ~0.5 MB) into sessions flood-0 … flood-${SESSION_NAMES - 1} in turn, each waiting for its answer:`,
    '   new sessions until the byte bound answers 507; after that, imports into a session that has a store replace it (admitted: same size).',
    '3. RSS from /proc/<pid>/status: before, sampled every 200 ms (and VmHWM) for the peak, at the end of the flood.',
    `4. POST /__mock/reset?all=true, then RSS once a second for ${IDLE_AFTER_RESET_S} s of idle (the last figure, and the lowest).`,
    `5. The same flood again for ${AGAIN_S} s: its peak shows whether the memory the reset freed is used again or added to.`,
    '6. Peak RSS per bound byte = (peak − before) / --max-state-bytes.',
    '',
    '## Results (RSS in MiB)',
    '',
    '| --max-state-bytes | sent | imports (count × status) | before | peak | end of flood | after reset + idle | peak of a 2nd flood | peak RSS per bound byte |',
    '|---|---|---|---|---|---|---|---|---|',
    ...results.map(row),
    '',
    '## Does a reset keep anything alive?',
    '',
    `\`scripts/bench/reset-heap.ts\` runs gij-mock in process under \`node --expose-gc\` (the script forces the collections, not the server),`,
    `imports ${heap.imports} × 10,000 entries into ${heap.imports} sessions, then resets all and waits ${heap.idleS} s (MiB):`,
    '',
    '| moment | heap used | RSS |',
    '|---|---|---|',
    `| start | ${heap.start.heapUsedMb} | ${heap.start.rssMb} |`,
    `| after the imports (collected) | ${heap.full.heapUsedMb} | ${heap.full.rssMb} |`,
    `| reset?all=true + ${heap.idleS} s idle | ${heap.idle.heapUsedMb} | ${heap.idle.rssMb} |`,
    `| then one forced full collection (+3 s) | ${heap.collected.heapUsedMb} | ${heap.collected.rssMb} |`,
    '',
    'An idle server runs no collection, so a reset alone does not lower RSS; nothing is kept alive, and the',
    'next collection (the next traffic, or the 2nd flood above) takes the heap back to its start size.',
    '',
  ].join('\n');
  writeFileSync(join(projectRoot, 'bench', 'memory-flood.md'), markdown);
  return markdown;
}

if (process.argv[1]?.endsWith('memory-flood.ts')) {
  memoryFloodBench((l) => process.stdout.write(`${l}\n`)).then((md) => process.stdout.write(`\n${md}\nwrote bench/memory-flood.md\n`), (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  });
}
