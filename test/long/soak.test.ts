// 60 s of mixed load on loopback against the built server (bin/gij-mock.cjs): every answer is the
// expected one, the process RSS stays flat after warm-up, and the journal stays within its cap.
// SOAK_SECONDS=<n> changes the length; SOAK_WORKERS=<n> the number of concurrent clients.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { afterAll, expect, it } from 'vitest';
import { exited, spawnServer, type Spawned } from '../helpers/spawn-server.js';
import { addExamples } from '../helpers/fixture.js';
import { API } from '../helpers/target.js';
import { raw } from '../hardening/support.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const WARMUP_SECONDS = Math.min(10, SECONDS / 4);
const WORKERS = Number(process.env.SOAK_WORKERS ?? 32);
const MAX_GROWTH_MB = 50;
const JOURNAL_LIMIT = 1000;
const ADMIN = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
const USER = `Basic ${Buffer.from('user:user').toString('base64')}`;

let server: Spawned | undefined;
afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await exited(server.child);
  }
});

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

interface Step { method: string; path: string; body?: string; auth?: string; chunked?: boolean; contentType?: string; want: number }

/** One client's cycle: a full create → read → change → remove round plus every kind of refusal. */
function cycle(w: number, i: number, id: number | undefined): Step[] {
  const example = addExamples[(w + i) % addExamples.length]!.body;
  const steps: Step[] = id === undefined
    ? [{ method: 'POST', path: '/integration', body: JSON.stringify({ ...example, displayName: `soak ${w}/${i}` }), want: 200 }]
    : [
        { method: 'GET', path: `/integration/${id}`, want: 200 },
        { method: 'PUT', path: `/integration/${id}`, body: JSON.stringify({ displayName: `soak ${w}/${i} renamed` }), want: 200 },
        { method: 'PUT', path: `/repository/${id}/disable?disable=${i % 2 === 0}`, want: 200 },
        { method: 'GET', path: '/integration', want: 200 },
        { method: 'DELETE', path: `/integration/${id}`, want: 200 },
        { method: 'GET', path: `/integration/${id}`, want: 404 },
      ];
  const refusals: Step[] = [
    { method: 'POST', path: '/integration', body: '{"type":"GITHUB_SERVER","pat":"p"}', want: 400 },
    { method: 'POST', path: '/integration', body: '{"type": "GITHUB", "pat": ', want: 400 },
    { method: 'GET', path: '/integration', auth: 'Bearer nope', want: 401 },
    { method: 'GET', path: '/integration', auth: USER, want: 403 },
    { method: 'PATCH', path: '/integration', want: 405 },
    { method: 'PUT', path: '/repository/1/disable?disable=maybe', want: 400 },
    { method: 'POST', path: '/integration', body: 'type=GITHUB', contentType: 'text/plain', want: 415 },
    // 100 KB sent chunked (no Content-Length): refused, and must not be kept whole by the journal.
    { method: 'POST', path: '/integration', body: JSON.stringify({ type: 'GITHUB', pat: 'p', displayName: 'x'.repeat(100_000) }), chunked: true, want: 400 },
  ];
  if (i % 25 === 0) steps.push({ method: 'POST', path: '/integration', body: JSON.stringify({ type: 'GITHUB', pat: 'x'.repeat(1_200_000) }), want: 413 });
  return [...steps, refusals[(w + i) % refusals.length]!];
}

it(`${SECONDS} s of mixed load: zero errors, flat RSS, capped journal`, async () => {
  server = await spawnServer(['--log-level', 'warn', '--journal-limit', String(JOURNAL_LIMIT)]);
  const pid = server.child.pid!;
  const target = { baseUrl: server.baseUrl, admin: ADMIN };
  const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS });
  const started = performance.now();
  const stopAt = started + SECONDS * 1000;
  let requests = 0;
  const errors: string[] = [];
  const rss = { start: rssMb(pid), warm: 0, max: 0, end: 0 };
  const perTen: number[] = []; // requests answered in each 10 s window: a slowdown shows as a falling series
  const sampler = setInterval(() => {
    perTen[Math.floor((performance.now() - started) / 10_000)] = requests;
    const now = rssMb(pid);
    rss.max = Math.max(rss.max, now);
    if (!rss.warm && performance.now() - started >= WARMUP_SECONDS * 1000) rss.warm = now;
  }, 250);

  const worker = async (w: number) => {
    const session = { 'x-mock-session': `soak-${w}` };
    let id: number | undefined;
    for (let i = 0; performance.now() < stopAt && i < 10_000_000; i++) {
      for (const s of cycle(w, i, id)) {
        requests++;
        try {
          const res = await raw(target, { method: s.method, path: s.path, body: s.body, chunked: s.chunked, auth: s.auth, agent,
            headers: { ...session, ...(s.body === undefined ? {} : { 'content-type': s.contentType ?? 'application/json' }) } });
          if (res.status !== s.want) errors.push(`${s.method} ${s.path} answered ${res.status}, wanted ${s.want}: ${JSON.stringify(res.body).slice(0, 200)}`);
          if (s.method === 'POST' && res.status === 200) id = (res.body as { integration: { id: number } }).integration.id;
          if (s.method === 'DELETE' && res.status === 200) id = undefined;
        } catch (e) {
          errors.push(`${s.method} ${s.path} failed: ${(e as Error).message}`);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  clearInterval(sampler);
  rss.end = rssMb(pid);
  const seconds = (performance.now() - started) / 1000;

  const journalRes = await fetch(`${server.baseUrl}/__mock/requests`);
  const journalText = await journalRes.text();
  const journal = JSON.parse(journalText) as { limit: number; requests: Array<{ body: unknown }> };
  const largestEntry = Math.max(...journal.requests.map((e) => JSON.stringify(e.body ?? null).length));
  agent.destroy();
  const growth = rss.end - rss.warm;
  console.log([
    `soak: ${requests} requests in ${seconds.toFixed(1)} s (${Math.round(requests / seconds)}/s) by ${WORKERS} clients, ${errors.length} errors`,
    `soak: RSS start ${rss.start.toFixed(1)} MB, after ${WARMUP_SECONDS} s warm-up ${rss.warm.toFixed(1)} MB, end ${rss.end.toFixed(1)} MB, max ${rss.max.toFixed(1)} MB (growth ${growth.toFixed(1)} MB, allowed ${MAX_GROWTH_MB})`,
    `soak: requests per 10 s window: ${perTen.map((n, i) => n - (perTen[i - 1] ?? 0)).join(', ')}`,
    `soak: journal ${journal.requests.length} entries (limit ${journal.limit}), ${(journalText.length / 1024).toFixed(0)} KB as JSON, largest body ${largestEntry} B`,
  ].join('\n'));
  expect(errors.slice(0, 5)).toEqual([]);
  expect(requests).toBeGreaterThan(SECONDS * 100);
  expect(growth).toBeLessThanOrEqual(MAX_GROWTH_MB);
  expect(journal.requests.length).toBeLessThanOrEqual(JOURNAL_LIMIT);
  // Bodies over 16 KiB, chunked ones included, are kept as a one-line note.
  expect(largestEntry).toBeLessThanOrEqual(16 * 1024 + 64);
  expect(server.stderr()).toBe('');
}, (SECONDS + 120) * 1000);
