// Where the session stores come from at start (--state-file, else --seed) and how a change is kept.
// With --state-file, `<file>` is a snapshot and `<file>.log` an append-only change log, both JSON Lines.
// A change is appended to the log and fsynced, then applied, then answered; the log is replayed at start
// (a torn last line ignored and cut off) and folded into a new snapshot at start and whenever it grows
// past the snapshot (README "State file"). No line ever holds a secret.
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { ConfigError, type Config } from '../config.js';
import { ApiError } from '../errors.js';
import type { Logger } from '../logger.js';
import { SESSION_NAME, SessionStores, type Change } from '../sessions.js';
import type { StoreSnapshot } from '../store.js';
import { nodeIo, readLines, removeTempFiles, writeLinesAtomically, type StateIo } from './state-files.js';
import { fromStateDocument, StateError, toStateIntegration, type StateDocument } from './state.js';

export const SNAPSHOT_FORMAT = 'gij-mock-state/2';
const LEGACY_FORMAT = 'gij-mock-state/1';
/** The log is folded into the snapshot once it is larger than the snapshot and than this. */
export const COMPACT_MIN_BYTES = 4 * 1024 * 1024;

export interface Persistence {
  readonly sessions: SessionStores;
  /**
   * Checks the session limit, persists the change (with --state-file: appended to the log and fsynced),
   * then applies it. Throws ApiError 507 when it cannot be kept; then nothing has changed.
   */
  readonly commit: (change: Change) => void;
}

export interface PersistenceDeps {
  readonly logger?: Logger;
  /** Replaces file operations (tests: a disk that fails). */
  readonly io?: Partial<StateIo>;
}

export function openPersistence(config: Config, now: () => number, deps: PersistenceDeps = {}): Persistence {
  const sessions = new SessionStores(() => (config.seed ? fromStateDocument(config.seed, now()) : undefined));
  const admit = (change: Change) => {
    if (sessions.creates(change) && sessions.count >= config.maxSessions) throw ApiError.of('sessionLimit', { max: config.maxSessions });
  };
  const path = config.stateFile;
  if (!path) return { sessions, commit: (change) => { admit(change); sessions.apply(change); } };
  const io: StateIo = { ...nodeIo, ...deps.io };
  const logPath = `${path}.log`;
  removeTempFiles(path);
  let seq = existsSync(path) ? loadSnapshot(path, sessions, now) : 0;
  if (existsSync(logPath)) seq = replayLog(logPath, seq, sessions, now);

  let snapshotBytes = 0;
  const compact = () => {
    snapshotBytes = writeLinesAtomically(path, snapshotLines(sessions, seq));
  };
  compact();
  // Opened with 'w': every line it held is in the snapshot just written, which names the last seq.
  const fd = openSync(logPath, 'w');
  io.fsync(fd);
  let logBytes = 0;
  let cutPending = false;
  let compactAt = COMPACT_MIN_BYTES;

  const append = (line: string) => {
    const data = Buffer.from(`${line}\n`, 'utf8');
    try {
      // A failed write may have left part of a line: cut it before anything else is appended.
      if (cutPending) { io.truncate(fd, logBytes); cutPending = false; }
      io.write(fd, data, logBytes);
      io.fsync(fd);
    } catch (e) {
      cutPending = true;
      try { io.truncate(fd, logBytes); cutPending = false; } catch { /* tried again before the next write */ }
      throw ApiError.of('storageFailed', { reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
    }
    logBytes += data.length;
  };

  const commit = (change: Change) => {
    admit(change);
    append(encodeChange(seq + 1, change));
    seq++;
    sessions.apply(change);
    if (logBytes > Math.max(snapshotBytes, compactAt)) {
      try {
        compact();
        io.truncate(fd, 0);
        io.fsync(fd);
        logBytes = 0;
        compactAt = COMPACT_MIN_BYTES;
      } catch (e) {
        // The change is already durable in the log; try again after another COMPACT_MIN_BYTES.
        compactAt = logBytes + COMPACT_MIN_BYTES;
        deps.logger?.warn({ error: (e as Error).message }, 'state file: compaction failed; the log keeps every change');
      }
    }
  };
  return { sessions, commit };
}

function encodeChange(seq: number, change: Change): string {
  switch (change.op) {
    case 'put': return JSON.stringify({ seq, op: 'put', session: change.session, integration: toStateIntegration(change.record) });
    case 'remove': return JSON.stringify({ seq, op: 'remove', session: change.session, id: change.id });
    case 'reset': return JSON.stringify({ seq, op: 'reset', session: change.session });
    case 'resetAll': return JSON.stringify({ seq, op: 'resetAll' });
    case 'import': return JSON.stringify({ seq, op: 'import', session: change.session, nextId: change.snapshot.nextId, integrations: change.snapshot.integrations.map(toStateIntegration) });
  }
}

function* snapshotLines(sessions: SessionStores, seq: number): Generator<string> {
  yield JSON.stringify({ format: SNAPSHOT_FORMAT, seq });
  for (const [name, store] of sessions.entries()) {
    const { nextId, integrations } = store.snapshot();
    yield JSON.stringify({ session: name, nextId });
    for (const r of integrations) yield JSON.stringify({ integration: toStateIntegration(r) });
  }
}

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
function loadSnapshot(path: string, sessions: SessionStores, now: () => number): number {
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
    } else {
      throw fail([`${label} line ${number}: expected {"session", "nextId"} or {"integration"} after a session line`]);
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
function replayLog(logPath: string, seq: number, sessions: SessionStores, now: () => number): number {
  const label = `--state-file log ${logPath}`;
  let last = seq;
  let badLine: { number: number; end: number; problem: string } | undefined;
  let goodEnd = 0;
  const { end, torn } = readLines(logPath, ({ line, number, end: lineEnd }) => {
    // A bad line followed by a good one is damage, not a crash: refuse to start.
    if (badLine) throw fail([`${label} line ${badLine.number}: ${badLine.problem}`]);
    let value: unknown;
    try { value = JSON.parse(line); } catch (e) { badLine = { number, end: lineEnd, problem: `not JSON (${(e as Error).message.slice(0, 100)})` }; return; }
    const change = decodeChange(value, now, `${label} line ${number}`);
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

function decodeChange(value: unknown, now: () => number, where: string): { seq: number; change: Change } {
  if (!isObject(value) || !Number.isSafeInteger(value.seq)) throw fail([`${where}: must be an object with a whole-number seq`]);
  const seq = value.seq as number;
  const session = () => checkName(value.session, where);
  switch (value.op) {
    case 'put': {
      const snapshot = restore({ integrations: [value.integration as never] }, now, where);
      return { seq, change: { op: 'put', session: session(), record: snapshot.integrations[0]! } };
    }
    case 'remove':
      if (!Number.isInteger(value.id)) throw fail([`${where}: id must be an integer`]);
      return { seq, change: { op: 'remove', session: session(), id: value.id as number } };
    case 'reset': return { seq, change: { op: 'reset', session: session() } };
    case 'resetAll': return { seq, change: { op: 'resetAll' } };
    case 'import':
      return { seq, change: { op: 'import', session: session(), snapshot: restore({ nextId: value.nextId as number, integrations: value.integrations as never }, now, where) } };
    default: throw fail([`${where}: op must be put, remove, reset, resetAll or import`]);
  }
}
