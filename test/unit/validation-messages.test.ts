// renderProblems on Ajv's errors for IntegrationRequest: one sentence naming each field and rule, with the
// spec's per-type rule text as advice.
import { describe, expect, it } from 'vitest';
import { loadSpec, SpecSchemas, type JsonSchema } from '../../src/spec.js';
import { fromAjvErrors, fromValidatorErrors, renderProblems, typeRule, type RenderedProblems } from '../../src/validation-messages.js';

const spec = loadSpec();
const validate = new SpecSchemas(spec, 'request').validator('/components/schemas/IntegrationRequest');
const awsRegions = spec.components.schemas.AwsRegion!.enum as string[];
const ruleText = (type: string): string => String(typeRule(spec, type)?.description);

function render(body: Record<string, unknown>): RenderedProblems {
  expect(validate(body), `${JSON.stringify(body)} should be invalid`).toBe(false);
  return renderProblems(fromAjvErrors(validate.errors ?? []), body, spec);
}

describe('renderProblems on Ajv errors of IntegrationRequest', () => {
  const cases: Array<{ given: string; body: Record<string, unknown>; want: Array<string | RegExp>; advice: 'type rule' | 'none' }> = [
    {
      given: 'GITHUB_SERVER without origin',
      body: { type: 'GITHUB_SERVER', pat: 'p' },
      want: ['origin is required when type is GITHUB_SERVER'],
      advice: 'type rule',
    },
    {
      given: 'GITHUB without credentials',
      body: { type: 'GITHUB' },
      want: ['pat, or username and password', /required when type is GITHUB\b/],
      advice: 'type rule',
    },
    {
      given: 'TFS_SERVER with pat and username "u"',
      body: { type: 'TFS_SERVER', origin: 'http://tfs', username: 'u', pat: 'p' },
      want: ['username must be "all"'],
      advice: 'type rule',
    },
    {
      given: 'GITHUB_SERVER with origin "ftp://x"',
      body: { type: 'GITHUB_SERVER', origin: 'ftp://x', pat: 'p' },
      want: ['origin must be an absolute http:// or https:// URL when type is GITHUB_SERVER'],
      advice: 'type rule',
    },
    {
      given: 'FILESPACE with an empty origin',
      body: { type: 'FILESPACE', origin: '' },
      want: ['origin must not be empty when type is FILESPACE'],
      advice: 'type rule',
    },
    { given: 'apiPath "x"', body: { type: 'GITHUB', pat: 'p', apiPath: 'x' }, want: ['apiPath must be empty or start with "/"'], advice: 'none' },
    { given: 'an unknown field', body: { type: 'GITHUB', pat: 'p', awsregion: 'eu-west-1' }, want: ['awsregion is not a field of this request'], advice: 'none' },
    {
      given: 'an unknown field whose name holds a slash',
      body: { type: 'GITHUB', pat: 'p', 'repo/name': 1 },
      want: ['repo/name is not a field of this request'],
      advice: 'none',
    },
    { given: 'no type', body: { pat: 'p' }, want: [/^type is required$/], advice: 'none' },
    {
      given: 'two broken fields',
      body: { type: 'GITHUB', pat: 'p', folderDepth: 9, global: 'yes' },
      want: [/folderDepth must be <= 5/, /global must be boolean/, /; /],
      advice: 'none',
    },
  ];
  for (const c of cases) {
    it(`renderProblems for ${c.given} names the field and rule${c.advice === 'type rule' ? ' and advises the type rule' : ''}`, () => {
      const rendered = render(c.body);
      for (const want of c.want) {
        if (typeof want === 'string') expect(rendered.problems).toContain(want);
        else expect(rendered.problems).toMatch(want);
      }
      if (c.advice === 'type rule') expect(rendered.advice).toBe(ruleText(String(c.body.type)));
      else expect(rendered.advice).toBeUndefined();
    });
  }

  it('renderProblems for awsRegion "ap-outh-1" lists the allowed regions', () => {
    const { problems } = render({ type: 'AWS', username: 'A', password: 's', awsRegion: 'ap-outh-1' });
    expect(problems).toMatch(/^awsRegion /);
    for (const region of awsRegions) expect(problems).toContain(region);
  });

  it('the advice for a rule-breaking body is the description of that type’s then-branch in the spec', () => {
    const rules = spec.components.schemas.IntegrationTypeRules!.allOf as JsonSchema[];
    const fromSpec = rules.map((r) => (r.then as JsonSchema).description);
    expect(fromSpec).toContain(render({ type: 'GITLAB_SERVER', origin: 'http://g' }).advice);
  });

  it('renderProblems with no items still gives a non-empty sentence', () => {
    expect(renderProblems([], {}, spec).problems).not.toBe('');
  });
});

describe('renderProblems on a nullable field (ReindexRequest repoId: a RepoId or null)', () => {
  const reindex = new SpecSchemas(spec, 'request').validator('/components/schemas/ReindexRequest');
  const cases: Array<{ given: unknown; want: string }> = [
    { given: 0, want: 'repoId must be >= 1' },
    { given: '2', want: 'repoId must be integer' },
    { given: 2147483648, want: 'repoId must be <= 2147483647' },
  ];
  for (const c of cases) {
    it(`repoId ${JSON.stringify(c.given)} is named by the rule it broke, not by its null alternative`, () => {
      expect(reindex({ repoId: c.given })).toBe(false);
      const { problems } = renderProblems(fromAjvErrors(reindex.errors ?? []), { repoId: c.given }, spec);
      expect(problems).toContain(c.want);
      expect(problems).not.toContain('must be null');
    });
  }
});

describe('fromValidatorErrors', () => {
  it('maps express-openapi-validator items to path, keyword and message', () => {
    expect(fromValidatorErrors([
      { path: '/body/origin', message: "must have required property 'origin'", errorCode: 'required.openapi.validation' },
      { path: '/query/bogus', message: 'Unknown query parameter \'bogus\'' },
    ])).toEqual([
      { path: '/body/origin', keyword: 'required', message: "must have required property 'origin'" },
      { path: '/query/bogus', keyword: 'unknownQuery', message: "Unknown query parameter 'bogus'" },
    ]);
  });
  it('renders an unknown query parameter as such', () => {
    expect(renderProblems(fromValidatorErrors([{ path: '/query/bogus', message: 'Unknown query parameter bogus' }]), undefined, spec).problems)
      .toBe('bogus is not a query parameter of this operation');
  });
});
