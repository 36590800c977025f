// npm run test:examples: an outside, example-driven tool runs the spec's own examples against gij-mock.
// Portman (test/examples/portman-config.yaml) turns openapi/openapi.yaml into a Postman collection with
// contract and variation tests and the two stories (document order, provisioning); newman runs it against the
// built gij-mock on a free loopback port, on the fixed clock of the spec's answer examples (the stories poll
// by moving it: see the config). Fails unless every assertion passes. Offline: both tools run from
// node_modules and fetch nothing.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { operationFor, operationsOf } from '../src/operations.js';
import { loadSpec, projectRoot } from '../src/spec.js';
import { exited, spawnServer } from '../test/helpers/spawn-server.js';

const TIME_LIMIT_MS = 180_000;
/** The clock of the spec's first answer examples (its Conventions). */
const STORY_CLOCK = '1626070678087';
const work = join(projectRoot, 'test-output', 'examples');
const collectionPath = join(work, 'collection.json');
const at = (...parts: string[]) => join(projectRoot, ...parts);

interface NewmanSummary {
  run: {
    stats: { assertions: { total: number; failed: number }; requests: { total: number; failed: number } };
    failures: Array<{ error: { message: string; test?: string }; source?: { name?: string } }>;
  };
}
type NewmanRun = (options: Record<string, unknown>, done: (err: Error | null, summary: NewmanSummary) => void) => void;
const newman = createRequire(import.meta.url)('newman') as { run: NewmanRun };

/** Runs Portman to write the collection (no upload, no newman of its own: it exits 0 on failed assertions). */
function generate(baseUrl: string): Promise<void> {
  const args = [
    '--local', at('openapi', 'openapi.yaml'), '--baseUrl', baseUrl,
    '--portmanConfigFile', at('test', 'examples', 'portman-config.yaml'),
    '--postmanConfigFile', at('test', 'examples', 'postman-config.json'),
    '--output', collectionPath,
  ];
  // Portman writes ./tmp/ in its working directory: keep it inside test-output.
  const child = spawn(at('node_modules', '.bin', 'portman'), args, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  let log = '';
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (d) => { log += String(d); });
  return exited(child).then((code) => {
    if (code !== 0) throw new Error(`portman exited with ${code}:\n${log}`);
  });
}

interface CollectionItem { name: string; item?: CollectionItem[]; request?: { method: string; url: { path: string[] } } }

/**
 * The spec's operationIds no request of the story folders (Integration Tests) sends. Portman's per-tag
 * requests are skipped (see the config), so an operation the stories leave out would go untested.
 */
function untestedOperations(): string[] {
  const operations = operationsOf(loadSpec());
  const collection = JSON.parse(readFileSync(collectionPath, 'utf8')) as CollectionItem;
  const requests = (items: CollectionItem[] = []): CollectionItem[] => items.flatMap((i) => (i.item ? requests(i.item) : [i]));
  const stories = collection.item?.find((i) => i.name === 'Integration Tests');
  const sent = new Set(requests(stories?.item).map((i) => {
    const path = `/${i.request!.url.path.map((segment) => (segment.startsWith(':') ? '1' : segment)).join('/')}`;
    return operationFor(operations, i.request!.method, path)?.operationId;
  }));
  return operations.map((o) => o.operationId).filter((id) => !sent.has(id));
}

function run(): Promise<NewmanSummary> {
  return new Promise((resolve, reject) => {
    newman.run({
      collection: JSON.parse(readFileSync(collectionPath, 'utf8')),
      reporters: ['cli'],
      timeoutRequest: 10_000,
      timeout: TIME_LIMIT_MS,
      ignoreRedirects: true,
    }, (err, summary) => (err ? reject(err) : resolve(summary)));
  });
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const server = await spawnServer(['--clock', STORY_CLOCK]);
const stop = () => { if (server.child.exitCode === null) server.child.kill('SIGTERM'); };
const timer = setTimeout(() => { console.error(`test:examples: over ${TIME_LIMIT_MS} ms, stopping`); stop(); process.exit(1); }, TIME_LIMIT_MS);
try {
  await generate(`${server.baseUrl}`);
  const untested = untestedOperations();
  if (untested.length) throw new Error(`the stories of portman-config.yaml send no request for ${untested.join(', ')}`);
  const { run: result } = await run();
  const { assertions, requests } = result.stats;
  for (const f of result.failures) console.error(`FAILED ${f.source?.name ?? '?'}: ${f.error.test ?? ''} ${f.error.message}`);
  console.log(`test:examples: ${requests.total} requests, ${assertions.total} assertions, ${assertions.failed} failed`);
  if (assertions.total === 0 || requests.total === 0) throw new Error('the collection ran no request or no assertion');
  if (result.failures.length > 0) process.exitCode = 1;
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  clearTimeout(timer);
  stop();
  await exited(server.child);
}
