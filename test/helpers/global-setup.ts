// Runs once per vitest run: clears the contract coverage records; afterwards prints and checks them.
import { rmSync } from 'node:fs';
import { COVERAGE_DIR_PATH, reportCoverage } from './coverage-report.js';

export function setup(): void {
  rmSync(COVERAGE_DIR_PATH, { recursive: true, force: true });
}

export function teardown(): void {
  try {
    reportCoverage();
  } catch (e) {
    // vitest 4 only logs a teardown error ("error during close") and still exits 0.
    process.exitCode = 1;
    throw e;
  }
}
