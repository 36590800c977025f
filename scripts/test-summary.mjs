// Prints vitest's result as one closing line ("Tests: N passed, N failed") and fails when no test ran.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-output/vitest.json';
const r = JSON.parse(readFileSync(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (r.numTotalTests === 0 || r.numPassedTests === 0) {
  console.error('no test ran');
  process.exit(1);
}
process.exit(r.numFailedTests > 0 ? 1 : 0);
