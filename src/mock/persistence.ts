// Where the session stores come from at start (--state-file, else --seed) and how a change is kept.
// With --state-file, `<file>` is a snapshot and `<file>.log` an append-only change log, both JSON Lines
// whose every line carries a sum (state-records.ts). A change is appended to the log and fsynced, then
// applied, then answered; the log is replayed at start (state-load.ts: only a torn last record passes in
// silence) and folded into a new snapshot at start and, in slices between requests, whenever it grows past
// the snapshot (README "State file"). No line ever holds a secret.
import { closeSync, existsSync, fdatasync, fsyncSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import type { Config } from '../config.js';
import { ConfigError } from '../config.js';
import { ApiError } from '../errors.js';
import type { StoredIntegration } from '../integration-model.js';
import type { Logger } from '../logger.js';
import { SessionStores, type Change } from '../sessions.js';
import { admission, memoryState } from './memory-state.js';
import { copyTail, describeFsError, nodeIo, readLines, removeTempFiles, syncFolder, writeLinesAtomically, writeLinesInSlices, type StateIo } from './state-files.js';
import { loadSnapshot, replayLog, type LogDamage } from './state-load.js';
import { claimStateFile } from './state-lock.js';
import { toStateRepository } from './repository-state.js';
import { LOG_FORMAT, seal, SNAPSHOT_FORMAT } from './state-records.js';
import { fromStateDocument, toStateDocument, toStateIntegration } from './state.js';
import type { SessionChange } from '../sessions.js';
import type { RepositorySnapshot } from '../repository-store.js';

/** The log is folded into the snapshot once it is larger than the snapshot and than this. */
export const COMPACT_MIN_BYTES = 4 * 1024 * 1024;

export interface Persistence {
  readonly sessions: SessionStores;
  /**
   * Checks the session and byte limits, persists the change (with --state-file: appended to the log and fsynced),
   * then applies it. Throws ApiError 507 when it cannot be kept; then nothing has changed.
   */
  readonly commit: (change: Change) => void;
  /** Lets go of the state file (waits for a compaction in progress to stop); the file may then be opened again. */
  readonly close: () => Promise<void>;
}

export interface PersistenceDeps {
  readonly logger?: Logger;
  /** Replaces file operations (tests: a disk that fails). */
  readonly io?: Partial<StateIo>;
  /** Where start-up tells what --repair did (the command: stderr; default: a warning in the log). */
  readonly notice?: (line: string) => void;
}

export function openPersistence(config: Config, now: () => number, deps: PersistenceDeps = {}): Persistence {
  const sessions = new SessionStores(() => (config.seed ? fromStateDocument(config.seed, now()) : undefined));
  const path = config.stateFile;
  if (!path) return memoryState(config, sessions);
  const admit = admission(config, sessions);
  // Before anything touches the files: another server's temp files are not leftovers.
  const release = claimStateFile(path, { ...nodeIo, ...deps.io });
  try {
    return openStateFile(path, sessions, admit, config, now, deps, release);
  } catch (e) {
    release();
    throw e;
  }
}

type Frozen = Array<[name: string, nextId: number, integrations: StoredIntegration[], repositories: RepositorySnapshot | undefined]>;

/** The stores as they are now; records are frozen, so the lists stay this state while requests change the stores. */
const freeze = (sessions: SessionStores): Frozen => sessions.entries().map(([name, store]) => {
  const { nextId, integrations, repositories } = store.snapshot();
  return [name, nextId, integrations, repositories];
});

function* snapshotLines(frozen: Frozen, seq: number): Generator<string> {
  yield seal({ format: SNAPSHOT_FORMAT, seq });
  let lines = 1;
  for (const [name, nextId, integrations, repositories] of frozen) {
    yield seal({ session: name, nextId });
    for (const r of integrations) yield seal({ integration: toStateIntegration(r) });
    lines += 1 + integrations.length;
    for (const r of repositories?.repositories ?? []) { yield seal({ repository: toStateRepository(r) }); lines++; }
    if (repositories?.hosts) { yield seal({ hosts: repositories.hosts }); lines++; }
    if (repositories?.index) { yield seal({ index: repositories.index }); lines++; }
  }
  // The count lets start-up tell a whole snapshot from one that lost lines.
  yield seal({ end: lines });
}

function openStateFile(
  path: string, sessions: SessionStores, admit: (change: Change) => void, config: Config, now: () => number,
  deps: PersistenceDeps, release: () => void,
): Persistence {
  const io: StateIo = { ...nodeIo, ...deps.io };
  const logPath = `${path}.log`;
  const notice = deps.notice ?? ((line: string) => deps.logger?.warn(line));
  // The wall clock, not --clock: two repairs must not pick the same name.
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let step = 'cannot remove the temp files a crash left next to it';
  let fd: number | undefined;
  let seq = 0;
  let snapshotBytes = 0;
  try {
    removeTempFiles(path);
    step = 'cannot read';
    const snapshot = existsSync(path) ? loadSnapshot(path, sessions, now) : 0;
    step = 'cannot read its log';
    const logged = existsSync(logPath) && statSync(logPath).size > 0;
    if (snapshot === 'empty') {
      if (!logged && !config.repair) throw new ConfigError([`--state-file ${path}: the file is empty and no log is beside it, so the state it held is lost; start with --repair true to start with no state (the empty file is kept aside)`]);
      // An emptied snapshot says nothing: the log says what the state is (replayLog refuses a log that does not start at change 1).
      if (config.repair && !logged) {
        step = 'cannot move aside the empty';
        renameSync(path, `${path}.damaged-${stamp}`);
        notice(`--repair: ${path} was empty and no log was beside it: moved it to ${path}.damaged-${stamp}; starting with no state`);
      }
    } else {
      seq = snapshot;
    }
    if (logged) {
      const replayed = replayLog(logPath, seq, sessions, now, config.repair);
      seq = replayed.lastSeq;
      if (replayed.missing) notice(`--repair: the log ${logPath} continues after change ${replayed.missing.to} but the snapshot held changes up to ${replayed.missing.from - 1} only: starting with the log's changes alone (changes ${replayed.missing.from} to ${replayed.missing.to} are in no file)`);
      if (replayed.damage) {
        step = 'cannot move aside the damaged part of';
        keepDamageAside(logPath, replayed.damage, `${logPath}.damaged-${stamp}`, sessions, notice);
      }
    }
    // Kept as it was (nothing acknowledged is dropped); until enough is freed, every change that grows answers 507.
    if (sessions.bytes > config.maxStateBytes) deps.logger?.warn({ bytes: sessions.bytes, maxStateBytes: config.maxStateBytes }, 'state file: it holds more than --max-state-bytes; changes that need more bytes answer 507 until some are freed');
    step = 'cannot write the snapshot';
    snapshotBytes = writeLinesAtomically(path, snapshotLines(freeze(sessions), seq), io);
    step = 'cannot start a new log';
    fd = openSync(logPath, 'w+');
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    throw describeFsError(e, `--state-file ${path}: ${step}`, /log|damaged/.test(step) ? logPath : path);
  }
  let logBytes = 0;
  let cutPending = false;
  let compactAt = COMPACT_MIN_BYTES;
  let compacting: Promise<void> | undefined;
  let closed = false;

  const append = (line: string) => {
    const data = Buffer.from(`${line}\n`, 'utf8');
    try {
      // A failed write may have left part of a line: cut it before anything else is appended.
      if (cutPending) { io.truncate(fd!, logBytes); cutPending = false; }
      io.write(fd!, data, logBytes);
      io.fsync(fd!);
    } catch (e) {
      cutPending = true;
      try { io.truncate(fd!, logBytes); cutPending = false; } catch { /* tried again before the next write */ }
      throw ApiError.of('storageFailed', { reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
    }
    logBytes += data.length;
  };
  // The log opened with 'w' is empty: every line it held is in the snapshot just written, which names the last seq.
  try {
    append(seal({ format: LOG_FORMAT, after: seq }));
  } catch (e) {
    closeSync(fd);
    throw describeFsError(e, `--state-file ${path}: cannot write its log`, logPath);
  }

  /**
   * Replaces the log by one that starts after `atSeq` and holds the changes appended since `offset` (those the
   * new snapshot does not hold). The bulk is copied asynchronously; the last part, the rename and the switch
   * of descriptor run in one synchronous step, so no append is lost between them. The new file is written and
   * renamed under its own descriptor, which then becomes the log's: a failure before the rename leaves the
   * old log in use, whole.
   */
  const rotateLog = async (atSeq: number, offset: number) => {
    const tmp = `${logPath}.${process.pid}.tmp`;
    const next = openSync(tmp, 'w+'); // w+: the next rotation reads the changes back from it
    let copied = offset;
    let position = 0;
    const copyUpTo = (end: number) => {
      const part = Buffer.alloc(end - copied);
      for (let n = 0; n < part.length;) n += readSync(fd!, part, n, part.length - n, copied + n) || part.length;
      io.write(next, part, position);
      position += part.length;
      copied = end;
    };
    try {
      const header = Buffer.from(`${seal({ format: LOG_FORMAT, after: atSeq })}\n`, 'utf8');
      io.write(next, header, 0);
      position = header.length;
      // Changes keep coming: copy and flush in rounds until what is left is small, then finish in one step.
      for (let round = 0; round < 4 && logBytes - copied > 256 * 1024; round++) {
        copyUpTo(logBytes);
        await new Promise<void>((resolve, reject) => fdatasync(next, (e) => (e ? reject(e) : resolve())));
        if (closed) throw new Error('closed while compacting');
      }
      copyUpTo(logBytes);
      io.fsync(next);
      renameSync(tmp, logPath);
    } catch (e) {
      closeSync(next);
      rmSync(tmp, { force: true });
      throw e;
    }
    closeSync(fd!);
    fd = next;
    logBytes = position;
    cutPending = false;
    syncFolder(logPath);
  };

  const compactInBackground = () => {
    const atSeq = seq;
    const offset = logBytes;
    compacting = writeLinesInSlices(path, snapshotLines(freeze(sessions), atSeq), () => closed)
      .then(async (bytes) => {
        if (closed) return;
        snapshotBytes = bytes;
        await rotateLog(atSeq, offset);
        compactAt = COMPACT_MIN_BYTES;
      })
      .catch((e: unknown) => {
        if (closed) return;
        // Every change is durable in the log; try again after another COMPACT_MIN_BYTES.
        compactAt = logBytes + COMPACT_MIN_BYTES;
        deps.logger?.warn({ error: (e as Error).message }, 'state file: compaction failed; the log keeps every change');
      })
      .finally(() => { compacting = undefined; });
  };

  const commit = (change: Change) => {
    if (closed) throw ApiError.of('storageFailed', { reason: 'the state file is closed' });
    admit(change);
    append(seal(encodeChange(seq + 1, change)));
    seq++;
    sessions.apply(change);
    if (!compacting && logBytes > Math.max(snapshotBytes, compactAt)) compactInBackground();
  };

  const close = async () => {
    if (closed) return;
    closed = true;
    await compacting;
    closeSync(fd!);
    release();
  };
  return { sessions, commit, close };
}

/**
 * --repair: copies the log from the damaged line on to `aside`, cuts the log there, and raises each session's
 * next id past every id the damaged part names, so no id it acknowledged is handed out again.
 */
function keepDamageAside(logPath: string, damage: LogDamage, aside: string, sessions: SessionStores, notice: (line: string) => void): void {
  const bytes = copyTail(logPath, damage.goodEnd, aside);
  const fd = openSync(logPath, 'r+');
  try { nodeIo.truncate(fd, damage.goodEnd); fsyncSync(fd); } finally { closeSync(fd); }
  syncFolder(aside);
  const highest = new Map<string, number>();
  readLines(aside, ({ line }) => {
    let value: Record<string, unknown>;
    try { value = JSON.parse(line) as Record<string, unknown>; } catch { return; }
    if (typeof value?.session !== 'string') return;
    // A batch (an add with its discovery, the indexing clock's events) names its ids in its parts.
    const parts = [value, ...(Array.isArray(value.changes) ? value.changes as Array<Record<string, unknown>> : [])];
    for (const part of parts) {
      if (part === null || typeof part !== 'object') continue;
      const integration = part.integration as { id?: unknown } | undefined;
      const repository = part.repository as { id?: unknown } | undefined;
      const ids = [part.nextId, ...[part.id, integration?.id, repository?.id].map((id) => (typeof id === 'number' ? id + 1 : undefined))];
      for (const id of ids) if (Number.isSafeInteger(id)) highest.set(value.session, Math.max(highest.get(value.session) ?? 0, id as number));
    }
  });
  let raised = 0;
  for (const [name, nextId] of highest) {
    if (!sessions.has(name)) continue;
    const store = sessions.read(name);
    if (store.peekNextId() >= nextId) continue;
    sessions.load(name, { ...store.snapshot(), nextId });
    raised++;
  }
  notice(`--repair: ${logPath} line ${damage.line} ${damage.problem}; kept the changes before it (up to change ${damage.lastSeq}) and moved the rest (${bytes} bytes) to ${aside}${raised ? `; next ids of ${raised} session(s) raised past the ids it names` : ''}`);
}

function encodeChange(seq: number, change: Change): object {
  switch (change.op) {
    case 'put': return { seq, op: 'put', session: change.session, integration: toStateIntegration(change.record) };
    case 'remove': return { seq, op: 'remove', session: change.session, id: change.id };
    case 'reset': return { seq, op: 'reset', session: change.session };
    case 'resetAll': return { seq, op: 'resetAll' };
    case 'import': return { seq, op: 'import', session: change.session, ...toStateDocument(change.snapshot) };
    case 'batch': return { seq, op: 'batch', session: change.session, changes: change.changes.map(encodeSessionChange) };
    default: return { seq, ...encodeSessionChange(change) };
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
