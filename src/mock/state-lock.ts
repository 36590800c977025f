// One writer per state file: `<file>.lock` holds the pid of the gij-mock that uses the file, and this process
// remembers which files it holds. Two writers appending to one log would interleave their changes and each
// compact the other's away — two servers, or the library opening one file twice in one process (same pid).
// A lock whose process is gone (a kill -9, a crash, a clean stop of the command: the file is left behind) is taken over.
import { lstatSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../config.js';
import { describeFsError, nodeIo, type StateIo } from './state-files.js';

/** The state files this process holds, by absolute path: a second open here is refused, like one from another process. */
const heldHere = new Set<string>();

/** Whether a process with this id exists (EPERM: it exists but belongs to someone else). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holderOf(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const inUse = (path: string, lock: string, holder: string) =>
  new ConfigError([`--state-file ${path} is in use by ${holder} (lock ${lock}); close that gij-mock or give this one another file`]);

/**
 * Claims `<path>.lock` for this process, or throws a ConfigError naming the holder. Returns the release:
 * it removes the lock, and the file may be opened again (start, close, start in one process).
 */
export function claimStateFile(path: string, io: Pick<StateIo, 'remove'> = nodeIo): () => void {
  const key = resolve(path);
  const lock = `${path}.lock`;
  if (heldHere.has(key)) throw inUse(path, lock, `this process (${process.pid}): an earlier startGijMock/createApp on it is not closed`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // 'wx': of two servers starting at once, exactly one creates the lock.
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      heldHere.add(key);
      return () => release(key, lock);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw describeFsError(e, `--state-file ${path}: cannot create its lock`, lock);
    }
    const kind = lstatSync(lock, { throwIfNoEntry: false });
    if (kind && !kind.isFile()) throw new ConfigError([`--state-file ${path}: its lock ${lock} is not a file (${kind.isDirectory() ? 'a directory' : 'a link or device'}); remove it, or give gij-mock another file`]);
    const holder = holderOf(lock);
    // Our own pid in a lock this process does not hold: left by an earlier process that had the same id (containers reuse pids).
    if (holder !== undefined && holder !== process.pid && isRunning(holder)) {
      throw inUse(path, lock, `process ${holder}; if process ${holder} is not gij-mock, delete the lock`);
    }
    try {
      io.remove(lock); // stale: its process is gone
    } catch (e) {
      throw describeFsError(e, `--state-file ${path}: cannot remove the stale lock left by a process that is gone`, lock);
    }
  }
  throw new ConfigError([`--state-file ${path}: another gij-mock is starting on it at the same time (lock ${lock})`]);
}

function release(key: string, lock: string): void {
  if (!heldHere.delete(key)) return;
  try {
    if (holderOf(lock) === process.pid) rmSync(lock, { force: true });
  } catch { /* a lock left behind names a process that is gone: the next start takes it over */ }
}
