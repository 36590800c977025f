// One server per state file: `<file>.lock` holds the pid of the gij-mock that uses the file. Two servers
// appending to one log would interleave their changes and each compact the other's away. A lock whose
// process is gone (a kill -9, a crash, a clean stop: the file is left behind) is taken over.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ConfigError } from '../config.js';

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

/** Claims `<path>.lock` for this process, or throws a ConfigError naming the process that holds it. */
export function claimStateFile(path: string): void {
  const lock = `${path}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // 'wx': of two servers starting at once, exactly one creates the lock.
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new ConfigError([`--state-file ${path}: cannot create its lock ${lock} (${(e as Error).message})`]);
    }
    const holder = holderOf(lock);
    // This process again (the library opening the same file twice in one test run): nothing to guard.
    if (holder === process.pid) return;
    if (holder !== undefined && isRunning(holder)) {
      throw new ConfigError([`--state-file ${path} is in use by process ${holder} (lock ${lock}); stop that gij-mock or give this one another file (if process ${holder} is not gij-mock, delete the lock)`]);
    }
    rmSync(lock, { force: true }); // stale: its process is gone
  }
  throw new ConfigError([`--state-file ${path}: another gij-mock is starting on it at the same time (lock ${lock})`]);
}
