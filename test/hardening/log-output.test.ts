// Logging never blocks or stops the server (issue 18, finding 3): with stdout unread, or its reader gone,
// requests are still answered, SIGTERM still exits 0 within the documented 5 s, and the lines that could not
// be written are counted in one stderr line.
import { createServer, type AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../helpers/run-cli.js';
import { ensureBuilt } from '../helpers/spawn-server.js';

const SHUTDOWN_BUDGET_MS = 5000;
// Each request logs one line of ~4 KB (its path): 600 of them are ~2.4 MB, more than the pipe, the
// parent's read buffer and the server's 1 MiB log buffer hold together.
const REQUESTS = 600;
const LONG_PATH = `/${'x'.repeat(4000)}`;

/** Reads stdout up to the banner's first line, then (as the parent under test) stops reading or closes it. */
function bannerUrl(run: CliRun, then: (stdout: Readable) => void): Promise<string> {
  const stdout = run.child.stdout!;
  let seen = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      seen += String(chunk);
      const m = /listening on (http:\/\/\S+)/.exec(seen);
      if (!m) return;
      stdout.off('data', onData);
      then(stdout);
      resolve(m[1]!);
    };
    stdout.on('data', onData);
    void run.exited.then((code) => reject(new Error(`gij-mock exited with ${code}: ${run.stderr()}`)));
  });
}

async function sendRequests(baseUrl: string): Promise<number[]> {
  const statuses: number[] = [];
  // Four at a time: enough to fill the pipe quickly, bounded.
  for (let i = 0; i < REQUESTS; i += 4) {
    const batch = await Promise.all([0, 1, 2, 3].map(() => fetch(`${baseUrl}${LONG_PATH}`).then(async (r) => (await r.arrayBuffer(), r.status))));
    statuses.push(...batch);
  }
  return statuses;
}

async function stopWithin(run: CliRun, ms: number): Promise<{ code: number | null; tookMs: number }> {
  const started = Date.now();
  run.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), ms + 1000); });
  const result = await Promise.race([run.exited, timedOut]);
  clearTimeout(timer);
  if (result === 'timeout') {
    run.child.kill('SIGKILL');
    await run.exited;
    return { code: null, tookMs: Date.now() - started };
  }
  return { code: result, tookMs: Date.now() - started };
}

describe('logging to a stdout nobody takes', () => {
  it('stdout never read: every request answered, SIGTERM exits 0 within 5 s, the dropped lines counted on stderr', async () => {
    ensureBuilt();
    const run = runCli(['--port', '0', '--log-level', 'info'], { readStdout: false });
    const baseUrl = await bannerUrl(run, (stdout) => stdout.pause());
    const statuses = await sendRequests(baseUrl);
    expect(statuses.length).toBe(REQUESTS);
    expect(new Set(statuses)).toEqual(new Set([404]));
    const { code, tookMs } = await stopWithin(run, SHUTDOWN_BUDGET_MS);
    expect(code, run.stderr()).toBe(0);
    expect(tookMs).toBeLessThan(SHUTDOWN_BUDGET_MS);
    const dropped = /^gij-mock: (\d+) log lines dropped \(stdout was not being read\)$/m.exec(run.stderr());
    expect(dropped, run.stderr()).not.toBeNull();
    expect(Number(dropped![1])).toBeGreaterThan(0);
    expect(Number(dropped![1])).toBeLessThanOrEqual(REQUESTS + 1);
    run.child.stdout!.destroy();
  });

  it('stdout closed by its reader after the first line: requests answered, SIGTERM exits 0 within 5 s, the dropped lines counted', async () => {
    ensureBuilt();
    const run = runCli(['--port', '0', '--log-level', 'info'], { readStdout: false });
    const baseUrl = await bannerUrl(run, (stdout) => stdout.destroy());
    const statuses = await sendRequests(baseUrl);
    expect(new Set(statuses)).toEqual(new Set([404]));
    const { code, tookMs } = await stopWithin(run, SHUTDOWN_BUDGET_MS);
    expect(code, run.stderr()).toBe(0);
    expect(tookMs).toBeLessThan(SHUTDOWN_BUDGET_MS);
    expect(run.stderr()).toMatch(/^gij-mock: \d+ log lines dropped \(stdout was not being read\)$/m);
  });

  it('stdout read: SIGTERM exits 0 and reports no dropped lines', async () => {
    ensureBuilt();
    const run = runCli(['--port', '0', '--log-level', 'info']);
    const deadline = Date.now() + 15_000;
    while (!/listening on (http:\/\/\S+)/.test(run.stdout()) && Date.now() < deadline) await new Promise((resolve) => run.child.stdout!.once('data', resolve));
    const baseUrl = /listening on (http:\/\/\S+)/.exec(run.stdout())![1]!;
    for (let i = 0; i < 20; i++) expect((await fetch(`${baseUrl}/__mock/requests`)).status).toBe(200);
    const { code } = await stopWithin(run, SHUTDOWN_BUDGET_MS);
    expect(code, run.stderr()).toBe(0);
    expect(run.stderr()).toBe('');
    expect(run.stdout()).toContain('"msg":"shutting down');
  });

  it('stdout closed before the banner: its write (EPIPE) is no crash, the server serves and stops with 0', async () => {
    ensureBuilt();
    // The port cannot be read from a closed stdout: the test picks a free one.
    const port = await freePort();
    const run = runCli(['--port', String(port), '--log-level', 'info'], { readStdout: false });
    run.child.stdout!.destroy();
    let status = 0;
    for (let tries = 0; tries < 200 && status === 0 && run.child.exitCode === null; tries++) {
      status = await fetch(`http://127.0.0.1:${port}/__mock/requests`).then((r) => r.status, async () => (await new Promise((resolve) => setTimeout(resolve, 50)), 0));
    }
    expect(status, run.stderr()).toBe(200);
    const { code } = await stopWithin(run, SHUTDOWN_BUDGET_MS);
    expect(code, run.stderr()).toBe(0);
    expect(run.stderr()).not.toMatch(/EPIPE|Error/);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
