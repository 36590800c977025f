// Add latency with --state-file: empty state against ~50 MB of state. Part of npm run bench; runs alone with
// `npx tsx scripts/bench/state-file.ts`. Writes bench/state-file.md with the method and the numbers.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../../src/spec.js';
import { API, AUTHORIZATION, ensureBuilt, GIJ_MOCK_ENTRY, memoryOf, startServer } from './processes.js';

/** The bench's gij-mock (startServer: --validate-responses false) on `stateFile`. */
const startGijMock = (stateFile: string) => startServer('gij-mock', [], GIJ_MOCK_ENTRY, ['--state-file', stateFile]);

const WARMUP_ADDS = 50;
const MEASURED_ADDS = 300;
const SESSIONS = 10;
const PER_SESSION = 1000;
/** 400 ten-digit ids: ~4.5 KB per integration in the state file, ~45 MB over 10 × 1,000. */
const MAPPING_IDS = Array.from({ length: 400 }, (_, i) => 1_000_000_000 + i);
const ADD = JSON.stringify({ type: 'GITHUB', pat: 'x' });

interface Phase { label: string; stateBytes: number; medianMs: number; p90Ms: number; maxMs: number; rssMb: number }

async function addLatencies(url: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const res = await fetch(`${url}${API}`, { method: 'POST', body: ADD, headers: { authorization: AUTHORIZATION, 'content-type': 'application/json' } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`add answered ${res.status}`);
    times.push(performance.now() - t0);
  }
  return times;
}

const sizeOf = (file: string) => [file, `${file}.log`].reduce((n, f) => { try { return n + statSync(f).size; } catch { return n; } }, 0);
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

async function phase(label: string, url: string, pid: number, stateFile: string): Promise<Phase> {
  await addLatencies(url, WARMUP_ADDS);
  const times = (await addLatencies(url, MEASURED_ADDS)).sort((a, b) => a - b);
  return { label, stateBytes: sizeOf(stateFile), medianMs: quantile(times, 0.5), p90Ms: quantile(times, 0.9), maxMs: times.at(-1)!, rssMb: memoryOf(pid).rssMb };
}

async function fillState(url: string): Promise<void> {
  for (let s = 0; s < SESSIONS; s++) {
    const integrations = Array.from({ length: PER_SESSION }, (_, i) => ({ type: 'GITLAB', pat: 'p', displayName: `bench-${s}-${i}`, global: false, projectMappingIds: MAPPING_IDS }));
    const res = await fetch(`${url}/__mock/state`, { method: 'PUT', body: JSON.stringify({ integrations }), headers: { 'content-type': 'application/json', 'x-mock-session': `bench-${s}` } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`import answered ${res.status}`);
  }
}

export async function stateFileBench(log: (line: string) => void): Promise<string> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'gij-mock-bench-state-'));
  const stateFile = join(dir, 'state.json');
  const loadBefore = loadavg()[0]!;
  try {
    let server = await startGijMock(stateFile);
    const empty = await phase('empty state', server.url, server.pid, stateFile);
    log(`  empty: median ${empty.medianMs.toFixed(2)} ms, p90 ${empty.p90Ms.toFixed(2)} ms`);
    const fillStart = performance.now();
    await fillState(server.url);
    const fillS = (performance.now() - fillStart) / 1000;
    await server.stop();
    // Restart: the log is replayed and folded into one snapshot, as after any crash.
    server = await startGijMock(stateFile);
    const restartMs = server.startupMs;
    const big = await phase('~50 MB state', server.url, server.pid, stateFile);
    log(`  ${(big.stateBytes / 1e6).toFixed(0)} MB: median ${big.medianMs.toFixed(2)} ms, p90 ${big.p90Ms.toFixed(2)} ms, restart ${restartMs.toFixed(0)} ms`);
    await server.stop();
    const ratio = big.medianMs / empty.medianMs;
    const row = (p: Phase) => `| ${p.label} | ${(p.stateBytes / 1e6).toFixed(1)} MB | ${p.medianMs.toFixed(2)} | ${p.p90Ms.toFixed(2)} | ${p.maxMs.toFixed(1)} | ${p.rssMb.toFixed(0)} MB |`;
    const markdown = [
      '# --state-file: add latency against the size of the state',
      '',
      `Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average ${loadBefore.toFixed(2)} before the run.`,
      '',
      '## Method',
      '',
      `1. Start the built server (\`bin/gij-mock.cjs\`) with \`--state-file\` in a fresh temp folder, \`--validate-responses false\`.`,
      `2. Empty state: ${WARMUP_ADDS} adds of \`${ADD}\` to warm up, then ${MEASURED_ADDS} adds one at a time (each waits for its`,
      '   answer, so each latency includes the log append and its fsync); median, p90 and max.',
      `3. Import ${SESSIONS} sessions × ${PER_SESSION} integrations with ${MAPPING_IDS.length} project ids each (PUT /__mock/state; ${fillS.toFixed(1)} s),`,
      '   stop the server (SIGTERM), start it again on the same file (log replayed, snapshot rewritten), then step 2 again.',
      '4. State size = snapshot + log on disk; RSS from /proc after the measured adds.',
      '',
      '## Results',
      '',
      '| state | on disk | median ms | p90 ms | max ms | RSS |',
      '|---|---|---|---|---|---|',
      row(empty),
      row(big),
      '',
      `Median with ~50 MB over median with an empty state: **${ratio.toFixed(2)}×** (target ≤ 2×). Restart with that state`,
      `(replay + snapshot rewrite): ${restartMs.toFixed(0)} ms.`,
      '',
    ].join('\n');
    writeFileSync(join(projectRoot, 'bench', 'state-file.md'), markdown);
    return markdown;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('state-file.ts')) {
  stateFileBench((l) => process.stdout.write(`${l}\n`)).then((md) => process.stdout.write(`\n${md}\nwrote bench/state-file.md\n`), (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  });
}
