// Where the session stores come from at start (--state-file, else --seed) and how a change is kept.
// With --state-file, `<file>` is a snapshot and `<file>.log` an append-only change log, both JSON Lines.
// A change is appended to the log and fsynced, then applied, then answered; the log is replayed at start
// (a torn last line ignored and cut off) and folded into a new snapshot at start and whenever it grows
// past the snapshot (README "State file"). No line ever holds a secret.
import { existsSync, openSync } from 'node:fs';
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';
import type { Logger } from '../logger.js';
import { SessionStores, type Change } from '../sessions.js';
import { nodeIo, removeTempFiles, writeLinesAtomically, type StateIo } from './state-files.js';
import { loadSnapshot, replayLog, SNAPSHOT_FORMAT } from './state-load.js';
import { claimStateFile } from './state-lock.js';
import { toStateRepository } from './repository-state.js';
import { fromStateDocument, toStateDocument, toStateIntegration } from './state.js';
import type { SessionChange } from '../sessions.js';

/** The log is folded into the snapshot once it is larger than the snapshot and than this. */
export const COMPACT_MIN_BYTES = 4 * 1024 * 1024;

export interface Persistence {
  readonly sessions: SessionStores;
  /**
   * Checks the session and byte limits, persists the change (with --state-file: appended to the log and fsynced),
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
    if (sessions.creates(change) && sessions.namedCount >= config.maxSessions) throw ApiError.of('sessionLimit', { max: config.maxSessions });
    // Before the log or a store is touched; a change that frees bytes is always admitted.
    const growth = sessions.growth(change);
    if (growth > 0 && sessions.bytes + growth > config.maxStateBytes) throw ApiError.of('stateBytesLimit', { max: config.maxStateBytes, held: sessions.bytes, growth });
  };
  const path = config.stateFile;
  if (!path) return { sessions, commit: (change) => { admit(change); sessions.apply(change); } };
  const io: StateIo = { ...nodeIo, ...deps.io };
  const logPath = `${path}.log`;
  // Before anything touches the files: another server's temp files are not leftovers.
  claimStateFile(path);
  removeTempFiles(path);
  let seq = existsSync(path) ? loadSnapshot(path, sessions, now) : 0;
  if (existsSync(logPath)) seq = replayLog(logPath, seq, sessions, now);
  // Kept as it was (nothing acknowledged is dropped); until enough is freed, every change that grows answers 507.
  if (sessions.bytes > config.maxStateBytes) deps.logger?.warn({ bytes: sessions.bytes, maxStateBytes: config.maxStateBytes }, 'state file: it holds more than --max-state-bytes; changes that need more bytes answer 507 until some are freed');

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
    case 'import': return JSON.stringify({ seq, op: 'import', session: change.session, ...toStateDocument(change.snapshot) });
    case 'batch': return JSON.stringify({ seq, op: 'batch', session: change.session, changes: change.changes.map(encodeSessionChange) });
    default: return JSON.stringify({ seq, ...encodeSessionChange(change) });
  }
}

/** One change of a session as a log entry (without seq): also the parts of a batch. */
export function encodeSessionChange(change: SessionChange): Record<string, unknown> {
  const { op, session } = change;
  switch (change.op) {
    case 'put': return { op, session, integration: toStateIntegration(change.record) };
    case 'remove': return { op, session, id: change.id };
    case 'putRepository': return { op, session, repository: toStateRepository(change.record) };
    case 'removeRepository': return { op, session, id: change.id };
    case 'hosts': return { op, session, hosts: change.catalogue ?? null };
    case 'index': return { op, session, index: change.queue };
  }
}

function* snapshotLines(sessions: SessionStores, seq: number): Generator<string> {
  yield JSON.stringify({ format: SNAPSHOT_FORMAT, seq });
  for (const [name, store] of sessions.entries()) {
    const { nextId, integrations, repositories } = store.snapshot();
    yield JSON.stringify({ session: name, nextId });
    for (const r of integrations) yield JSON.stringify({ integration: toStateIntegration(r) });
    for (const r of repositories?.repositories ?? []) yield JSON.stringify({ repository: toStateRepository(r) });
    if (repositories?.hosts) yield JSON.stringify({ hosts: repositories.hosts });
    if (repositories?.index) yield JSON.stringify({ index: repositories.index });
  }
}
