// scripts/docs/navigation.ts: the docs page's operation index, from a spec, in Swagger UI's order and with its deep links.
import { describe, expect, it } from 'vitest';
import { deepLink, navigationHtml, operationIndex } from '../../scripts/docs/navigation.js';

const spec = {
  tags: [{ name: 'Second' }, { name: 'First' }, { name: 'Unused' }],
  paths: {
    '/a': {
      parameters: [],
      post: { operationId: 'addA', summary: 'Add <A> & "more"', tags: ['First'] },
      get: { operationId: 'listA', summary: 'List A', tags: ['First', 'Second'] },
    },
    '/b': { delete: { operationId: 'removeB', summary: 'Remove B' }, head: { operationId: 'headB', tags: ['Extra'] } },
  },
};

describe('the docs operation index', () => {
  it('lists tags in the spec\'s order, then tags only operations name, then default; operations in document order, under each of their tags', () => {
    expect(operationIndex(spec).map((t) => [t.name, t.operations.map((o) => o.operationId)])).toEqual([
      ['Second', ['listA']],
      ['First', ['addA', 'listA']],
      ['default', ['removeB']],
      ['Extra', ['headB']],
    ]);
  });

  it('links each entry to Swagger UI\'s deep link and escapes what the spec says', () => {
    expect(deepLink('Reindex', 'getReindexStatus')).toBe('#/Reindex/getReindexStatus');
    expect(deepLink(' My tag ', 'op')).toBe('#/My%20tag/op');
    const html = navigationHtml(operationIndex(spec));
    expect(html).toContain('<a href="#/First/addA" data-tag="First" data-op="addA" title="POST /a"><span class="gij-method gij-post">POST</span> Add &#60;A&#62; &#38; &#34;more&#34;</a>');
    expect(html).toContain('title="HEAD /b"><span class="gij-method gij-head">HEAD</span> HEAD /b</a>'); // no summary: method and path
    expect(html).not.toContain('Unused');
  });

  it('refuses an operation without operationId (it could not be linked)', () => {
    expect(() => operationIndex({ paths: { '/x': { get: { summary: 'x' } } } })).toThrow('GET /x has no operationId');
  });
});
