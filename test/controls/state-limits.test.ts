// Bounds on what clients can make the server hold, each answered with a documented status and the envelope:
// ids, sessions, integrations per session, state imports and their problem lists, a disk that fails.
import { readFileSync, writeSync as writeSyncImpl } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultConfig, type Config } from '../../src/config.js';
import type { StateIo } from '../../src/mock/state-files.js';
import { expectContract } from '../helpers/contract.js';
import { call } from '../helpers/http.js';
import { startTarget, type Target } from '../helpers/target.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('gij-mock-limits-');
const gitlab = (displayName: string) => ({ type: 'GITLAB', pat: 'p', displayName });
let t: Target | undefined;
afterEach(async () => { await t?.close(); t = undefined; });
// A fixed clock keeps the indexing clock still: each add (its discovery included) is one log line.
const CLOCK = 1_700_000_000_000;
const start = async (overrides: Partial<Config> = {}, io?: Partial<StateIo>) => (t = await startTarget({ ...defaultConfig, logLevel: 'silent', clock: CLOCK, ...overrides }, io ? { stateIo: io } : {}));
const names = async (target: Target, session = 'default') =>
  ((await call(target, 'GET', '/integration', { headers: { 'x-mock-session': session } })).body as { integrations: Array<{ displayName: string }> }).integrations.map((i) => i.displayName);
const envelope = { success: false, error: expect.any(String), advice: expect.any(String) };

describe('ids stay within 1…2147483647', () => {
  it('POST /integration after an import holding id 2147483647 responds 507 and stores nothing', async () => {
    const target = await start();
    expect((await call(target, 'PUT', '/__mock/state', { body: { integrations: [{ id: 2147483647, ...gitlab('last') }] } })).status).toBe(200);
    const res = await call(target, 'POST', '/integration', { body: gitlab('overflow') });
    expect(res).toMatchObject({ status: 507, body: { ...envelope, error: expect.stringMatching(/No id is left/) } });
    expect(await names(target)).toEqual(['last']);
    expect((await call(target, 'GET', '/integration/2147483647')).status).toBe(200);
  });
  it('GET /__mock/state of a full store round-trips through PUT /__mock/state (nextId 2147483648)', async () => {
    const target = await start();
    await call(target, 'PUT', '/__mock/state', { body: { integrations: [{ id: 2147483647, ...gitlab('last') }] } });
    const exported = (await call(target, 'GET', '/__mock/state')).body as Record<string, unknown>;
    expect(exported.nextId).toBe(2147483648);
    expect((await call(target, 'PUT', '/__mock/state', { body: exported, headers: { 'x-mock-session': 'copy' } })).status).toBe(200);
    expect((await call(target, 'GET', '/__mock/state', { headers: { 'x-mock-session': 'copy' } })).body).toEqual(exported);
  });
  it('PUT /__mock/state with nextId or an id past the range responds 400 naming the field', async () => {
    const target = await start();
    const bigNext = await call(target, 'PUT', '/__mock/state', { body: { nextId: 2147483649, integrations: [] } });
    expect(bigNext).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^nextId must be an integer from 1 to 2147483648/) } });
    const bigId = await call(target, 'PUT', '/__mock/state', { body: { integrations: [{ id: 2147483648, ...gitlab('x') }] } });
    expect(bigId).toMatchObject({ status: 400, body: { error: expect.stringMatching(/integrations\[0\]\.id must be an integer from 1 to 2147483647/) } });
    const noRoom = await call(target, 'PUT', '/__mock/state', { body: { integrations: [{ id: 2147483647, ...gitlab('a') }, gitlab('b')] } });
    expect(noRoom).toMatchObject({ status: 400, body: { error: expect.stringMatching(/integrations\[1\] has no id and every id up to 2147483647 is taken/) } });
  });
});

describe('--max-sessions and --max-integrations', () => {
  it('reads of any number of unknown sessions create no store; the change that needs one past --max-sessions responds 507; a reset frees one', async () => {
    const target = await start({ maxSessions: 2 });
    for (let i = 0; i < 20; i++) {
      expect((await call(target, 'GET', '/__mock/state', { headers: { 'x-mock-session': `reader-${i}` } })).status).toBe(200);
      expect((await call(target, 'GET', '/integration', { headers: { 'x-mock-session': `reader-${i}` } })).status).toBe(200);
    }
    for (const s of ['s1', 's2']) expect((await call(target, 'POST', '/integration', { body: gitlab(s), headers: { 'x-mock-session': s } })).status).toBe(200);
    const refused = await call(target, 'POST', '/integration', { body: gitlab('s3'), headers: { 'x-mock-session': 's3' } });
    expect(refused).toMatchObject({ status: 507, body: { ...envelope, error: expect.stringMatching(/--max-sessions/) } });
    expect((await call(target, 'PUT', '/__mock/state', { body: { integrations: [] }, headers: { 'x-mock-session': 's3' } })).status).toBe(507);
    expect((await call(target, 'POST', '/integration', { body: gitlab('more'), headers: { 'x-mock-session': 's1' } })).status).toBe(200);
    await call(target, 'POST', '/__mock/reset', { headers: { 'x-mock-session': 's2' } });
    expect((await call(target, 'POST', '/integration', { body: gitlab('s3'), headers: { 'x-mock-session': 's3' } })).status).toBe(200);
    expect(await names(target, 's3')).toEqual(['s3']);
  });
  it('POST /integration past --max-integrations responds 507 and stores nothing; an import larger than it responds 400', async () => {
    const target = await start({ maxIntegrations: 3 });
    for (const n of ['a', 'b', 'c']) expect((await call(target, 'POST', '/integration', { body: gitlab(n) })).status).toBe(200);
    expect(await call(target, 'POST', '/integration', { body: gitlab('d') })).toMatchObject({ status: 507, body: { error: expect.stringMatching(/already holds 3 integrations/) } });
    expect(await names(target)).toEqual(['a', 'b', 'c']);
    const tooMany = await call(target, 'PUT', '/__mock/state', { body: { integrations: ['a', 'b', 'c', 'd'].map(gitlab) } });
    expect(tooMany).toMatchObject({ status: 400, body: { error: 'integrations has more than 3 entries; a session holds at most 3 (--max-integrations)' } });
  });
});

describe('PUT /__mock/state bounds', () => {
  it('an import of 5,000 bad entries responds 400 listing the first --max-problems and counting the rest', async () => {
    const target = await start();
    const res = await call(target, 'PUT', '/__mock/state', { body: { integrations: Array.from({ length: 5000 }, () => 1) } });
    expect(res.status).toBe(400);
    const error = (res.body as { error: string }).error;
    expect(error.split('; ')).toHaveLength(21);
    expect(error).toMatch(/^integrations\[0\] must be an object; .*integrations\[19\] must be an object; and 4980 more problems$/);
  });
  it('an import of 2 million entries is refused with one sentence before any entry is checked (33 million: npm run test:soak)', async () => {
    const target = await start();
    const body = `{"integrations":[${'1,'.repeat(2_000_000)}1]}`;
    const res = await call(target, 'PUT', '/__mock/state', { rawBody: body, headers: { 'content-type': 'application/json' } });
    expect(res).toMatchObject({ status: 400, body: { error: 'integrations has more than 10000 entries; a session holds at most 10000 (--max-integrations)' } });
  });
  it('an import body over --state-limit responds 413 naming that limit', async () => {
    const target = await start({ stateLimitBytes: 1000 });
    const res = await call(target, 'PUT', '/__mock/state', { body: { integrations: Array.from({ length: 40 }, (_, i) => gitlab(`n${i}`)) } });
    expect(res).toMatchObject({ status: 413, body: { ...envelope, error: 'The request body is larger than 1000 bytes' } });
  });
});

describe('--state-file on a disk that fails', () => {
  it('a change whose write fails responds 507, changes nothing and uses no id; the next change after the disk recovers is kept', async () => {
    let failing = false;
    const io: Partial<StateIo> = {
      write: (fd, data, position) => {
        if (failing) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        for (let done = 0; done < data.length;) done += writeSyncImpl(fd, data, done, data.length - done, position + done);
      },
    };
    const file = join(dir, 'failing.json');
    const target = await start({ stateFile: file }, io);
    expect((await call(target, 'POST', '/integration', { body: gitlab('kept') })).status).toBe(200);
    failing = true;
    const cases: Array<[string, string, unknown, string | undefined]> = [
      ['POST', '/integration', gitlab('lost'), 'addIntegration'],
      ['PUT', '/integration/1', { displayName: 'renamed' }, 'updateIntegration'],
      ['PUT', '/repository/1/disable?disable=true', undefined, 'setIntegrationDisabled'],
      ['DELETE', '/integration/1', undefined, 'removeIntegration'],
      ['PUT', '/__mock/state', { integrations: [] }, undefined],
      ['POST', '/__mock/reset', undefined, undefined],
    ];
    for (const [method, path, body, operationId] of cases) {
      // Names the session under test explicitly (a tool needs no header to pass the cross-site guard).
      const res = await call(target, method, path, { headers: { 'x-mock-session': 'default' }, ...(body === undefined ? {} : { body }) });
      expect(res, `${method} ${path}`).toMatchObject({ status: 507, body: { ...envelope, error: expect.stringMatching(/could not be saved to the state file \(ENOSPC\)/) } });
      if (operationId) expectContract(operationId, res, 507);
    }
    const list = (await call(target, 'GET', '/integration')).body as { integrations: Array<{ id: number; displayName: string; disabled: boolean }> };
    expect(list.integrations).toMatchObject([{ id: 1, displayName: 'kept', disabled: false }]);
    failing = false;
    // Id 4: 'kept' (1) discovered two repositories (2, 3); the refused changes used none.
    expect((await call(target, 'POST', '/integration', { body: gitlab('after') })).body).toMatchObject({ integration: { id: 4 } });
    // One writer per state file, in this process too: the restart comes after the close.
    await target.close();
    t = undefined;
    const restarted = await startTarget({ ...defaultConfig, logLevel: 'silent', clock: CLOCK, stateFile: file });
    try {
      expect(await names(restarted)).toEqual(['kept', 'after']);
    } finally {
      await restarted.close();
    }
  });
});

describe('--state-file compaction while running', () => {
  it('changes answered while the snapshot is written land in the new log, and a restart has every one', async () => {
    const file = join(dir, 'compacted-busy.json');
    const target = await start({ stateFile: file });
    const projectMappingIds = Array.from({ length: 1000 }, (_, i) => 1_000_000_000 + i);
    const integrations = Array.from({ length: 450 }, (_, i) => ({ type: 'GITLAB', pat: 'p', displayName: `c${i}`, global: false, projectMappingIds }));
    // The import's commit starts the compaction; the adds sent as soon as it is answered are served between its slices.
    expect((await call(target, 'PUT', '/__mock/state', { body: { integrations } })).status).toBe(200);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => call(target, 'POST', '/integration', { body: gitlab(`during${i}`) })));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    // Done when the log starts after the import (change 1) and holds the 8 adds — whenever each was answered.
    await vi.waitFor(() => {
      const lines = readFileSync(`${file}.log`, 'utf8').split('\n');
      expect(lines[0]).toMatch(/^\{"format":"gij-mock-log\/3","after":1,/);
      expect(lines.slice(1, -1).map((l) => JSON.parse(l).seq)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    }, { timeout: 20_000, interval: 50 });
    await target.close();
    t = undefined;
    const restarted = await startTarget({ ...defaultConfig, logLevel: 'silent', clock: CLOCK, stateFile: file });
    try {
      expect((await names(restarted)).sort()).toEqual([...integrations.map((i) => i.displayName), ...Array.from({ length: 8 }, (_, i) => `during${i}`)].sort());
    } finally {
      await restarted.close();
    }
  });

  it('a change that grows the log past the snapshot and 4 MiB folds it into a new snapshot; a restart restores all of it', async () => {
    const file = join(dir, 'compacted.json');
    const target = await start({ stateFile: file });
    const projectMappingIds = Array.from({ length: 1000 }, (_, i) => 1_000_000_000 + i);
    const integrations = Array.from({ length: 450 }, (_, i) => ({ type: 'GITLAB', pat: 'p', displayName: `c${i}`, global: false, projectMappingIds }));
    expect((await call(target, 'PUT', '/__mock/state', { body: { integrations } })).status).toBe(200);
    // The compaction runs between requests: done when the log holds only its header, naming the change the snapshot ends with.
    await vi.waitFor(() => expect(readFileSync(`${file}.log`, 'utf8')).toMatch(/^\{"format":"gij-mock-log\/3","after":1,"sum":"[0-9a-f]{16}"\}\n$/), { timeout: 20_000, interval: 50 });
    expect(readFileSync(file, 'utf8').split('\n', 1)[0]).toMatch(/^\{"format":"gij-mock-state\/3","seq":1,"sum":"[0-9a-f]{16}"\}$/);
    expect((await call(target, 'POST', '/integration', { body: gitlab('after') })).status).toBe(200);
    expect(readFileSync(`${file}.log`, 'utf8')).toMatch(/^\{"format":"gij-mock-log\/3",[^\n]*\n\{"seq":2,"op":"batch",[^\n]*\n$/);
    await target.close();
    t = undefined;
    const restarted = await startTarget({ ...defaultConfig, logLevel: 'silent', clock: CLOCK, stateFile: file });
    try {
      expect(await names(restarted)).toEqual([...integrations.map((i) => i.displayName), 'after']);
    } finally {
      await restarted.close();
    }
  });
});
