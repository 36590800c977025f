// File primitives of --state-file: read a file line by line without one big string, write a snapshot
// crash-safely (temp file, fsync, rename, fsync of the folder) at once or in slices that let requests through,
// remove temp files a crash left, and turn a failed file operation into one line saying what to do.
import { closeSync, fsyncSync, ftruncateSync, openSync, readdirSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../config.js';

/** The file operations persistence uses; tests replace some to simulate a full or failing disk. */
export interface StateIo {
  write(fd: number, data: Buffer, position: number): void;
  fsync(fd: number): void;
  truncate(fd: number, length: number): void;
  /** Removes a file (a stale lock); absent is fine. */
  remove(path: string): void;
}

export const nodeIo: StateIo = {
  write(fd, data, position) {
    for (let done = 0; done < data.length;) done += writeSync(fd, data, done, data.length - done, position + done);
  },
  fsync: (fd) => fsyncSync(fd),
  truncate: (fd, length) => ftruncateSync(fd, length),
  remove: (path) => rmSync(path, { force: true }),
};

export interface LineVisit { line: string; number: number; end: number }

/**
 * Calls `visit` for every newline-terminated line, in order, reading 1 MiB at a time. Returns the offset
 * just after the last complete line and whether bytes follow it (a line torn by a crash).
 */
export function readLines(path: string, visit: (v: LineVisit) => void): { end: number; torn: boolean } {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(1024 * 1024);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let offset = 0;
    let end = 0;
    let number = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, offset);
      if (n === 0) break;
      let start = 0;
      for (let nl = chunk.indexOf(10, 0); nl !== -1 && nl < n; nl = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, nl);
        const line = pendingBytes ? Buffer.concat([...pending, piece]).toString('utf8') : piece.toString('utf8');
        end = offset + nl + 1;
        pending = [];
        pendingBytes = 0;
        visit({ line, number: ++number, end });
        start = nl + 1;
      }
      if (start < n) {
        pending.push(Buffer.from(chunk.subarray(start, n)));
        pendingBytes += n - start;
      }
      offset += n;
    }
    return { end, torn: pendingBytes > 0 };
  } finally {
    closeSync(fd);
  }
}

/** Writes lines to `path` through a temp file: a crash at any moment leaves the old file or the new one. */
export function writeLinesAtomically(path: string, lines: Iterable<string>, io: StateIo = nodeIo): number {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  let bytes = 0;
  try {
    let batch: string[] = [];
    let batchLength = 0;
    const flush = () => {
      const data = Buffer.from(batch.join(''), 'utf8');
      io.write(fd, data, bytes);
      bytes += data.length;
      batch = [];
      batchLength = 0;
    };
    for (const line of lines) {
      batch.push(line, '\n');
      batchLength += line.length + 1;
      if (batchLength >= 1024 * 1024) flush();
    }
    flush();
    io.fsync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  syncFolder(path);
  return bytes;
}

export function syncFolder(path: string): void {
  const fd = openSync(dirname(path) || '.', 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/** Removes `<name>.*.tmp` files next to `path`: snapshots a crashed process never renamed into place. */
export function removeTempFiles(path: string): string[] {
  const folder = dirname(path) || '.';
  const prefix = `${basename(path)}.`;
  const removed = readdirSync(folder).filter((f) => f.startsWith(prefix) && f.endsWith('.tmp')).map((f) => join(folder, f));
  for (const f of removed) rmSync(f, { force: true });
  return removed;
}

/** How long one slice of a background snapshot may hold the event loop: requests wait at most about this. */
export const SLICE_MS = 10;
const FLUSH_BYTES = 4 * 1024 * 1024;

/**
 * writeLinesAtomically without stopping the server: lines are made for at most SLICE_MS at a time, written,
 * fsynced and renamed asynchronously (the thread pool), so requests are served between slices. `lines` must
 * not depend on state that changes meanwhile. Resolves to the bytes written; `cancelled()` (a close) stops it.
 */
export async function writeLinesInSlices(path: string, lines: Iterator<string>, cancelled: () => boolean): Promise<number> {
  const tmp = `${path}.${process.pid}.tmp`;
  const file = await open(tmp, 'w');
  let bytes = 0;
  let unflushed = 0;
  let renamed = false;
  try {
    for (let done = false; !done;) {
      if (cancelled()) throw new Error('closed while compacting');
      const batch: string[] = [];
      const until = performance.now() + SLICE_MS;
      let length = 0;
      while (length < 1024 * 1024 && performance.now() < until) {
        const next = lines.next();
        if (next.done) { done = true; break; }
        batch.push(next.value, '\n');
        length += next.value.length + 1;
      }
      const data = Buffer.from(batch.join(''), 'utf8');
      for (let written = 0; written < data.length;) written += (await file.write(data, written, data.length - written, bytes + written)).bytesWritten;
      bytes += data.length;
      // Flushed every few MiB, never all at the end: on ext4 an fsync of the log (every change) waits for all
      // dirty data of the file system, so tens of MiB of unflushed snapshot would stall each change's answer.
      if ((unflushed += data.length) >= FLUSH_BYTES) { await file.datasync(); unflushed = 0; }
      // The write above may complete at once; let the requests that arrived meanwhile run before the next slice.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await file.sync();
    await file.close();
    if (cancelled()) throw new Error('closed while compacting');
    await rename(tmp, path);
    renamed = true;
    const folder = await open(dirname(path) || '.', 'r');
    try { await folder.sync(); } finally { await folder.close(); }
    return bytes;
  } catch (e) {
    await file.close().catch(() => undefined);
    if (!renamed) rmSync(tmp, { force: true });
    throw e;
  }
}

/** Copies bytes [from, end) of `path` to a new file `to` and fsyncs it (the damaged part --repair keeps aside). */
export function copyTail(path: string, from: number, to: string): number {
  const source = openSync(path, 'r');
  const target = openSync(to, 'wx');
  try {
    const chunk = Buffer.alloc(1024 * 1024);
    let copied = 0;
    for (let n; (n = readSync(source, chunk, 0, chunk.length, from + copied)) > 0; copied += n) nodeIo.write(target, chunk.subarray(0, n), copied);
    fsyncSync(target);
    return copied;
  } finally {
    closeSync(source);
    closeSync(target);
  }
}

const ADVICE: Record<string, string> = {
  ENOSPC: 'the disk is full: free space (the state file needs about twice its size while it is rewritten) and start again',
  EDQUOT: 'the disk quota is used up: free space and start again',
  EROFS: 'the file system is read-only: put --state-file on a writable one',
  EACCES: 'this user may not do that: give it read and write access to the file and its folder, or use another --state-file',
  EPERM: 'this user may not do that: give it read and write access to the file and its folder, or use another --state-file',
  EISDIR: 'that path is a directory: remove it, or give --state-file another name',
  ENOTDIR: 'a part of that path is not a directory: give --state-file another path',
  ENOENT: 'the path does not exist (was its folder removed?): give --state-file an existing folder',
  EIO: 'the disk reported an I/O error: check it, or use another --state-file',
};

/** A failed file operation at start-up as one ConfigError line: what failed, the path, the error code and what to do. */
export function describeFsError(e: unknown, what: string, path: string): ConfigError {
  if (e instanceof ConfigError) return e;
  const code = (e as NodeJS.ErrnoException).code ?? '';
  // Node names some of its own checks differently (ERR_FS_EISDIR from rm on a directory).
  const known = code === 'ERR_FS_EISDIR' ? 'EISDIR' : code;
  const advice = ADVICE[known] ?? 'check the path, its folder and the disk, or use another --state-file';
  return new ConfigError([`${what} ${(e as NodeJS.ErrnoException).path ?? path} (${code || (e as Error).message}): ${advice}`]);
}
