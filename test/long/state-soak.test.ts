// The issue-12 scenarios at full size, against the built server (npm run test:soak): many kill -9 rounds,
// a 33-million-entry import, 16,000 session names read and 1,500 written, with RSS checked after each.
// GIJ_KILL_ROUNDS=<n> changes the number of kill rounds; GIJ_KILL_SEED replays one run.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call } from '../helpers/http.js';
import { killRounds } from '../helpers/kill-rounds.js';
import { exited, spawnServer } from '../helpers/spawn-server.js';
import type { Target } from '../helpers/target.js';

const dir = mkdtempSync(join(tmpdir(), 'gij-mock-state-soak-'));
const remote = (baseUrl: string): Target => ({ baseUrl, admin: `Basic ${Buffer.from('admin:admin').toString('base64')}`, remote: true, logLines: [], close: async () => {} });
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

describe('state at full size', () => {
  it('kill -9 at random moments, many rounds: no acknowledged change is lost', async () => {
    const seed = Number(process.env.GIJ_KILL_SEED ?? Date.now() % 2 ** 31);
    const rounds = Number(process.env.GIJ_KILL_ROUNDS ?? 20);
    console.log(`kill -9 rounds: ${rounds}, seed ${seed} (replay with GIJ_KILL_SEED=${seed})`);
    await killRounds({ file: join(dir, 'killed.json'), rounds, seed, minAcks: 30 });
  });

  it('PUT /__mock/state of 33 million entries (66 MB) answers one 400 sentence; the server lives on', async () => {
    const server = await spawnServer(['--state-limit', String(80 * 1024 * 1024)]);
    try {
      const t = remote(server.baseUrl);
      const res = await call(t, 'PUT', '/__mock/state', { rawBody: `{"integrations":[${'1,'.repeat(33_000_000)}1]}`, headers: { 'content-type': 'application/json' } });
      expect(res).toMatchObject({ status: 400, body: { error: 'integrations has more than 10000 entries; a session holds at most 10000 (--max-integrations)' } });
      expect((await call(t, 'GET', '/integration')).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
  });

  it('16,000 session names read hold no memory; adds in 1,500 names stop at --max-sessions with 507, with --state-file', async () => {
    const server = await spawnServer(['--state-file', join(dir, 'sessions.json')]);
    try {
      const t = remote(server.baseUrl);
      const before = rssMb(server.child.pid!);
      for (let i = 0; i < 16_000; i += 100) {
        await Promise.all(Array.from({ length: 100 }, (_, j) => call(t, 'GET', '/__mock/state', { headers: { 'x-mock-session': `reader-${i + j}` } }).then((r) => expect(r.status).toBe(200))));
      }
      expect(rssMb(server.child.pid!) - before).toBeLessThan(60);
      const statuses = new Map<number, number>();
      for (let i = 0; i < 1500; i += 50) {
        const answers = await Promise.all(Array.from({ length: 50 }, (_, j) => call(t, 'POST', '/integration', { body: { type: 'GITHUB', pat: 'p' }, headers: { 'x-mock-session': `writer-${i + j}` } })));
        for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      }
      expect(Object.fromEntries(statuses)).toEqual({ 200: 1000, 507: 500 });
      expect((await call(t, 'POST', '/__mock/reset?all=true')).status).toBe(200);
      expect((await call(t, 'POST', '/integration', { body: { type: 'GITHUB', pat: 'p' }, headers: { 'x-mock-session': 'after-reset' } })).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
  });
});
