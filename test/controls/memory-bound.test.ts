// --max-state-bytes: one bound on the bytes all sessions hold together, checked before a change is made
// and freed by reset; --max-sessions never refuses the default session or a session that has a store.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../../src/config.js';
import { SessionStores, type Change } from '../../src/sessions.js';
import { recordBytes } from '../../src/store.js';
import { call } from '../helpers/http.js';
import { startTarget, type Target } from '../helpers/target.js';

const MiB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'gij-mock-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let t: Target | undefined;
afterEach(async () => { await t?.close(); t = undefined; });
// A fixed clock keeps the indexing clock still: the bytes discovery queues are not freed between two requests.
const start = async (overrides: Partial<Config> = {}) => (t = await startTarget({ ...defaultConfig, logLevel: 'silent', clock: 1_700_000_000_000, ...overrides }));
const as = (session: string) => ({ headers: { 'x-mock-session': session } });
const envelope = { success: false, error: expect.any(String), advice: expect.any(String) };

// ~2.3 KB stored per entry: 400 entries are ~0.9 MiB, so two such imports fit in 2 MiB and a third does not.
const entry = (i: number) => ({ type: 'GITLAB', pat: 'p', displayName: `${i}-${'x'.repeat(1990)}` });
const bigState = { integrations: Array.from({ length: 400 }, (_, i) => entry(i)) };
const count = async (target: Target, session: string) => ((await call(target, 'GET', '/__mock/state', as(session))).body as { integrations: unknown[] }).integrations.length;

describe('--max-state-bytes', () => {
  it('an import past the bound answers 507 naming the flag and changes nothing; a reset frees its bytes', async () => {
    const target = await start({ maxStateBytes: 2 * MiB });
    for (const s of ['a', 'b']) expect((await call(target, 'PUT', '/__mock/state', { body: bigState, ...as(s) })).status).toBe(200);
    const refused = await call(target, 'PUT', '/__mock/state', { body: bigState, ...as('c') });
    expect(refused).toMatchObject({ status: 507, body: { ...envelope, error: expect.stringMatching(/--max-state-bytes/) } });
    expect(await count(target, 'c')).toBe(0);
    // Replacing a session's state with one of the same size needs no more bytes: admitted.
    expect((await call(target, 'PUT', '/__mock/state', { body: bigState, ...as('a') })).status).toBe(200);
    await call(target, 'POST', '/__mock/reset', as('a'));
    expect((await call(target, 'PUT', '/__mock/state', { body: bigState, ...as('c') })).status).toBe(200);
    expect(await count(target, 'c')).toBe(400);
    expect((await call(target, 'POST', '/__mock/reset?all=true', as('default'))).status).toBe(200);
    for (const s of ['d', 'e']) expect((await call(target, 'PUT', '/__mock/state', { body: bigState, ...as(s) })).status).toBe(200);
  });

  it('adds and updates past the bound answer 507 and store nothing; a change that shrinks and a remove are admitted and free room', async () => {
    const target = await start({ maxStateBytes: 2 * MiB });
    for (const s of ['a', 'b']) await call(target, 'PUT', '/__mock/state', { body: bigState, ...as(s) });
    // Filled with big adds, then small ones: what is left is less than one small integration (~200 bytes).
    let lastSmall = 0;
    for (const body of [entry(1000), { type: 'GITLAB', pat: 'p', displayName: 's' }]) {
      const statuses: number[] = [];
      for (let i = 0; i < 1000 && statuses.at(-1) !== 507; i++) {
        const res = await call(target, 'POST', '/integration', { body, ...as('b') });
        statuses.push(res.status);
        if (res.status === 200) lastSmall = (res.body as { integration: { id: number } }).integration.id;
      }
      expect(statuses.at(-1)).toBe(507);
      expect(statuses.slice(0, -1).every((s) => s === 200)).toBe(true);
    }
    const before = await count(target, 'b');
    const refused = await call(target, 'POST', '/integration', { body: entry(9999), ...as('default') });
    expect(refused).toMatchObject({ status: 507, body: { ...envelope, error: expect.stringMatching(/--max-state-bytes/) } });
    expect(await count(target, 'b')).toBe(before);
    expect(await count(target, 'default')).toBe(0);
    // Growing a small integration to a 2,000-character name needs more than is left: refused, unchanged.
    expect((await call(target, 'PUT', `/integration/${lastSmall}`, { body: { displayName: 'y'.repeat(2000) }, ...as('b') })).status).toBe(507);
    expect((await call(target, 'GET', `/integration/${lastSmall}`, as('b'))).body).toMatchObject({ integration: [{ displayName: 's' }] });
    // Shrinking a big one is admitted even though the bound is reached; so is a remove; both free room.
    expect((await call(target, 'PUT', '/integration/1', { body: { displayName: 'short' }, ...as('a') })).status).toBe(200);
    expect((await call(target, 'DELETE', '/integration/2', as('a'))).status).toBe(200);
    expect((await call(target, 'POST', '/integration', { body: entry(9999), ...as('default') })).status).toBe(200);
  });

  it('with --state-file a refused change writes nothing to the log', async () => {
    const stateFile = join(dir, 'bound.json');
    const target = await start({ maxStateBytes: 2 * MiB, stateFile });
    for (const s of ['a', 'b']) await call(target, 'PUT', '/__mock/state', { body: bigState, ...as(s) });
    const before = statSync(`${stateFile}.log`).size;
    expect((await call(target, 'PUT', '/__mock/state', { body: bigState, ...as('c') })).status).toBe(507);
    expect(statSync(`${stateFile}.log`).size).toBe(before);
  });

  it('a state file holding more than the bound starts with all of it, warns, and takes only changes that free bytes', async () => {
    const stateFile = join(dir, 'over.json');
    const first = await start({ maxStateBytes: 2 * MiB, stateFile });
    for (const s of ['a', 'b']) expect((await call(first, 'PUT', '/__mock/state', { body: bigState, ...as(s) })).status).toBe(200);
    await first.close();
    const target = await start({ maxStateBytes: MiB, stateFile, logLevel: 'warn' });
    expect(target.logLines.join('\n')).toMatch(/more than --max-state-bytes/);
    for (const s of ['a', 'b']) expect(await count(target, s)).toBe(400);
    expect((await call(target, 'POST', '/integration', { body: entry(1), ...as('a') })).status).toBe(507);
    expect((await call(target, 'DELETE', '/integration/1', as('a'))).status).toBe(200);
    await call(target, 'POST', '/__mock/reset', as('b'));
    expect((await call(target, 'POST', '/integration', { body: entry(1), ...as('a') })).status).toBe(200);
  });

  it('the byte count equals the sum of what the stores hold after every kind of change', () => {
    const sessions = new SessionStores();
    const record = (id: number, name: string) => ({ id, initDate: 1, fields: { type: 'GITLAB', displayName: name } }) as never;
    const held = () => sessions.entries().reduce((sum, [, store]) => sum + store.records().reduce((n, r) => n + recordBytes(r), 0), 0);
    const changes: Change[] = [
      { op: 'put', session: 'a', record: record(1, 'one') },
      { op: 'put', session: 'a', record: record(1, 'one, longer') },
      { op: 'put', session: 'b', record: record(7, 'seven') },
      { op: 'import', session: 'a', snapshot: { nextId: 5, integrations: [record(2, 'two'), record(4, 'four')] } },
      { op: 'remove', session: 'a', id: 4 },
      { op: 'remove', session: 'a', id: 99 },
      { op: 'reset', session: 'b' },
      { op: 'put', session: 'c', record: record(1, 'c') },
      { op: 'resetAll' },
      { op: 'put', session: 'default', record: record(3, 'three') },
    ];
    for (const change of changes) {
      const expected = sessions.bytes + sessions.growth(change);
      sessions.apply(change);
      expect(sessions.bytes, change.op).toBe(held());
      expect(sessions.bytes, change.op).toBe(expected);
    }
    expect(sessions.bytes).toBeGreaterThan(0);
  });
});

describe('--max-sessions refuses only a new named session', () => {
  it('after one client fills every session store, the default session and existing sessions are still served', async () => {
    const target = await start({ maxSessions: 3 });
    const flood = await Promise.all(Array.from({ length: 20 }, (_, i) => call(target, 'PUT', '/__mock/state', { body: { integrations: [entry(i)] }, ...as(`flood-${i}`) })));
    expect(flood.filter((r) => r.status === 200)).toHaveLength(3);
    expect(flood.filter((r) => r.status === 507).every((r) => /--max-sessions/.test((r.body as { error: string }).error))).toBe(true);
    // The default session was never used: its first change creates its store and is still answered.
    expect((await call(target, 'POST', '/integration', { body: entry(100) })).status).toBe(200);
    expect((await call(target, 'PUT', '/__mock/state', { body: { integrations: [entry(101)] } })).status).toBe(200);
    const existing = flood.findIndex((r) => r.status === 200);
    expect((await call(target, 'POST', '/integration', { body: entry(102), ...as(`flood-${existing}`) })).status).toBe(200);
    expect((await call(target, 'POST', '/integration', { body: entry(103), ...as('newcomer') })).status).toBe(507);
  });
});
