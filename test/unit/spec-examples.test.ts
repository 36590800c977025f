// Every body the vendor documents, checked against the spec's schemas; rule-breaking variants rejected.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec, projectRoot, SpecSchemas } from '../../src/spec.js';

interface DocExample { name: string; body?: Record<string, unknown>; response?: unknown }
const examples = JSON.parse(readFileSync(join(projectRoot, 'test', 'fixtures', 'vendor-examples.json'), 'utf8')) as DocExample[];
const spec = loadSpec();
const requestView = new SpecSchemas(spec, 'request');
const responseView = new SpecSchemas(spec, 'response');
const schema = (view: SpecSchemas, name: string) => view.validator(`/components/schemas/${name}`);

// Which schema answers which documented response; `shape` says whether the page version is the current one.
const RESPONSE_KINDS: Array<{ match: RegExp; schema: string; shape: 'current' | 'superseded' }> = [
  { match: /^POST .*response example/, schema: 'IntegrationSavedResponse', shape: 'current' },
  { match: /^PUT \/rest\/gitplugin\/1\.0\/integration\/1 - Update Example \d response/, schema: 'IntegrationSavedResponse', shape: 'current' },
  { match: /^GET \/rest\/gitplugin\/1\.0\/integration\/2 .*current page/, schema: 'IntegrationOneResponse', shape: 'current' },
  { match: /^GET \/rest\/gitplugin\/1\.0\/integration\/2 .*key 'integrations'/, schema: 'IntegrationOneResponse', shape: 'superseded' },
  { match: /^GET \/rest\/gitplugin\/1\.0\/integration - .*(current page|June 2023)/, schema: 'IntegrationListResponse', shape: 'current' },
  { match: /^GET \/rest\/gitplugin\/1\.0\/integration - .*2022 to May 2023/, schema: 'IntegrationListResponse', shape: 'superseded' },
  { match: /^DELETE .*Example 1/, schema: 'SuccessResponse', shape: 'current' },
  { match: /^DELETE .*unknown id/, schema: 'ErrorResponse', shape: 'current' },
  { match: /^PUT \/rest\/gitplugin\/1\.0\/repository\//, schema: 'SuccessResponse', shape: 'current' },
];

describe('vendor request examples', () => {
  const bodies = examples.filter((e) => e.body);
  it('the reference file holds the 18 documented request bodies', () => expect(bodies).toHaveLength(18));
  for (const ex of bodies) {
    const schemaName = ex.name.startsWith('POST') ? 'IntegrationRequest' : 'IntegrationUpdateRequest';
    it(`${ex.name} validates against ${schemaName}`, () => {
      const validate = schema(requestView, schemaName);
      expect(validate(ex.body), JSON.stringify(validate.errors)).toBe(true);
    });
  }
});

describe('vendor response examples', () => {
  const responses = examples.filter((e) => e.response !== undefined);
  it('every documented response has a known kind', () => {
    for (const ex of responses) expect(RESPONSE_KINDS.filter((k) => k.match.test(ex.name)), ex.name).toHaveLength(1);
  });
  for (const ex of responses) {
    const kind = RESPONSE_KINDS.find((k) => k.match.test(ex.name));
    if (!kind) continue;
    const verdict = kind.shape === 'current' ? 'validates' : 'is rejected (superseded page version)';
    it(`${ex.name} ${verdict} against ${kind.schema}`, () => {
      const validate = schema(responseView, kind.schema);
      expect(validate(ex.response), JSON.stringify(validate.errors)).toBe(kind.shape === 'current');
    });
  }
});

describe('rule-breaking add requests are rejected', () => {
  const github = { type: 'GITHUB', pat: 'p' };
  const aws = { type: 'AWS', username: 'AKIA', password: 's', awsRegion: 'eu-west-1' };
  const cases: Array<{ given: string; body: Record<string, unknown> }> = [
    { given: 'missing type', body: { pat: 'p' } },
    { given: 'unknown type', body: { type: 'BITBUCKET', pat: 'p' } },
    { given: 'GITHUB_SERVER without origin', body: { type: 'GITHUB_SERVER', pat: 'p' } },
    { given: 'GITHUB_SERVER with an empty origin', body: { type: 'GITHUB_SERVER', origin: '', pat: 'p' } },
    { given: 'GITHUB without any credential', body: { type: 'GITHUB' } },
    { given: 'GITHUB with username but no password', body: { type: 'GITHUB', username: 'u' } },
    { given: 'GITLAB_SERVER_LEGACY without password', body: { type: 'GITLAB_SERVER_LEGACY', origin: 'http://g', username: 'u' } },
    { given: 'TFS_SERVER with pat and a username other than "all"', body: { type: 'TFS_SERVER', origin: 'http://t', username: 'u', pat: 'p' } },
    { given: 'AWS without awsRegion', body: { type: 'AWS', username: 'AKIA', password: 's' } },
    { given: 'awsRegion "ap-outh-1" (the vendor typo)', body: { ...aws, awsRegion: 'ap-outh-1' } },
    { given: 'folderDepth 6', body: { type: 'FILESPACE', origin: '/r/*', folderDepth: 6 } },
    { given: 'folderDepth 0', body: { type: 'FILESPACE', origin: '/r/*', folderDepth: 0 } },
    { given: 'apiPath without a leading /', body: { ...github, apiPath: 'user/repos' } },
    { given: 'apiPath of 2001 characters', body: { ...github, apiPath: `/${'a'.repeat(2000)}` } },
    { given: 'a project id beyond int64', body: { ...github, projectMappingIds: [1e19] } },
    { given: 'maxMinsToCommitEmail 1e308', body: { ...github, maxMinsToCommitEmail: 1e308 } },
    { given: 'an unknown field', body: { ...github, awsregion: 'eu-west-1' } },
    { given: 'integrationType instead of type', body: { integrationType: 'GITHUB', pat: 'p' } },
    { given: 'a boolean sent as a string', body: { ...github, global: 'true' } },
  ];
  const validate = schema(requestView, 'IntegrationRequest');
  for (const c of cases) it(`${c.given} → invalid`, () => expect(validate(c.body)).toBe(false));
  it('the boundary values just inside the rules are valid', () => {
    expect(validate({ ...github, apiPath: `/${'a'.repeat(1999)}`, folderDepth: 5 })).toBe(true);
    expect(validate({ type: 'TFS_SERVER', origin: 'http://t', username: 'all', pat: 'p' })).toBe(true);
    expect(validate({ type: 'GITHUB', origin: '', pat: 'p' })).toBe(true);
  });
});

describe('secrets in the schemas', () => {
  const SECRETS = ['password', 'pat', 'username'];
  it('are writeOnly wherever they are declared', () => {
    const props = spec.components.schemas.IntegrationSettings!.properties as Record<string, { writeOnly?: boolean }>;
    for (const s of SECRETS) expect(props[s]?.writeOnly, s).toBe(true);
  });
  it('are declared by no response schema', () => {
    const responseSchemas = JSON.stringify(Object.values(spec.paths).flatMap((item) => Object.values(item).map((op) => (op as { responses?: unknown }).responses ?? {})));
    const referenced = new Set([...responseSchemas.matchAll(/#\/components\/(?:schemas|responses)\/(\w+)/g)].map((m) => m[1]!));
    const seen = new Set<string>();
    const walk = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      const node = spec.components.schemas[name] ?? (spec.components as Record<string, Record<string, unknown>>).responses?.[name];
      const text = JSON.stringify(node);
      for (const s of SECRETS) expect(text, `${name} declares ${s}`).not.toMatch(new RegExp(`"${s}":`));
      for (const m of text.matchAll(/#\/components\/schemas\/(\w+)/g)) walk(m[1]!);
    };
    for (const name of referenced) walk(name);
    expect(seen.has('Integration')).toBe(true);
  });
});
