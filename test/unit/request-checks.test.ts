// nonIntegerForms: the body-text scanner that finds whole numbers written with a fraction or exponent,
// which JSON.parse hides (9007199254740991.4 parses to an integer).
import { describe, expect, it } from 'vitest';
import { operationsOf } from '../../src/operations.js';
import { nonIntegerForms, requestChecks } from '../../src/request-checks.js';
import { loadSpec } from '../../src/spec.js';

const fields = new Set(['projectMappingIds', 'folderDepth', 'maxMinsToCommitEmail', 'a/b']);

describe('nonIntegerForms', () => {
  const cases: Array<{ given: string; text: string; want: string[] }> = [
    { given: 'integers only', text: '{"folderDepth":2,"projectMappingIds":[1,2,3]}', want: [] },
    { given: 'a fraction in an array', text: '{"projectMappingIds":[10000,9007199254740991.4]}', want: ['/body/projectMappingIds/1'] },
    { given: '1.0 and 1e3 and 2E+1', text: '{"folderDepth":1.0,"maxMinsToCommitEmail":1e3,"projectMappingIds":[2E+1]}', want: ['/body/folderDepth', '/body/maxMinsToCommitEmail', '/body/projectMappingIds/0'] },
    { given: 'numbers inside strings', text: '{"displayName":"1.5e3","folderDepth":1,"apiFilter":"[?x > 1.0]"}', want: [] },
    { given: 'escaped quotes in a string before a number', text: '{"displayName":"a\\"b 1.5","folderDepth":1.5}', want: ['/body/folderDepth'] },
    { given: 'true, false and null between fields', text: '{"global":false,"x":null,"y":true,"folderDepth":3.0}', want: ['/body/folderDepth'] },
    { given: 'a field not in the list', text: '{"other":1.5}', want: [] },
    { given: 'white space and nesting', text: ' {\n "projectMappingIds" : [ 1 ,\t 2.50 ] , "a/b": {"c": [0.5]} }', want: ['/body/projectMappingIds/1', '/body/a~1b/c/0'] },
    { given: 'a negative exponent', text: '{"folderDepth":-1e-0}', want: ['/body/folderDepth'] },
  ];
  for (const c of cases) {
    it(`nonIntegerForms with ${c.given} returns ${c.want.length ? c.want.join(', ') : 'nothing'}`, () => {
      JSON.parse(c.text); // the scanner only ever sees parsed-valid JSON
      expect(nonIntegerForms(c.text, fields)).toEqual(c.want);
    });
  }
});

describe('requestChecks: the body schema\'s dependentRequired', () => {
  // Checked here, before any validator: express-openapi-validator's Ajv ignores the keyword.
  const spec = loadSpec();
  const checks = requestChecks(spec, false);
  const op = operationsOf(spec).find((o) => o.operationId === 'updateRepository')!;
  const problems = (body: unknown) => checks.collect({ operation: op, path: '/rest/gitplugin/1.0/repository', query: {}, body }, []).problems;
  it('realRoot without absoluteRoot names the rule at /body/absoluteRoot', () => {
    expect(problems({ id: 1, realRoot: 'x' })).toEqual([{ path: '/body/absoluteRoot', keyword: 'sentence', message: 'realRoot needs absoluteRoot: send both, or neither' }]);
  });
  it('realRoot with absoluteRoot, absoluteRoot alone, or a body that is not an object has no such problem', () => {
    for (const body of [{ id: 1, realRoot: 'x', absoluteRoot: false }, { id: 1, absoluteRoot: true }, [1], null, undefined]) expect(problems(body)).toEqual([]);
  });
});
