// The seal on every line of a gij-mock-state/3 snapshot and log: the line's JSON with `"sum"` — the first
// 16 hex digits of the SHA-256 of the JSON without it — as its last key. It tells a damaged line (a flipped
// byte, NULs, a line glued from two) from a good one. SHA-256 from node:crypto rather than CRC-32: zlib.crc32
// only exists from Node 22.2 (engines allows 20.19), and the native hash costs less than a table-driven
// CRC in JavaScript on multi-megabyte import lines; 64 bits of it make a chance match negligible.
import { createHash } from 'node:crypto';

export const SNAPSHOT_FORMAT = 'gij-mock-state/3';
export const LOG_FORMAT = 'gij-mock-log/3';
const SUM = /,"sum":"([0-9a-f]{16})"\}$/;

const sumOf = (json: string) => createHash('sha256').update(json).digest('hex').slice(0, 16);

/** `JSON.stringify(value)` with its sum as the last key; `value` must be a non-empty object. */
export function seal(value: object): string {
  const json = JSON.stringify(value);
  return `${json.slice(0, -1)},"sum":"${sumOf(json)}"}`;
}

/** The sealed line's value, or why it is not one (no sum, a sum that does not match, not JSON). */
export function unseal(line: string): { value: Record<string, unknown> } | { problem: string } {
  const match = SUM.exec(line);
  if (!match) return { problem: line.includes('\0') ? 'holds NUL bytes' : 'has no "sum" at its end (damaged, or not written by gij-mock)' };
  const json = `${line.slice(0, match.index)}}`;
  if (sumOf(json) !== match[1]) return { problem: `its sum does not match its content (damaged${line.includes('\0') ? ': holds NUL bytes' : ''})` };
  try {
    const value = JSON.parse(json) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { value: value as Record<string, unknown> };
    return { problem: 'is not a JSON object' };
  } catch (e) {
    return { problem: `is not JSON (${(e as Error).message.slice(0, 100)})` };
  }
}
