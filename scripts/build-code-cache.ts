// Part of `npm run build`: writes dist/bundle/gij-mock.code-cache, V8's compiled code of the bundle, which
// bin/load-bundle.cjs hands to V8 at every start. It compiles the bundle afresh, starts its library on a
// free loopback port, sends the spec's example story (the first example of each operation, as the
// example-story test does), stops, and saves what V8 compiled. Only functions that ran are in the cache:
// its size is what every start reads and deserializes.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { operationsOf } from '../src/operations.js';
import { loadSpec } from '../src/spec.js';
import { EXAMPLE_STORY, firstExampleRequest } from './example-requests.js';

interface Loaded { exports: { startGijMock(options: Record<string, unknown>): Promise<{ url: string; close(): Promise<void> }> }; script: unknown }
const { CODE_CACHE, codeCacheFile, loadBundle } = createRequire(import.meta.url)('../bin/load-bundle.cjs') as {
  CODE_CACHE: string;
  codeCacheFile(script: unknown): Buffer;
  loadBundle(options: { codeCache: boolean }): Loaded;
};

const operations = operationsOf(loadSpec());
const { exports: gijMock, script } = loadBundle({ codeCache: false });
const mock = await gijMock.startGijMock({ port: 0, logLevel: 'silent' });
const authorization = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
try {
  for (const operationId of EXAMPLE_STORY) {
    const { method, path, body } = firstExampleRequest(operations.find((o) => o.operationId === operationId)!);
    const headers: Record<string, string> = body === undefined ? { authorization } : { authorization, 'content-type': 'application/json' };
    const response = await fetch(`${mock.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) throw new Error(`build-code-cache: ${method} ${path} answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  }
} finally {
  await mock.close();
}
const data = codeCacheFile(script);
writeFileSync(CODE_CACHE, data);
console.log(`code cache: ${CODE_CACHE} (${(data.length / 1024).toFixed(0)} KiB)`);
