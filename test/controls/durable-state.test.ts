// --state-file as users run it (the built server as a child process): restart restores every acknowledged
// change, a SIGKILL at a random moment loses none, a torn log line and left-over temp files are cleaned,
// and a bad state or seed file stops start-up with one message and exit 2.
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call } from '../helpers/http.js';
import { runCli } from '../helpers/run-cli.js';
import { ensureBuilt, exited, spawnServer, type Spawned } from '../helpers/spawn-server.js';
import type { Target } from '../helpers/target.js';
import { killRounds } from '../helpers/kill-rounds.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('gij-mock-durable-');
const remote = (baseUrl: string): Target => ({ baseUrl, admin: `Basic ${Buffer.from('admin:admin').toString('base64')}`, remote: true, logLines: [], close: async () => {} });
const stop = async (s: Spawned) => { s.child.kill('SIGTERM'); await exited(s.child); };
const tfsWithPat = { type: 'TFS_SERVER', origin: 'http://tfs.example', username: 'all', pat: 'tfs-secret', displayName: 'tfs' };

async function withServer<T>(args: string[], body: (t: Target) => Promise<T>): Promise<T> {
  const server = await spawnServer(args);
  try { return await body(remote(server.baseUrl)); } finally { await stop(server); }
}

/** Runs the built server expecting it to stop at start-up; returns its exit code and stderr. */
async function startFails(args: string[]): Promise<{ code: number | null; stderr: string }> {
  ensureBuilt();
  const run = runCli(['--port', '0', ...args]);
  run.child.stdout!.on('data', () => { if (/listening on/.test(run.stdout())) run.child.kill('SIGKILL'); });
  return { code: await run.exited, stderr: run.stderr() };
}

describe('--state-file restart', () => {
  it('a TFS_SERVER with username "all" and a pat, and sessions named __proto__ and constructor, survive a restart identically', async () => {
    const file = join(dir, 'restart.json');
    const sessions = ['default', '__proto__', 'constructor'];
    const before = await withServer(['--state-file', file], async (t) => {
      const lists: unknown[] = [];
      for (const s of sessions) {
        const added = await call(t, 'POST', '/integration', { body: tfsWithPat, headers: { 'x-mock-session': s } });
        expect(added.status).toBe(200);
        lists.push((await call(t, 'GET', '/integration', { headers: { 'x-mock-session': s } })).body);
      }
      return lists;
    });
    expect(readFileSync(file, 'utf8') + readFileSync(`${file}.log`, 'utf8')).not.toContain('tfs-secret');
    await withServer(['--state-file', file], async (t) => {
      for (const [i, s] of sessions.entries()) expect((await call(t, 'GET', '/integration', { headers: { 'x-mock-session': s } })).body).toEqual(before[i]);
      // The restored integration still passes the rules: it can be changed and exported → imported.
      expect((await call(t, 'PUT', '/integration/1', { body: { displayName: 'renamed' } })).status).toBe(200);
      const exported = (await call(t, 'GET', '/__mock/state')).body as Record<string, unknown>;
      expect(JSON.stringify(exported)).not.toContain('tfs-secret');
      expect((await call(t, 'PUT', '/__mock/state', { body: exported, headers: { 'x-mock-session': 'copy' } })).status).toBe(200);
      expect((await call(t, 'GET', '/__mock/state', { headers: { 'x-mock-session': 'copy' } })).body).toEqual(exported);
    });
  });

  it('a torn last log line is ignored and cut off; temp files a crash left are removed; every complete line is kept', async () => {
    const file = join(dir, 'torn.json');
    await withServer(['--state-file', file], async (t) => {
      for (const name of ['a', 'b']) expect((await call(t, 'POST', '/integration', { body: { type: 'GITLAB', pat: 'p', displayName: name } })).status).toBe(200);
    });
    // Two changes in the log (a SIGTERM does not compact), then half of a third, and a crashed writer's temp file.
    const goodLength = statSync(`${file}.log`).size;
    appendFileSync(`${file}.log`, '{"seq":3,"op":"put","session":"default","integ');
    writeFileSync(`${file}.4242.tmp`, '{"format":"gij-mock-state/2"');
    await withServer(['--state-file', file], async (t) => {
      const list = (await call(t, 'GET', '/integration')).body as { integrations: Array<{ displayName: string }> };
      expect(list.integrations.map((i) => i.displayName)).toEqual(['a', 'b']);
    });
    expect(goodLength).toBeGreaterThan(0);
    expect(existsSync(`${file}.4242.tmp`)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('--state-file of an earlier version', () => {
  it('a gij-mock-state/1 file holding a TFS_SERVER pat with username written as "***" starts and is rewritten as gij-mock-state/3', async () => {
    const file = join(dir, 'v1.json');
    const entry = { id: 4, initDate: 5, type: 'TFS_SERVER', origin: 'http://tfs.example', username: '***', pat: '***', displayName: 'old' };
    writeFileSync(file, JSON.stringify({ format: 'gij-mock-state/1', sessions: { default: { nextId: 9, integrations: [entry] } } }));
    await withServer(['--state-file', file], async (t) => {
      expect((await call(t, 'GET', '/integration/4')).body).toMatchObject({ integration: [{ id: 4, displayName: 'old', initDate: 5 }] });
      expect((await call(t, 'POST', '/integration', { body: { type: 'GITLAB', pat: 'p' } })).body).toMatchObject({ integration: { id: 9 } });
    });
    expect(readFileSync(file, 'utf8').split('\n', 1)[0]).toMatch(/^\{"format":"gij-mock-state\/3"/);
  });
});

describe('--state-file SIGKILL at random moments', () => {
  it('every acknowledged add and remove is there after each kill -9, and nothing unacknowledged beyond the requests in flight', async () => {
    const seed = Number(process.env.GIJ_KILL_SEED ?? Date.now() % 2 ** 31);
    console.log(`kill -9 rounds: seed ${seed} (replay with GIJ_KILL_SEED=${seed})`);
    await killRounds({ file: join(dir, 'killed.json'), rounds: 2, seed });
  });

  it('with ~110 KB adds, so that kills land while the log is compacted between requests, none is lost either', async () => {
    const seed = Number(process.env.GIJ_KILL_SEED ?? Date.now() % 2 ** 31);
    console.log(`kill -9 rounds while compacting: seed ${seed} (replay with GIJ_KILL_SEED=${seed})`);
    // 45 acks of ~110 KB: the log passes 4 MiB in the first round. Restarts replay MBs: a longer bound than the default.
    await killRounds({ file: join(dir, 'killed-compacting.json'), rounds: 2, seed, minAcks: 45, projectIds: 10_000 });
  }, 120_000);
});

describe('start-up with a bad --state-file or --seed', () => {
  const cases: Array<{ name: string; content: string; flag: '--state-file' | '--seed'; message: RegExp }> = [
    { name: 'empty state file', flag: '--state-file', content: '', message: /empty/ },
    { name: 'truncated state file', flag: '--state-file', content: '{"format":"gij-mock-state/1","sess', message: /not JSON/ },
    { name: 'state file null', flag: '--state-file', content: 'null', message: /must be a JSON object, got null/ },
    { name: 'state file with an unknown format', flag: '--state-file', content: '{"format":"gij-mock-state/9","sessions":{}}', message: /format must be/ },
    { name: 'state file with sessions as an array', flag: '--state-file', content: '{"format":"gij-mock-state/1","sessions":[]}', message: /sessions must be an object/ },
    { name: 'state file with an invalid session name', flag: '--state-file', content: '{"format":"gij-mock-state/1","sessions":{"a b":{"integrations":[]}}}', message: /session name "a b" must be/ },
    { name: 'state file with a rule-breaking entry', flag: '--state-file', content: '{"format":"gij-mock-state/2","seq":0}\n{"session":"s1","nextId":1}\n{"integration":{"type":"AWS","username":"u","password":"p"}}\n', message: /session s1: integrations\[0\]: awsRegion is required when type is AWS/ },
    { name: 'empty seed', flag: '--seed', content: '', message: /cannot read .* as JSON/ },
    { name: 'seed null', flag: '--seed', content: 'null', message: /"integrations" array/ },
    { name: 'seed without integrations', flag: '--seed', content: '{}', message: /"integrations" array/ },
  ];
  for (const c of cases) {
    it(`${c.flag} ${c.name} exits 2 with one message naming the file and the rule, no stack trace`, async () => {
      const file = join(dir, `bad-${c.name.replace(/\W+/g, '-')}.json`);
      writeFileSync(file, c.content);
      const { code, stderr } = await startFails([c.flag, file]);
      expect(code).toBe(2);
      expect(stderr).toContain(file);
      expect(stderr).toMatch(c.message);
      expect(stderr).not.toMatch(/\n\s+at /);
    });
  }
});
