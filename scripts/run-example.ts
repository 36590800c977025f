// npm run example: starts the built gij-mock on a free port, runs examples/typed-client.ts against it, stops it.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../src/spec.js';
import { exited, spawnServer } from '../test/helpers/spawn-server.js';

const server = await spawnServer();
try {
  execFileSync(join(projectRoot, 'node_modules', '.bin', 'tsx'), [join(projectRoot, 'examples', 'typed-client.ts')], { stdio: 'inherit', env: { ...process.env, GIJ_BASE_URL: server.baseUrl } });
  console.log('example: passed');
} finally {
  server.child.kill('SIGTERM');
  await exited(server.child);
}
