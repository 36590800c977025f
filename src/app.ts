// createApp(config) → Express app (src/hosts/express.ts). It never listens (src/cli.ts and the library do,
// through src/server.ts, with the node:http host).
export { closeApp, createApp, type AppDeps } from './hosts/express.js';
