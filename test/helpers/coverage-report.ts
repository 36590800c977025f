// After a run: a table of operation × documented status → exercised or not. Fails the run when a
// documented (operation, status) was never exercised, unless the run recorded no contract call at all
// (e.g. `vitest run test/unit`) or aimed at a remote server (cases skipped there are listed in README).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operationsOf } from '../../src/operations.js';
import { loadSpec, projectRoot } from '../../src/spec.js';

export const COVERAGE_DIR_PATH = join(projectRoot, 'test-output', 'contract-coverage');

export function reportCoverage(): void {
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
  const operations = operationsOf(loadSpec());
  const statuses = [...new Set(operations.flatMap((o) => o.statuses))].sort();
  const missing: string[] = [];
  const undocumented = [...seen.keys()].filter((k) => {
    const [id, status] = k.split(' ');
    return !operations.find((o) => o.operationId === id)?.statuses.includes(status!);
  });
  const rows = operations.map((o) => {
    const cells = statuses.map((s) => {
      if (!o.statuses.includes(s)) return '  -  ';
      const n = seen.get(`${o.operationId} ${s}`) ?? 0;
      if (n === 0) missing.push(`${o.operationId} ${s}`);
      return n === 0 ? ' MISS' : String(n).padStart(5);
    });
    return `${o.operationId.padEnd(24)}${cells.join(' ')}`;
  });
  const out = [
    '',
    'Contract coverage (calls checked against the spec, per operation × documented status; - = not documented)',
    `${''.padEnd(24)}${statuses.map((s) => s.padStart(5)).join(' ')}`,
    ...rows,
    `documented (operation, status) pairs: ${operations.reduce((n, o) => n + o.statuses.length, 0)}, exercised: ${operations.reduce((n, o) => n + o.statuses.length, 0) - missing.length}`,
    '',
  ];
  process.stdout.write(out.join('\n'));
  const remote = Boolean(process.env.GIJ_BASE_URL);
  if (undocumented.length) throw new Error(`Undocumented statuses answered: ${undocumented.join(', ')}`);
  if (missing.length && !remote) throw new Error(`Documented but never exercised: ${missing.join(', ')}`);
}
