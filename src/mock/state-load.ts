// Start-up reading of --state-file: the snapshot (or a gij-mock-state/1 file) and the change log, each
// problem reported as one ConfigError naming the file, the line or session entry and the rule.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { ConfigError } from '../config.js';
import { parseCatalogue } from '../host-catalogue.js';
import type { QueueSnapshot } from '../reindex-queue.js';
import { SESSION_NAME, type Change, type SessionChange, type SessionStores } from '../sessions.js';
import type { StoreSnapshot } from '../store.js';
import { nodeIo, readLines } from './state-files.js';
import { fromStateDocument, repositorySections, StateError, type StateDocument } from './state.js';

export const SNAPSHOT_FORMAT = 'gij-mock-state/2';
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

/** Whether the file starts with a gij-mock-state/2 header line (else it is read as one JSON document). */
function isSnapshot(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    const nl = head.subarray(0, n).indexOf(10);
    if (nl === -1) return false;
    const first = JSON.parse(head.subarray(0, nl).toString('utf8')) as unknown;
    return isObject(first) && first.format === SNAPSHOT_FORMAT;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** Loads the snapshot (or a gij-mock-state/1 file) into `sessions`; returns the last log seq it holds. */
export function loadSnapshot(path: string, sessions: SessionStores, now: () => number): number {
  const label = `--state-file ${path}`;
  if (statSync(path).size === 0) throw fail([`${label}: the file is empty (delete it to start with no state)`]);
  if (!isSnapshot(path)) return loadLegacy(path, sessions, now);
  const docs = new Map<string, StateDocument>();
  let current: StateDocument | undefined;
  let seq = 0;
  const { torn } = readLines(path, ({ line, number }) => {
    let value: unknown;
    try { value = JSON.parse(line); } catch (e) { throw fail([`${label} line ${number}: not JSON (${(e as Error).message.slice(0, 100)})`]); }
    if (!isObject(value)) throw fail([`${label} line ${number}: must be a JSON object`]);
    if (number === 1) {
      if (!Number.isSafeInteger(value.seq) || (value.seq as number) < 0) throw fail([`${label} line 1: seq must be a whole number ≥ 0`]);
      seq = value.seq as number;
      return;
    }
    if ('session' in value) {
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
  for (const [name, doc] of docs) sessions.load(name, restore(doc, now, `${label} session ${name}`));
  return seq;
}

/** A gij-mock-state/1 file: {"format": "gij-mock-state/1", "sessions": {name: StateDocument}} in one document. */
function loadLegacy(path: string, sessions: SessionStores, now: () => number): number {
  const label = `--state-file ${path}`;
  let file: unknown;
  try {
    // A legacy file is one document: it was a single string when it was written.
    file = JSON.parse(readFileSync(path, 'utf8'));
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


/** Applies the log's changes after `seq`; cuts a torn last line off. Returns the last seq applied. */
export function replayLog(logPath: string, seq: number, sessions: SessionStores, now: () => number): number {
  const label = `--state-file log ${logPath}`;
  let last = seq;
  let badLine: { number: number; end: number; problem: string } | undefined;
  let goodEnd = 0;
  const { end, torn } = readLines(logPath, ({ line, number, end: lineEnd }) => {
    // A bad line followed by a good one is damage, not a crash: refuse to start.
    if (badLine) throw fail([`${label} line ${badLine.number}: ${badLine.problem}`]);
    let value: unknown;
    try { value = JSON.parse(line); } catch (e) { badLine = { number, end: lineEnd, problem: `not JSON (${(e as Error).message.slice(0, 100)})` }; return; }
    const change = decodeChange(value, now, `${label} line ${number}`, sessions);
    goodEnd = lineEnd;
    if (change.seq <= last) return;
    last = change.seq;
    sessions.apply(change.change);
  });
  // The last line unparsable or unterminated: the crash hit in the middle of its write; it was never acknowledged.
  if (torn || badLine || goodEnd < end) {
    const fd = openSync(logPath, 'r+');
    try { nodeIo.truncate(fd, goodEnd); nodeIo.fsync(fd); } finally { closeSync(fd); }
  }
  return last;
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
