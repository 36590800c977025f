// After a run: a table of operation × documented status → exercised or not. Fails any run in which a
// status the spec does not document was answered. Fails a full run (every test file) when a documented
// (operation, status) was never exercised, unless the run recorded no contract call at all (e.g.
// `vitest run test/unit`) or aimed at a remote server (cases skipped there are listed in README).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operationsOf, type Operation } from '../../src/operations.js';
import { loadSpec, projectRoot } from '../../src/spec.js';

export const COVERAGE_DIR_PATH = join(projectRoot, 'test-output', 'contract-coverage');

export interface CoverageRow { readonly operationId: string; readonly statuses: readonly string[] }
const API_PREFIX = '/rest/gitplugin/1.0';

/**
 * Rows for what the spec's "Browsers" section documents beside the operations: HEAD of every GET
 * (the GET's statuses, 405 aside: HEAD is allowed wherever GET is) and OPTIONS of every path (204,
 * and 421 where the path's operations document it).
 */
export function browserRows(operations: readonly Operation[]): CoverageRow[] {
  const heads = operations.filter((o) => o.method === 'GET').map((o) => ({ operationId: `HEAD ${o.operationId}`, statuses: o.statuses.filter((s) => s !== '405') }));
  const paths = [...new Set(operations.map((o) => o.path))];
  const options = paths.map((path) => ({
    operationId: `OPTIONS ${path.replace(API_PREFIX, '')}`,
    statuses: ['204', ...(operations.some((o) => o.path === path && o.statuses.includes('421')) ? ['421'] : [])],
  }));
  return [...heads, ...options];
}

const WIDTH = 44;

/** `fullRun`: every test file ran, so every documented pair must have been exercised (and the table is printed). */
export function reportCoverage(fullRun = true): void {
  if (!existsSync(COVERAGE_DIR_PATH)) return;
  const seen = new Map<string, number>();
  for (const file of readdirSync(COVERAGE_DIR_PATH)) {
    for (const line of readFileSync(join(COVERAGE_DIR_PATH, file), 'utf8').split('\n').filter(Boolean)) {
      const { operationId, status } = JSON.parse(line) as { operationId: string; status: number };
      const key = `${operationId} ${status}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  if (seen.size === 0) return;
  const operations: CoverageRow[] = [...operationsOf(loadSpec()), ...browserRows(operationsOf(loadSpec()))];
  const statuses = [...new Set(operations.flatMap((o) => o.statuses))].sort();
  const missing: string[] = [];
  const undocumented = [...seen.keys()].filter((k) => {
    const [id, status] = [k.slice(0, k.lastIndexOf(' ')), k.slice(k.lastIndexOf(' ') + 1)];
    return !operations.find((o) => o.operationId === id)?.statuses.includes(status);
  });
  const rows = operations.map((o) => {
    const cells = statuses.map((s) => {
      if (!o.statuses.includes(s)) return '  -  ';
      const n = seen.get(`${o.operationId} ${s}`) ?? 0;
      if (n === 0) missing.push(`${o.operationId} ${s}`);
      return n === 0 ? ' MISS' : String(n).padStart(5);
    });
    return `${o.operationId.padEnd(WIDTH)}${cells.join(' ')}`;
  });
  const out = [
    '',
    'Contract coverage (calls checked against the spec, per operation × documented status; - = not documented)',
    `${''.padEnd(WIDTH)}${statuses.map((s) => s.padStart(5)).join(' ')}`,
    ...rows,
    `documented (operation, status) pairs: ${operations.reduce((n, o) => n + o.statuses.length, 0)}, exercised: ${operations.reduce((n, o) => n + o.statuses.length, 0) - missing.length}`,
    '',
  ];
  if (fullRun) process.stdout.write(out.join('\n'));
  const remote = Boolean(process.env.GIJ_BASE_URL);
  if (undocumented.length) throw new Error(`Undocumented statuses answered: ${undocumented.join(', ')}`);
  if (fullRun && missing.length && !remote) throw new Error(`Documented but never exercised: ${missing.join(', ')}`);
}
