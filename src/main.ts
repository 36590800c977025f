// Runs the command from the sources (`npm run dev`: tsx src/main.ts); the published command is bin/gij-mock.cjs.
import { runCli } from './cli.js';

await runCli();
