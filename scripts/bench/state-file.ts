// Add latency with --state-file: empty state against ~50 MB of state, and how long a cheap request waits while
// that state is compacted. Part of npm run bench; runs alone with `npx tsx scripts/bench/state-file.ts`
// (the compaction probe alone: `--only=compaction`, which prints and writes nothing; GIJ_BENCH_ENTRY=<path of
// another bin/gij-mock.cjs> measures that build instead). Writes bench/state-file.md with the method and the numbers.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../../src/spec.js';
import { API, AUTHORIZATION, ensureBuilt, GIJ_MOCK_ENTRY, memoryOf, startServer } from './processes.js';
import { quantile } from './results.js';

/** The bench's gij-mock (startServer: --validate-responses false) on `stateFile`. */
const startGijMock = (stateFile: string) => startServer('gij-mock', [], process.env.GIJ_BENCH_ENTRY ?? GIJ_MOCK_ENTRY, ['--state-file', stateFile]);

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

interface CompactionProbe { logBytes: number; compactionMs: number; probes: number; probeMaxMs: number; probeP99Ms: number; adds: number; baselineProbes: number; baselineMaxMs: number }

/** One import of `session` (PUT /__mock/state) of PER_SESSION integrations with MAPPING_IDS: ~4.5 MB in the log. */
async function importSession(url: string, session: string): Promise<void> {
  const integrations = Array.from({ length: PER_SESSION }, (_, i) => ({ type: 'GITLAB', pat: 'p', displayName: `bench-${session}-${i}`, global: false, projectMappingIds: MAPPING_IDS }));
  const res = await fetch(`${url}/__mock/state`, { method: 'PUT', body: JSON.stringify({ integrations }), headers: { 'content-type': 'application/json', 'x-mock-session': session } });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`import answered ${res.status}`);
}

/**
 * Grows the log of a server holding ~50 MB until it is compacted, while a probe sends one cheap request
 * (GET /integration of an empty session) after another: the probe's longest wait during the compaction
 * is what a compaction costs other clients. Imports bring the log near the snapshot's size (before the
 * probe starts: an import's own parsing is not what is measured), then adds of ~4.5 KB cross it.
 */
async function compactionProbe(url: string, stateFile: string): Promise<CompactionProbe> {
  const logOf = () => statSync(`${stateFile}.log`).size;
  const snapshotBytes = statSync(stateFile).size;
  while (logOf() + 2 * 4.6e6 < snapshotBytes) await importSession(url, 'bench-0');
  const latencies: Array<{ at: number; ms: number }> = [];
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const t0 = performance.now();
      const res = await fetch(`${url}${API}`, { headers: { authorization: AUTHORIZATION, 'x-mock-session': 'probe' } });
      await res.arrayBuffer();
      latencies.push({ at: t0, ms: performance.now() - t0 });
    }
  })();
  const body = JSON.stringify({ type: 'GITLAB', pat: 'p', global: false, projectMappingIds: MAPPING_IDS });
  let startedAt: number | undefined;
  let endedAt: number | undefined;
  let logBytes = 0;
  let adds = 0;
  try {
    // Ends when the log has been folded (it shrinks); bounded: the log crosses the snapshot within ~2,000 adds.
    for (let previous = logOf(); endedAt === undefined && adds < 20_000; adds++) {
      const t0 = performance.now();
      const res = await fetch(`${url}${API}`, { method: 'POST', body, headers: { authorization: AUTHORIZATION, 'content-type': 'application/json', 'x-mock-session': 'bench-adds' } });
      await res.arrayBuffer();
      const size = logOf();
      // Compaction starts in the commit of the add that takes the log past the snapshot (a compaction that
      // blocks ends in it too: the log is seen shrinking without having been seen larger).
      if (startedAt === undefined && (size > snapshotBytes || size < previous)) { startedAt = t0; logBytes = Math.max(size, previous); }
      if (size < previous) endedAt = performance.now();
      previous = size;
    }
    await new Promise((r) => setTimeout(r, 100));
  } finally {
    probing = false;
    await probe;
  }
  if (startedAt === undefined || endedAt === undefined) throw new Error(`no compaction after ${adds} adds`);
  // From the add that crossed the snapshot's size to the log's shrinking.
  const during = latencies.filter((l) => l.at + l.ms >= startedAt! && l.at <= endedAt!).map((l) => l.ms).sort((a, b) => a - b);
  // The same probe while the same adds ran before the compaction: what the box and the adds' fsyncs cost anyway.
  const before = latencies.filter((l) => l.at + l.ms < startedAt!).map((l) => l.ms).sort((a, b) => a - b);
  return { logBytes, compactionMs: endedAt - startedAt, probes: during.length, probeMaxMs: during.at(-1) ?? NaN, probeP99Ms: quantile(during, 0.99), adds, baselineProbes: before.length, baselineMaxMs: before.at(-1) ?? NaN };
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
    const compaction = await compactionProbe(server.url, stateFile);
    log(`  compaction of ${(compaction.logBytes / 1e6).toFixed(0)} MB: ${compaction.compactionMs.toFixed(0)} ms, probe max ${compaction.probeMaxMs.toFixed(1)} ms over ${compaction.probes} probes (before it: ${compaction.baselineMaxMs.toFixed(1)} ms)`);
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
      '5. Compaction probe: imports grow the log to near the snapshot\'s size, then adds of ~4.5 KB push it past; meanwhile a',
      '   probe sends GET /integration of an empty session, one after another. Compaction time runs from the add that',
      '   crossed the snapshot\'s size to the log shrinking; the probe\'s longest wait in that time is what compaction costs.',
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
      '| compaction | log | took | probes | probe p99 ms | probe max ms | probe max before it (same adds, no compaction) |',
      '|---|---|---|---|---|---|---|',
      `| in slices between requests | ${(compaction.logBytes / 1e6).toFixed(1)} MB | ${compaction.compactionMs.toFixed(0)} ms | ${compaction.probes} | ${compaction.probeP99Ms.toFixed(1)} | ${compaction.probeMaxMs.toFixed(1)} | ${compaction.baselineMaxMs.toFixed(1)} ms over ${compaction.baselineProbes} probes |`,
      '',
      `Probe max during compaction: **${compaction.probeMaxMs.toFixed(0)} ms** (target < 100 ms; before slicing, on this box: ${BEFORE_SLICING}).`,
      '',
    ].join('\n');
    writeFileSync(join(projectRoot, 'bench', 'state-file.md'), markdown);
    return markdown;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same probe against the build before compaction ran in slices (GIJ_BENCH_ENTRY=/work/main/bin/gij-mock.cjs). */
const BEFORE_SLICING = 'probe max 1,294 ms, the whole 1.29 s compaction of 49 MB, measured 2026-12-07 at load average ~8';

/** `--only=compaction`: fill ~50 MB, restart, probe one compaction; prints the figures. */
async function compactionOnly(): Promise<void> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'gij-mock-bench-state-'));
  const stateFile = join(dir, 'state.json');
  try {
    let server = await startGijMock(stateFile);
    await fillState(server.url);
    await server.stop();
    server = await startGijMock(stateFile);
    const result = await compactionProbe(server.url, stateFile);
    await server.stop();
    process.stdout.write(`${JSON.stringify({ entry: process.env.GIJ_BENCH_ENTRY ?? GIJ_MOCK_ENTRY, snapshotBytes: statSync(stateFile).size, ...result })}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('state-file.ts') && process.argv.includes('--only=compaction')) {
  compactionOnly().catch((e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  });
} else if (process.argv[1]?.endsWith('state-file.ts')) {
  stateFileBench((l) => process.stdout.write(`${l}\n`)).then((md) => process.stdout.write(`\n${md}\nwrote bench/state-file.md\n`), (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  });
}
