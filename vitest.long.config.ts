// The long runs (npm run test:fuzz, npm run test:soak): same global setup as vitest.config.ts, long timeouts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/long/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 120_000,
    passWithNoTests: false,
  },
});
