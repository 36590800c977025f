// SIGTERM while clients are busy: requests already in flight are finished (200), then the process
// exits 0 within the 5 s grace period. Runs the built server as users do (bin/gij-mock.cjs).
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { exited, spawnServer, type Spawned } from '../helpers/spawn-server.js';
import { API } from '../helpers/target.js';
import { waitFor } from '../helpers/wait-for.js';

const ADMIN = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
let server: Spawned | undefined;
afterAll(() => { if (server && server.child.exitCode === null) server.child.kill('SIGKILL'); });

/**
 * A POST whose headers and first bytes of the body are sent now; `finish()` sends the rest. `headersRead`
 * resolves when the server answers `Expect: 100-continue`, i.e. it has parsed the headers and holds the
 * request (before that, a shutdown may close the connection as idle: the ECONNRESET of issue 18).
 */
function startSlowAdd(baseUrl: string, i: number): { finish: () => void; headersRead: Promise<void>; done: Promise<{ status: number; body: string }> } {
  const url = new URL(`${baseUrl}${API}/integration`);
  const body = Buffer.from(JSON.stringify({ type: 'GITLAB', pat: `p${i}`, displayName: `in flight ${i}` }));
  const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent: false,
    headers: { authorization: ADMIN, 'content-type': 'application/json', 'content-length': String(body.length), expect: '100-continue' } });
  const done = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c) => { text += String(c); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
  const headersRead = new Promise<void>((resolve) => req.once('continue', () => { req.write(body.subarray(0, 10)); resolve(); }));
  req.flushHeaders();
  return { finish: () => req.end(body.subarray(10)), headersRead, done };
}

/** Keep-alive load until `stop()`; counts answers by status and failures, split at the moment of SIGTERM. */
function load(baseUrl: string, workers: number) {
  const stats = { before: { ok: 0, failed: 0, fiveXX: 0 }, after: { ok: 0, failed: 0, fiveXX: 0 } };
  let stopping = false;
  let signalled = false;
  const worker = async (w: number) => {
    for (let i = 0; !stopping && i < 100_000; i++) {
      // Counted when the answer comes: a request racing the close of an idle keep-alive socket may fail.
      const bucket = () => (signalled ? stats.after : stats.before);
      try {
        const res = await fetch(`${baseUrl}${API}/integration${i % 2 ? '' : '/1'}`, { headers: { authorization: ADMIN, 'x-mock-session': `w${w}` } });
        await res.arrayBuffer();
        if (res.status >= 500) bucket().fiveXX++;
        else bucket().ok++;
      } catch {
        bucket().failed++;
        if (signalled) return; // the server has stopped listening: this worker is done
      }
    }
  };
  const running = Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  return { stats, signalled: () => { signalled = true; }, stop: async () => { stopping = true; await running; } };
}

describe('shutdown', () => {
  it('SIGTERM during load finishes the in-flight requests with 200 and exits 0 within 5 s', async () => {
    server = await spawnServer(['--log-level', 'info']);
    const traffic = load(server.baseUrl, 8);
    await waitFor('16 answers to the background load', () => traffic.stats.before.ok >= 16);
    const inFlight = Array.from({ length: 10 }, (_, i) => startSlowAdd(server!.baseUrl, i));
    await Promise.all(inFlight.map((r) => r.headersRead));
    const exit = exited(server.child);
    const signalledAt = performance.now();
    traffic.signalled();
    server.child.kill('SIGTERM');
    await waitFor('the shutdown log line', () => server!.stdout().includes('shutting down'));
    for (const r of inFlight) r.finish();
    const answers = await Promise.all(inFlight.map((r) => r.done));
    const code = await exit;
    const tookMs = performance.now() - signalledAt;
    await traffic.stop();
    console.log(`shutdown: ${answers.length} in-flight answered ${answers.map((a) => a.status).join(',')}; exit ${code} after ${tookMs.toFixed(0)} ms; load before SIGTERM ${JSON.stringify(traffic.stats.before)}, after ${JSON.stringify(traffic.stats.after)}`);
    for (const a of answers) {
      expect(a.status, a.body).toBe(200);
      expect(JSON.parse(a.body)).toMatchObject({ success: 'true', integration: { displayName: expect.stringMatching(/^in flight \d$/) } });
    }
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(5000);
    expect(traffic.stats.before.ok).toBeGreaterThan(0);
    expect(traffic.stats.before.failed + traffic.stats.before.fiveXX).toBe(0);
    expect(traffic.stats.after.fiveXX).toBe(0);
    expect(server.stdout()).not.toMatch(/"level":50/);
  }, 20_000);
});
