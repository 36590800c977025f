// Recipe: vitest with gij-mock answering through MSW's setupServer: no server, no port (setup.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { setupFiles: ['./setup.ts'] },
});
