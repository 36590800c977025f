// Part of `npm run build`: writes dist/bundle/gij-mock.code-cache, V8's compiled code of the bundle, which
// bin/load-bundle.cjs hands to V8 at every start. It compiles the bundle afresh, starts its library on a
// free loopback port, sends what a start and a client's first steps send, stops, and saves what V8 compiled.
// Only functions that ran are in the cache: its size is what every start reads and deserializes.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const { CODE_CACHE, codeCacheFile, loadBundle } = createRequire(import.meta.url)('../bin/load-bundle.cjs');
const { exports: gijMock, script } = loadBundle({ codeCache: false });
const mock = await gijMock.startGijMock({ port: 0, logLevel: 'silent' });
const auth = { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };
// The bodies are the spec's first examples of each operation (the story add → get → update → remove).
const spec = JSON.parse(readFileSync(new URL('../dist/openapi/openapi.json', import.meta.url), 'utf8'));
const firstExample = (operation) => {
  const example = Object.values(operation.requestBody.content['application/json'].examples)[0];
  return example.$ref ? spec.components.examples[example.$ref.split('/').pop()].value : example.value;
};
const list = spec.paths['/rest/gitplugin/1.0/integration'];
const one = spec.paths['/rest/gitplugin/1.0/integration/{integrationId}'];
const requests = [['GET', '/integration'], ['POST', '/integration', firstExample(list.post)], ['GET', '/integration/1'], ['PUT', '/integration/1', firstExample(one.put)], ['DELETE', '/integration/1']];
try {
  for (const [method, path, body] of requests) {
    const headers = body ? { ...auth, 'content-type': 'application/json' } : auth;
    const response = await fetch(`${mock.apiUrl}${path}`, { method, headers, body: body && JSON.stringify(body) });
    if (!response.ok) throw new Error(`build-code-cache: ${method} ${path} answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  }
} finally {
  await mock.close();
}
const data = codeCacheFile(script);
writeFileSync(CODE_CACHE, data);
console.log(`code cache: ${CODE_CACHE} (${(data.length / 1024).toFixed(0)} KiB)`);
