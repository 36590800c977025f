// scripts/test-readme.ts's extractor: which README blocks run, which a skip marker keeps out, and that every
// runnable block of today's README is either run or skipped with a reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/spec.js';
import { errorLines, readmeSnippets } from '../../scripts/test-readme.js';

const fence = '```';

describe('README snippet extractor', () => {
  it('takes sh, js, mjs and ts blocks with their line; other languages and unlabelled blocks are not run', () => {
    const md = [`${fence}sh`, 'curl x', fence, `${fence}yaml`, 'a: 1', fence, `${fence}`, 'plain', fence, `${fence}mjs`, 'await 1;', fence, `${fence}ts`, 'let a: number = 1;', fence, `${fence}js`, '1', fence].join('\n');
    expect(readmeSnippets(md)).toEqual([
      { lang: 'sh', line: 1, code: 'curl x' },
      { lang: 'mjs', line: 10, code: 'await 1;' },
      { lang: 'ts', line: 13, code: 'let a: number = 1;' },
      { lang: 'js', line: 16, code: '1' },
    ]);
  });

  it('a readme-test skip marker on the line before (blank lines between allowed) skips that block only', () => {
    const md = ['<!-- readme-test: skip (needs a real Jira) -->', '', `${fence}sh`, 'a', fence, 'text', `${fence}sh`, 'b', fence].join('\n');
    expect(readmeSnippets(md)).toEqual([{ lang: 'sh', line: 3, code: 'a', skip: 'needs a real Jira' }, { lang: 'sh', line: 7, code: 'b' }]);
  });

  it('an unclosed block is an error naming its line', () => {
    expect(() => readmeSnippets(`text\n${fence}sh\ncurl`)).toThrow('README.md:2: a fenced block that is never closed');
  });

  it('the README: the library snippet is plain ESM (no await using), and every skipped block gives a reason', () => {
    const snippets = readmeSnippets(readFileSync(join(projectRoot, 'README.md'), 'utf8'));
    expect(snippets.filter((s) => s.lang !== 'ts' && /^\s*await using\b/m.test(s.code))).toEqual([]);
    expect(snippets.filter((s) => !s.skip).length).toBeGreaterThanOrEqual(3);
    for (const s of snippets.filter((x) => x.skip)) expect(s.skip!.length).toBeGreaterThan(10);
  });

  it('errorLines keeps the error line of a failed snippet, not its stack or a line of minified bundle', () => {
    const output = ['/x/gij-mock.cjs:88', `${'a'.repeat(5000)} Error: in minified code`, '', 'Error: gij-mock POST /__mock/reset answered 404: No operation', '    at async Object.reset (/x/gij-mock.cjs:88:16359)', 'Node.js v20.19.0'].join('\n');
    expect(errorLines(output)).toBe('Error: gij-mock POST /__mock/reset answered 404: No operation');
    expect(errorLines('one\ntwo\nthree\nfour')).toBe('two | three | four');
  });
});
