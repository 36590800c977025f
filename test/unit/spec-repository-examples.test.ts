// Every body the vendor published for the repository and reindex operations (test/fixtures/vendor-repository-examples.json):
// each current one is an example of the spec, word for word, and valid against its operation's schema; each one
// the spec leaves out is named below with the reason, and is not an example.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadSpec, projectRoot, SpecSchemas } from '../../src/spec.js';

interface VendorEntry { name: string; kind: 'request' | 'response' | 'error-response'; body: unknown }
const vendor = JSON.parse(readFileSync(join(projectRoot, 'test', 'fixtures', 'vendor-repository-examples.json'), 'utf8')) as VendorEntry[];
const spec = loadSpec();

/** Every example value the document holds: components.examples, and `examples`/`example` wherever they stand. */
function exampleValues(node: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) { for (const item of node) exampleValues(item, out); return out; }
  if (node === null || typeof node !== 'object') return out;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example') out.push(value);
    else if (key === 'examples' && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const ex of Object.values(value)) if (ex && typeof ex === 'object' && 'value' in ex) out.push((ex as { value: unknown }).value);
    }
    exampleValues(value, out);
  }
  return out;
}
const examples = exampleValues(spec);
const isExample = (body: unknown) => examples.some((v) => isDeepStrictEqual(v, body));

// Left out of the spec on purpose; each reason is the spec's own decision.
const LEFT_OUT: Array<{ match: RegExp; reason: string }> = [
  { match: /history_2023_06_wrong_integrations/, reason: 'the June 2023 page showed integrations under a repository list: a page error, corrected since' },
  { match: /history_2022_05_response/, reason: 'the 2022 Add answer echoed pat and password: secrets are write-only, never shown' },
  { match: /history_2022_v1_index_json/, reason: 'the legacy v1 reindex (POST /rest/gitplugin/1.0/index.json) is not the Reindex operation (2.0)' },
  { match: /history_2023_03_28_repoId_array/, reason: 'a 2023 draft sent repoId as an array; the current page and the app take one id' },
  { match: /index\.json - Reindex GET API response/, reason: 'its threadId is the number 172 where every other page has a UUID: the spec shows it with the vendor\'s Reindex thread id' },
];
const leftOut = (e: VendorEntry) => LEFT_OUT.find((l) => l.match.test(e.name));

// Which schema a vendor body is checked against, by the operation its name starts with.
const SCHEMAS: Array<{ match: RegExp; request?: string; response: string }> = [
  { match: /^GET \/rest\/gitplugin\/1\.0\/repository /, response: 'RepositoryListResponse' },
  { match: /^POST \/rest\/gitplugin\/1\.0\/repository /, request: 'RepositoryRequest', response: 'Repository' },
  { match: /^PUT \/rest\/gitplugin\/1\.0\/repository /, request: 'RepositoryUpdateRequest', response: 'Repository' },
  { match: /^DELETE \/rest\/gitplugin\/1\.0\/repository /, response: 'SuccessResponse' },
  { match: /^PUT \/rest\/gitplugin\/1\.0\/repository\/\{repoId\}\/disable /, response: 'SuccessResponse' },
  { match: /^POST \/rest\/gitplugin\/2\.0\/reindex /, request: 'ReindexRequest', response: 'ReindexStartedResponse' },
  { match: /^GET \/rest\/gitplugin\/1\.0\/index\.json /, response: 'ReindexStatusResponse' },
];
const views = { request: new SpecSchemas(spec, 'request'), response: new SpecSchemas(spec, 'response') };

describe('vendor repository and reindex bodies in the spec', () => {
  it('the reference file holds the 25 published bodies, each of a known operation', () => {
    expect(vendor).toHaveLength(25);
    for (const e of vendor) expect(SCHEMAS.filter((s) => s.match.test(e.name)), e.name).toHaveLength(1);
  });

  for (const e of vendor) {
    const out = leftOut(e);
    if (out) {
      it(`${e.name.slice(0, 90)}: left out (${out.reason})`, () => expect(isExample(e.body)).toBe(false));
      continue;
    }
    it(`${e.name.slice(0, 90)}: an example of the spec, valid against its schema`, () => {
      expect(isExample(e.body), JSON.stringify(e.body)).toBe(true);
      const target = SCHEMAS.find((s) => s.match.test(e.name))!;
      // The March 2023 page labels the blank body it sends a response: it is the request (the spec's ReindexAllRequest).
      const asRequest = e.kind === 'request' || /history_2023_03_28_blank_repoId/.test(e.name);
      const [view, name] = asRequest ? [views.request, target.request!] : e.kind === 'error-response' ? [views.response, 'ErrorResponse'] : [views.response, target.response];
      const validate = view.validator(`/components/schemas/${name}`);
      expect(validate(e.body), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    });
  }

  it('the status answer the spec shows instead of the vendor\'s numbered one differs only in the thread id', () => {
    const numbered = vendor.find((e) => /index\.json - Reindex GET API response/.test(e.name))!.body as Record<string, unknown>;
    const components = spec.components as unknown as { examples: Record<string, { value: Record<string, unknown> }> };
    const shown = components.examples.ReindexStatusResponse!.value;
    expect({ ...shown, threadId: numbered.threadId }).toEqual(numbered);
    expect(shown.threadId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
