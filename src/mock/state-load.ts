// Start-up reading of --state-file: the snapshot (or a gij-mock-state/1 or /2 file) and the change log, each
// problem reported as one ConfigError naming the file, the line or session entry and the rule. The only
// damage passed over in silence is a torn last log record (no newline: its write never finished, so it was
// never acknowledged); anything else is refused, or with --repair kept aside (see replayLog).
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { ConfigError } from '../config.js';
import { parseCatalogue } from '../host-catalogue.js';
import type { QueueSnapshot } from '../reindex-queue.js';
import { SESSION_NAME, type Change, type SessionChange, type SessionStores } from '../sessions.js';
import type { StoreSnapshot } from '../store.js';
import { nodeIo, readLines } from './state-files.js';
import { LOG_FORMAT, SNAPSHOT_FORMAT, unseal } from './state-records.js';
import { fromStateDocument, repositorySections, StateError, type StateDocument } from './state.js';

/** Snapshots and logs written before every line carried a sum (read, never written). */
const UNSEALED_FORMAT = 'gij-mock-state/2';
const LEGACY_FORMAT = 'gij-mock-state/1';

const fail = (problems: string[]) => new ConfigError(problems);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function checkName(name: unknown, where: string): string {
  if (typeof name !== 'string' || !SESSION_NAME.test(name)) throw fail([`${where}: session name ${JSON.stringify(name)?.slice(0, 80)} must be 1 to 64 of A-Z a-z 0-9 . _ ~ -`]);
  return name;
}

function restore(doc: StateDocument, now: () => number, where: string): StoreSnapshot {
  try {
    return fromStateDocument(doc, now());
  } catch (e) {
    if (e instanceof StateError) throw fail(e.problems.map((p) => `${where}: ${p}`));
    throw e;
  }
}

/** The snapshot format named by the file's first line ('' when the file is not in JSON Lines: gij-mock-state/1). */
function snapshotFormat(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    const nl = head.subarray(0, n).indexOf(10);
    if (nl === -1) return '';
    const first = JSON.parse(head.subarray(0, nl).toString('utf8')) as unknown;
    return isObject(first) && (first.format === SNAPSHOT_FORMAT || first.format === UNSEALED_FORMAT) ? first.format : '';
  } catch {
    return '';
  } finally {
    closeSync(fd);
  }
}

/**
 * Loads the snapshot (or a gij-mock-state/1 file) into `sessions`; returns the last log seq it holds, or
 * 'empty' for a file of 0 bytes (the caller asks the log what the state is).
 */
export function loadSnapshot(path: string, sessions: SessionStores, now: () => number): number | 'empty' {
  const label = `--state-file ${path}`;
  if (statSync(path).size === 0) return 'empty';
  const format = snapshotFormat(path);
  if (!format) return loadLegacy(path, sessions, now);
  const sealed = format === SNAPSHOT_FORMAT;
  const docs = new Map<string, StateDocument>();
  let current: StateDocument | undefined;
  let seq = 0;
  let ended = false;
  const { torn } = readLines(path, ({ line, number }) => {
    let value: Record<string, unknown>;
    if (ended) throw fail([`${label} line ${number}: follows the end line (lines added?)`]);
    if (sealed) {
      const read = unseal(line);
      if ('problem' in read) throw fail([`${label} line ${number}: ${read.problem}`]);
      value = read.value;
    } else {
      let parsed: unknown;
      try { parsed = JSON.parse(line); } catch (e) { throw fail([`${label} line ${number}: not JSON (${(e as Error).message.slice(0, 100)})`]); }
      if (!isObject(parsed)) throw fail([`${label} line ${number}: must be a JSON object`]);
      value = parsed;
    }
    if (number === 1) {
      if (!Number.isSafeInteger(value.seq) || (value.seq as number) < 0) throw fail([`${label} line 1: seq must be a whole number ≥ 0`]);
      seq = value.seq as number;
      return;
    }
    if (sealed && 'end' in value) {
      // The count tells a snapshot whose lines were removed from a whole one.
      if (value.end !== number - 1) throw fail([`${label} line ${number}: the end line counts ${JSON.stringify(value.end)} lines before it, the file has ${number - 1} (lines removed or added)`]);
      ended = true;
    } else if ('session' in value) {
      const name = checkName(value.session, `${label} line ${number}`);
      if (docs.has(name)) throw fail([`${label} line ${number}: session ${name} appears twice`]);
      current = { nextId: value.nextId as number, integrations: [] };
      docs.set(name, current);
    } else if ('integration' in value && current) {
      current.integrations.push(value.integration as never);
    } else if ('repository' in value && current) {
      (current.repositories ??= []).push(value.repository as never);
    } else if ('hosts' in value && current) {
      current.hosts = value.hosts;
    } else if ('index' in value && current) {
      current.index = value.index as never;
    } else {
      throw fail([`${label} line ${number}: expected {"session", "nextId"}, {"integration"}, {"repository"}, {"hosts"} or {"index"} after a session line`]);
    }
  });
  if (torn) throw fail([`${label}: the last line is cut short (a snapshot is always written whole: was the file edited?)`]);
  if (sealed && !ended) throw fail([`${label}: has no end line (cut short, or lines removed at its end)`]);
  for (const [name, doc] of docs) sessions.load(name, restore(doc, now, `${label} session ${name}`));
  return seq;
}

/** A gij-mock-state/1 file: {"format": "gij-mock-state/1", "sessions": {name: StateDocument}} in one document. */
function loadLegacy(path: string, sessions: SessionStores, now: () => number): number {
  const label = `--state-file ${path}`;
  let file: unknown;
  // A legacy file is one document: it was a single string when it was written. A failed read is not a bad file.
  const text = readFileSync(path, 'utf8');
  try {
    file = JSON.parse(text);
  } catch (e) {
    throw fail([`${label}: not JSON (${(e as Error).message.slice(0, 100)}); a state file is what gij-mock wrote, or ${LEGACY_FORMAT}`]);
  }
  if (!isObject(file)) throw fail([`${label}: must be a JSON object, got ${file === null ? 'null' : Array.isArray(file) ? 'an array' : typeof file}`]);
  if (file.format !== LEGACY_FORMAT) throw fail([`${label}: format must be "${SNAPSHOT_FORMAT}" or "${LEGACY_FORMAT}", got ${JSON.stringify(file.format)?.slice(0, 60)}`]);
  if (!isObject(file.sessions)) throw fail([`${label}: sessions must be an object of session name → state`]);
  for (const [name, doc] of Object.entries(file.sessions)) {
    checkName(name, label);
    sessions.load(name, restore(doc as StateDocument, now, `${label} session ${name}`));
  }
  return 0;
}


/** Where the log stops being trustworthy: the damaged line, what is wrong, and the offset its good part ends at. */
export interface LogDamage { readonly line: number; readonly problem: string; readonly goodEnd: number; readonly lastSeq: number }

/** What a complete log line must start with: a record or the header (a torn tail must be a prefix of one). */
const STARTS = ['{"seq":', '{"format":'];

/**
 * Applies the log's changes after `seq` (the snapshot's). Every complete line must be whole (sealed lines:
 * their sum matches) and carry the next seq; the log's first change must follow on from the snapshot. A torn
 * last record is cut off. Any other damage throws a ConfigError naming the line, unless `keepDamage` is set:
 * then the changes before it are applied and the damage is returned (the caller keeps the rest aside).
 */
export function replayLog(logPath: string, seq: number, sessions: SessionStores, now: () => number, keepDamage = false): { lastSeq: number; damage?: LogDamage; missing?: { from: number; to: number } } {
  const label = `--state-file log ${logPath}`;
  let last = seq;
  let expected: number | undefined; // the seq the next record must carry
  let sealed = false;
  let goodEnd = 0;
  let damage: LogDamage | undefined;
  let missing: { from: number; to: number } | undefined;
  let lines = 0;
  const stop = (line: number, problem: string) => {
    if (!keepDamage) throw fail([`${label} line ${line}: ${problem}; start with --repair true to keep the changes before it and move the rest aside`]);
    damage = { line, problem, goodEnd, lastSeq: last };
  };
  const { end, torn } = readLines(logPath, ({ line, number, end: lineEnd }) => {
    lines = number;
    if (damage) return;
    let value: Record<string, unknown>;
    if (number === 1 && line.startsWith('{"format":')) sealed = true;
    if (sealed) {
      const read = unseal(line);
      if ('problem' in read) return stop(number, read.problem);
      value = read.value;
    } else {
      let parsed: unknown;
      try { parsed = JSON.parse(line); } catch (e) { return stop(number, `not JSON (${(e as Error).message.slice(0, 100)})`); }
      if (!isObject(parsed)) return stop(number, 'must be a JSON object');
      value = parsed;
    }
    if (number === 1) {
      // Sealed logs name the seq they continue from; a gij-mock-state/2 log starts with its first change.
      const after = sealed ? value.after : (value.seq as number) - 1;
      if (sealed && value.format !== LOG_FORMAT) return stop(1, `format must be "${LOG_FORMAT}", got ${JSON.stringify(value.format)?.slice(0, 60)}`);
      if (!Number.isSafeInteger(after) || (after as number) < 0) return stop(1, 'must start with a whole-number seq');
      if ((after as number) > seq) {
        if (!keepDamage) throw fail([`${label} line 1: the log continues after change ${after as number}, but the snapshot holds changes up to ${seq} only: changes ${seq + 1} to ${after as number} are in no file (was the snapshot deleted or emptied?); start with --repair true to start from what the log holds`]);
        last = after as number; // --repair: what the log holds, on top of what the snapshot held
        missing = { from: seq + 1, to: after as number };
      }
      expected = (after as number) + 1;
      if (sealed) { goodEnd = lineEnd; return; }
    }
    if (value.seq !== expected) {
      return stop(number, `seq ${JSON.stringify(value.seq)?.slice(0, 30)} where ${expected} must follow (a line removed, moved or edited)`);
    }
    if ((value.seq as number) <= last) {
      // Already in the snapshot: not decoded against it (a later state, where a repository's integration may be gone).
      expected!++;
      goodEnd = lineEnd;
      return;
    }
    let change: Change;
    try {
      change = decodeChange(value, now, `${label} line ${number}`, sessions).change;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      return stop(number, (e.problems[0] ?? e.message).replace(`${label} line ${number}: `, ''));
    }
    expected!++;
    goodEnd = lineEnd;
    if ((value.seq as number) <= last) return;
    last = value.seq as number;
    sessions.apply(change);
  });
  if (!damage && torn) {
    // The bytes after the last newline: a record whose write never finished, or damage that only looks torn.
    const tail = readTail(logPath, end);
    if (tail.includes(0)) stop(lines + 1, 'the last line, cut short, holds NUL bytes');
    else if (!STARTS.some((start) => tail.toString('utf8', 0, start.length) === start.slice(0, Math.min(start.length, tail.length)))) stop(lines + 1, 'the last line, cut short, is not the start of a record');
  }
  if (!damage && (torn || goodEnd < end)) {
    const fd = openSync(logPath, 'r+');
    try { nodeIo.truncate(fd, goodEnd); nodeIo.fsync(fd); } finally { closeSync(fd); }
  }
  return { lastSeq: last, damage, missing };
}

function readTail(path: string, from: number): Buffer {
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  try {
    const tail = Buffer.alloc(size - from);
    for (let n = 0; n < tail.length;) n += readSync(fd, tail, n, tail.length - n, from + n) || tail.length;
    return tail;
  } finally {
    closeSync(fd);
  }
}

function decodeChange(value: unknown, now: () => number, where: string, sessions: SessionStores): { seq: number; change: Change } {
  if (!isObject(value) || !Number.isSafeInteger(value.seq)) throw fail([`${where}: must be an object with a whole-number seq`]);
  const seq = value.seq as number;
  const session = () => checkName(value.session, where);
  switch (value.op) {
    case 'reset': return { seq, change: { op: 'reset', session: session() } };
    case 'resetAll': return { seq, change: { op: 'resetAll' } };
    case 'import': {
      const { seq: _seq, op: _op, session: _session, ...doc } = value;
      return { seq, change: { op: 'import', session: session(), snapshot: restore(doc as unknown as StateDocument, now, where) } };
    }
    case 'batch': {
      if (!Array.isArray(value.changes)) throw fail([`${where}: changes must be an array`]);
      const name = session();
      // An integration put earlier in the same batch is a parent its repositories may name.
      const added = new Set<number>();
      const changes = value.changes.map((c: unknown, i: number) => {
        const change = decodeSessionChange(c, name, now, `${where} changes[${i}]`, sessions, added);
        if (change.op === 'put') added.add(change.record.id);
        return change;
      });
      return { seq, change: { op: 'batch', session: name, changes } };
    }
    default: return { seq, change: decodeSessionChange(value, session(), now, where, sessions) };
  }
}

/** One change of a session, as encodeSessionChange wrote it. A repository is checked against the session's integrations. */
function decodeSessionChange(value: unknown, session: string, now: () => number, where: string, sessions: SessionStores, added: ReadonlySet<number> = new Set()): SessionChange {
  if (!isObject(value)) throw fail([`${where}: must be an object`]);
  const id = () => {
    if (!Number.isInteger(value.id)) throw fail([`${where}: id must be an integer`]);
    return value.id as number;
  };
  switch (value.op) {
    case 'put': return { op: 'put', session, record: restore({ integrations: [value.integration as never] }, now, where).integrations[0]! };
    case 'remove': return { op: 'remove', session, id: id() };
    case 'removeRepository': return { op: 'removeRepository', session, id: id() };
    case 'putRepository': {
      // Its parent is checked against the session as the log has built it so far.
      const ids = new Set([...sessions.read(session).records().map((r) => r.id), ...added]);
      const checked = repositorySections({ repositories: [value.repository as never] }, ids);
      if (!checked.snapshot) throw fail(checked.problems.map((p) => `${where}: ${p}`));
      return { op: 'putRepository', session, record: checked.snapshot.repositories[0]! };
    }
    case 'hosts': {
      if (value.hosts === null) return { op: 'hosts', session, catalogue: undefined };
      const parsed = parseCatalogue(value.hosts);
      if ('problems' in parsed) throw fail(parsed.problems.map((p) => `${where}: hosts: ${p}`));
      return { op: 'hosts', session, catalogue: parsed.catalogue };
    }
    case 'index': return { op: 'index', session, queue: value.index as QueueSnapshot };
    default: throw fail([`${where}: op must be put, remove, putRepository, removeRepository, hosts, index, batch, reset, resetAll or import`]);
  }
}
