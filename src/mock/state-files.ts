// File primitives of --state-file: read a file line by line without one big string, write a snapshot
// crash-safely (temp file, fsync, rename, fsync of the folder), and remove temp files a crash left.
import { closeSync, fsyncSync, ftruncateSync, openSync, readdirSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The file operations persistence uses; tests replace some to simulate a full or failing disk. */
export interface StateIo {
  write(fd: number, data: Buffer, position: number): void;
  fsync(fd: number): void;
  truncate(fd: number, length: number): void;
}

export const nodeIo: StateIo = {
  write(fd, data, position) {
    for (let done = 0; done < data.length;) done += writeSync(fd, data, done, data.length - done, position + done);
  },
  fsync: (fd) => fsyncSync(fd),
  truncate: (fd, length) => ftruncateSync(fd, length),
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
export function writeLinesAtomically(path: string, lines: Iterable<string>): number {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  let bytes = 0;
  try {
    let batch: string[] = [];
    let batchLength = 0;
    const flush = () => {
      const data = Buffer.from(batch.join(''), 'utf8');
      nodeIo.write(fd, data, bytes);
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
    fsyncSync(fd);
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
