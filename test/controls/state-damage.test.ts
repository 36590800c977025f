// A damaged --state-file is never read in silence (issue 19, findings 5 and 7): every way the log or the
// snapshot can be damaged either starts with every acknowledged change or stops naming the file, the line
// and what is wrong; --repair true keeps what is valid and moves the rest aside; no id is handed out twice;
// a second opener in this process is refused; a file system that fails at start-up is one line.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app.js';
import { ConfigError, defaultConfig, type Config } from '../../src/config.js';
import { createApp, startGijMock } from '../../src/index.js';
import type { StateIo } from '../../src/mock/state-files.js';
import { seal } from '../../src/mock/state-records.js';
import { call } from '../helpers/http.js';
import { runCli } from '../helpers/run-cli.js';
import { ensureBuilt, exited, spawnServer } from '../helpers/spawn-server.js';
import { startTarget, type Target } from '../helpers/target.js';

const dir = mkdtempSync(join(tmpdir(), 'gij-mock-damage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const fresh = () => join(dir, `state-${++files}.json`);

// A fixed clock: the indexing clock then stays still, so each add is one log line (its discovery included).
const open = (file: string, extra: Partial<Config> = {}, deps: AppDeps = {}) =>
  startTarget({ ...defaultConfig, logLevel: 'silent', stateFile: file, clock: 1_700_000_000_000, ...extra }, deps);
type List = { integrations: Array<{ id: number; displayName: string }> };
const names = async (t: Target) => ((await call(t, 'GET', '/integration')).body as List).integrations.map((i) => i.displayName);

/** Starts on `file`, adds one GITLAB integration per name (each acknowledged), and closes; returns their ids. */
async function addAll(file: string, displayNames: string[]): Promise<number[]> {
  const t = await open(file);
  try {
    const ids: number[] = [];
    for (const displayName of displayNames) {
      const res = await call(t, 'POST', '/integration', { body: { type: 'GITLAB', pat: 'p', displayName } });
      expect(res.status).toBe(200);
      ids.push((res.body as { integration: { id: number } }).integration.id);
    }
    return ids;
  } finally {
    await t.close();
  }
}

/** The one problem a start on `file` is refused with (fails the test when it starts). */
async function refused(file: string, extra: Partial<Config> = {}, deps: AppDeps = {}): Promise<string> {
  let t: Target | undefined;
  try {
    t = await open(file, extra, deps);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const { problems } = e as ConfigError;
    expect(problems).toHaveLength(1);
    expect(problems[0]).not.toContain('\n');
    return problems[0]!;
  }
  const listed = await names(t);
  await t.close();
  throw new Error(`started on a damaged state file, holding ${JSON.stringify(listed)}`);
}

/** The log's lines (line 1 is its header; no trailing empty string). */
const logLines = (file: string) => readFileSync(`${file}.log`, 'utf8').split('\n').slice(0, -1);
const writeLog = (file: string, lines: string[], tail = '\n') => writeFileSync(`${file}.log`, lines.join('\n') + tail);

describe('a damaged change log stops start-up naming the file, the line and the damage', () => {
  it('a damaged last complete line (newline intact) is refused, not dropped', async () => {
    const file = fresh();
    await addAll(file, ['n1', 'n2', 'n3', 'n4', 'n5']);
    const lines = logLines(file);
    expect(lines).toHaveLength(6);
    lines[5] = lines[5]!.replace('"n5"', '"n6"');
    writeLog(file, lines);
    const problem = await refused(file);
    expect(problem).toContain(`${file}.log line 6: its sum does not match its content`);
    expect(problem).toContain('--repair true');
  });

  it('a deleted middle line is refused: the seq does not run on', async () => {
    const file = fresh();
    await addAll(file, ['n1', 'n2', 'n3', 'n4']);
    writeLog(file, logLines(file).filter((_, i) => i !== 2));
    expect(await refused(file)).toContain(`${file}.log line 3: seq 3 where 2 must follow`);
  });

  it('two swapped lines are refused', async () => {
    const file = fresh();
    await addAll(file, ['n1', 'n2', 'n3', 'n4']);
    const lines = logLines(file);
    [lines[2], lines[3]] = [lines[3]!, lines[2]!];
    writeLog(file, lines);
    expect(await refused(file)).toContain(`${file}.log line 3: seq 3 where 2 must follow`);
  });

  it('a whole, sealed line with a huge seq is refused', async () => {
    const file = fresh();
    await addAll(file, ['n1', 'n2']);
    writeLog(file, [...logLines(file), seal({ seq: 1e15, op: 'remove', session: 'default', id: 1 })]);
    expect(await refused(file)).toContain(`${file}.log line 4: seq 1000000000000000 where 3 must follow`);
  });

  it('NUL bytes in a line, or as a torn last line, are refused', async () => {
    const file = fresh();
    await addAll(file, ['n1', 'n2', 'n3']);
    const lines = logLines(file);
    writeLog(file, [...lines.slice(0, 2), '\0'.repeat(lines[2]!.length), lines[3]!]);
    expect(await refused(file)).toContain(`${file}.log line 3: holds NUL bytes`);
    writeLog(file, lines, `\n${'\0'.repeat(1038)}`);
    expect(await refused(file)).toContain(`${file}.log line 5: the last line, cut short, holds NUL bytes`);
  });

  it('a torn last record (no newline) is the one damage passed over: every acknowledged change starts', async () => {
    const file = fresh();
    await addAll(file, ['n1', 'n2']);
    const lines = logLines(file);
    writeLog(file, lines, `\n${seal({ seq: 3, op: 'remove', session: 'default', id: 1 }).slice(0, 30)}`);
    const t = await open(file);
    try {
      expect(await names(t)).toEqual(['n1', 'n2']);
    } finally {
      await t.close();
    }
  });
});

describe('--repair true keeps the valid part, moves the rest aside and never hands an id out twice', () => {
  it('a damaged last line: the changes before it start, the line is kept aside, the next add gets a new id', async () => {
    const file = fresh();
    // Each GITLAB add discovers two repositories (the default catalogue): they take the ids between.
    expect(await addAll(file, ['n1', 'n2', 'n3', 'n4', 'n5'])).toEqual([1, 4, 7, 10, 13]);
    const lines = logLines(file);
    const damaged = lines[5]!.replace('"n5"', '"n6"');
    writeLog(file, [...lines.slice(0, 5), damaged]);
    const notices: string[] = [];
    const t = await open(file, { repair: true }, { notice: (line) => notices.push(line) });
    try {
      expect(await names(t)).toEqual(['n1', 'n2', 'n3', 'n4']);
      // Ids 13 to 15 (n5 and its two repositories) were acknowledged once: none is handed out again.
      expect((await call(t, 'POST', '/integration', { body: { type: 'GITLAB', pat: 'p', displayName: 'after' } })).body).toMatchObject({ integration: { id: 16 } });
    } finally {
      await t.close();
    }
    expect(notices).toHaveLength(1);
    const aside = readdirSync(dir).filter((f) => f.startsWith(`${file.split('/').pop()}.log.damaged-`));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(`${damaged}\n`);
    expect(notices[0]).toContain(`${file}.log line 6 its sum does not match`);
    expect(notices[0]).toContain(join(dir, aside[0]!));
    // The repaired file starts without --repair, with everything the repaired server acknowledged.
    const again = await open(file);
    try { expect(await names(again)).toEqual(['n1', 'n2', 'n3', 'n4', 'after']); } finally { await again.close(); }
  });
});

describe('an empty or missing snapshot beside a log is read as the log says', () => {
  /** Two runs: a, b; restart (the snapshot then holds changes 1–2, the log continues after 2); c, d. */
  async function twoRuns(file: string) {
    await addAll(file, ['a', 'b']);
    await addAll(file, ['c', 'd']);
  }

  it('an emptied snapshot whose log continues after change 2 is refused, and so is the snapshot deleted', async () => {
    const file = fresh();
    await twoRuns(file);
    truncateSync(file, 0);
    expect(await refused(file)).toContain(`${file}.log line 1: the log continues after change 2, but the snapshot holds changes up to 0 only`);
    rmSync(file);
    expect(await refused(file)).toContain('changes 1 to 2 are in no file');
    // --repair true starts with what the log holds, and says what is missing.
    const notices: string[] = [];
    const t = await open(file, { repair: true }, { notice: (line) => notices.push(line) });
    try { expect(await names(t)).toEqual(['c', 'd']); } finally { await t.close(); }
    expect(notices).toEqual([expect.stringContaining('changes 1 to 2 are in no file')]);
  });

  it('an emptied snapshot whose log holds every change from the first starts with all of them', async () => {
    const file = fresh();
    await addAll(file, ['a', 'b']);
    truncateSync(file, 0);
    const t = await open(file);
    try { expect(await names(t)).toEqual(['a', 'b']); } finally { await t.close(); }
  });

  it('an empty snapshot and no log is refused', async () => {
    const file = fresh();
    writeFileSync(file, '');
    expect(await refused(file)).toContain('the file is empty and no log is beside it');
  });
});

describe('gij-mock-state/2 files (no sums) still load, and their seq must run on', () => {
  const put = (seq: number, id: number, displayName: string) =>
    JSON.stringify({ seq, op: 'put', session: 'default', integration: { id, initDate: 1, type: 'GITLAB', pat: '***', displayName } });
  const snapshot = '{"format":"gij-mock-state/2","seq":0}\n{"session":"default","nextId":1}\n';

  it('a /2 snapshot and log start with every change and are rewritten as /3', async () => {
    const file = fresh();
    writeFileSync(file, snapshot);
    writeLog(file, [put(1, 1, 'x'), put(2, 2, 'y')]);
    const t = await open(file);
    try { expect(await names(t)).toEqual(['x', 'y']); } finally { await t.close(); }
    expect(readFileSync(file, 'utf8')).toMatch(/^\{"format":"gij-mock-state\/3"/);
  });

  it('a /2 log with a huge seq, or a last line that is not JSON, is refused', async () => {
    const file = fresh();
    writeFileSync(file, snapshot);
    writeLog(file, [put(1, 1, 'x'), put(99_999_999_999, 2, 'y')]);
    expect(await refused(file)).toContain(`${file}.log line 2: seq 99999999999 where 2 must follow`);
    writeLog(file, [put(1, 1, 'x'), put(2, 2, 'y').slice(0, -3)]);
    expect(await refused(file)).toContain(`${file}.log line 2: not JSON`);
  });
});

describe('one writer per state file, in this process too', () => {
  it('a second startGijMock or createApp on a file in use here is refused naming the file; after close it opens again', async () => {
    const file = fresh();
    const first = await startGijMock({ stateFile: file });
    try {
      await expect(startGijMock({ stateFile: file })).rejects.toThrow(`--state-file ${file} is in use by this process (${process.pid})`);
      expect(() => createApp({ stateFile: file })).toThrow(ConfigError);
      expect(await first.setState({ integrations: [{ type: 'GITLAB', pat: 'p', displayName: 'only' }] } as never)).toMatchObject({ integrations: 1 });
    } finally {
      await first.close();
    }
    expect(existsSync(`${file}.lock`)).toBe(false);
    const again = await startGijMock({ stateFile: file });
    try {
      expect((await again.state()).integrations.map((i) => (i as { displayName?: string }).displayName)).toEqual(['only']);
    } finally {
      await again.close();
    }
    expect(readFileSync(`${file}.log`).includes(0)).toBe(false);
  });
});

describe('a file system that fails at start-up: one line saying what failed, the path and what to do', () => {
  const fault = (code: string) => () => { throw Object.assign(new Error(`${code}: simulated`), { code }); };
  const writeThrough: StateIo['write'] = (fd, data, position) => { for (let done = 0; done < data.length;) done += writeSync(fd, data, done, data.length - done, position + done); };

  it('ENOSPC in the start-up compaction (a restart on a full disk)', async () => {
    const file = fresh();
    await addAll(file, ['a']);
    const problem = await refused(file, {}, { stateIo: { write: fault('ENOSPC') } });
    expect(problem).toMatch(new RegExp(`^--state-file ${file}: cannot write the snapshot \\S+ \\(ENOSPC\\): the disk is full`));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // The disk recovered: nothing was lost.
    const t = await open(file, {}, { stateIo: { write: writeThrough } });
    try { expect(await names(t)).toEqual(['a']); } finally { await t.close(); }
  });

  it('EROFS removing a stale lock (a read-only file system with a lock left behind)', async () => {
    const file = fresh();
    writeFileSync(`${file}.lock`, '2147483646\n');
    expect(await refused(file, {}, { stateIo: { remove: fault('EROFS') } })).toBe(
      `--state-file ${file}: cannot remove the stale lock left by a process that is gone ${file}.lock (EROFS): the file system is read-only: put --state-file on a writable one`);
  });

  it('EACCES at start-up', async () => {
    expect(await refused(fresh(), {}, { stateIo: { fsync: fault('EACCES') } })).toMatch(/\(EACCES\): this user may not do that/);
  });

  it('a .lock that is a directory, a state file that is a directory, a log that is a directory', async () => {
    const lockDir = fresh();
    mkdirSync(`${lockDir}.lock`);
    expect(await refused(lockDir)).toBe(`--state-file ${lockDir}: its lock ${lockDir}.lock is not a file (a directory); remove it, or give gij-mock another file`);
    const stateDir = fresh();
    mkdirSync(stateDir);
    expect(await refused(stateDir)).toMatch(new RegExp(`^--state-file ${stateDir}: cannot read ${stateDir} \\(EISDIR\\): that path is a directory`));
    const logDir = fresh();
    mkdirSync(`${logDir}.log`);
    expect(await refused(logDir)).toMatch(new RegExp(`^--state-file ${logDir}: cannot read its log ${logDir}\\.log \\(EISDIR\\)`));
  });
});

describe('the command: exit 2 with one line, and --repair true says what it did on stderr', () => {
  it('a .lock that is a directory and a damaged log each exit 2 with one line; --repair true starts and prints what it kept aside', async () => {
    ensureBuilt();
    const locked = fresh();
    mkdirSync(`${locked}.lock`);
    const run = runCli(['--port', '0', '--state-file', locked]);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toBe(`gij-mock: --state-file ${locked}: its lock ${locked}.lock is not a file (a directory); remove it, or give gij-mock another file\n`);

    const file = fresh();
    await addAll(file, ['n1', 'n2']);
    const lines = logLines(file);
    writeLog(file, [lines[0]!, lines[2]!, lines[1]!]);
    const damaged = runCli(['--port', '0', '--state-file', file]);
    expect(await damaged.exited).toBe(2);
    expect(damaged.stderr()).toMatch(new RegExp(`^gij-mock: --state-file log ${file}\\.log line 2: seq 2 where 1 must follow[^\\n]*\\n$`));

    const repaired = await spawnServer(['--state-file', file, '--repair', 'true']);
    try {
      expect(repaired.stderr()).toMatch(new RegExp(`^gij-mock: --repair: ${file}\\.log line 2 seq 2 where 1 must follow.*moved the rest \\(\\d+ bytes\\) to ${file}\\.log\\.damaged-`));
      expect(repaired.stdout()).toMatch(/^gij-mock listening on /);
    } finally {
      repaired.child.kill('SIGTERM');
      await exited(repaired.child);
    }
  });
});
