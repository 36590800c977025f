// countStateEntries, the byte-level count of a state document's integrations that runs before JSON.parse:
// equal to what JSON.parse finds (up to the stop) on generated documents, whatever their strings, nesting,
// spacing and escaped keys; and it stops early on a document with millions of entries. parseStateBody, the
// sliced parse built on it: the same value as JSON.parse, or the same failure, on those documents and on
// damaged copies of them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countStateEntries } from '../../src/mock/state-count.js';
import { parseStateBody } from '../../src/mock/state-parse.js';
import { propertyRuns, propertySeed as seed, seedLine } from '../helpers/property-settings.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');
/** Strings full of what a scanner could mistake for structure. */
const tricky = fc.string({ unit: fc.constantFrom('"', '\\', '[', ']', '{', '}', ',', ':', ' ', 'a', 'é', '😀', '\n'), maxLength: 8 });
const value = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), tricky,
    fc.array(tie('any'), { maxLength: 4 }), fc.dictionary(tricky, tie('any'), { maxKeys: 3 })),
})).any;
const document = fc.record({
  others: fc.dictionary(tricky.filter((k) => k !== 'integrations'), value, { maxKeys: 4 }),
  integrations: fc.option(fc.oneof(fc.array(value, { maxLength: 12 }), value), { nil: undefined }),
  position: fc.nat(),
  escapedKey: fc.boolean(),
  indent: fc.constantFrom(0, 1, 2, '\t', '\r\n'),
  stopAt: fc.integer({ min: 1, max: 14 }),
});

function documentText(d: typeof document extends fc.Arbitrary<infer T> ? T : never): string {
  const entries = Object.entries(d.others).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v, null, d.indent)}`);
  if (d.integrations !== undefined) {
    const key = d.escapedKey ? '"\\u0069ntegr\\u0061tions"' : '"integrations"';
    entries.splice(d.position % (entries.length + 1), 0, `${key} : ${JSON.stringify(d.integrations, null, d.indent)}`);
  }
  return `{ ${entries.join(' ,\n')} }`;
}

describe('countStateEntries', () => {
  it('equals min(JSON.parse(text).integrations.length, stopAt) on generated documents', () => {
    const runs = propertyRuns(1000);
    console.log(seedLine(runs));
    fc.assert(fc.property(document, (d) => {
      const text = documentText(d);
      const parsed = JSON.parse(text) as { integrations?: unknown };
      const expected = Array.isArray(parsed.integrations) ? Math.min(parsed.integrations.length, d.stopAt) : 0;
      expect(countStateEntries(bytes(text), d.stopAt)).toBe(expected);
    }), { numRuns: runs, seed });
  });
  it('counts only the top-level integrations array, not one nested deeper or in a string', () => {
    const text = '{"a":{"integrations":[1,2,3]},"b":"\\"integrations\\":[1,2]","integrations":[[1,2],{"x":[3,4]}]}';
    expect(countStateEntries(bytes(text), 100)).toBe(2);
    expect(countStateEntries(bytes('[{"integrations":[1,2]}]'), 100)).toBe(0);
    expect(countStateEntries(bytes('{"integrations":[]}'), 100)).toBe(0);
  });
  it('stops at stopAt without reading the rest of 12 million entries', () => {
    const text = bytes(`{"integrations":[${'{},'.repeat(12_000_000)}{}]}`);
    const started = performance.now();
    expect(countStateEntries(text, 10_001)).toBe(10_001);
    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe('parseStateBody', () => {
  /** JSON.parse's verdict, as parseStateBody reports it: the value, or a parse failure for the error handler. */
  const expected = (text: string) => {
    try {
      const value = JSON.parse(text) as unknown;
      return /^\s*[{[]/.test(text) ? { value } : 'fails';
    } catch { return 'fails'; }
  };
  const actual = async (text: string, max = 1000) => {
    try { return await parseStateBody(bytes(text), max); } catch (e) { return (e as { type?: string }).type === 'entity.parse.failed' ? 'fails' : e; }
  };
  it('gives what JSON.parse gives on generated documents, and on copies with one character cut, doubled or replaced', async () => {
    const runs = propertyRuns(1000);
    console.log(seedLine(runs));
    const damage = fc.record({ at: fc.nat(), how: fc.constantFrom('cut', 'double', ',', ']', '[', '"', '}', ' 1') });
    await fc.assert(fc.asyncProperty(document, fc.option(damage, { nil: undefined }), async (d, hurt) => {
      let text = documentText(d);
      if (hurt) {
        // By code point: a lone surrogate has no UTF-8 form, so bytes and text would differ.
        const chars = Array.from(text);
        const at = hurt.at % chars.length;
        chars[at] = hurt.how === 'cut' ? '' : hurt.how === 'double' ? chars[at]! + chars[at] : hurt.how;
        text = chars.join('');
      }
      const want = expected(text);
      const got = await actual(text);
      expect(got).toEqual(want === 'fails' ? 'fails' : { tooMany: false, ...want });
    }), { numRuns: runs, seed });
  });
  it('reads an empty body as {}, drops a BOM, and answers tooMany past the limit without parsing', async () => {
    expect(await parseStateBody(Buffer.alloc(0), 5)).toEqual({ tooMany: false, value: {} });
    expect(await parseStateBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes('{"integrations":[1]}')]), 5)).toEqual({ tooMany: false, value: { integrations: [1] } });
    expect(await parseStateBody(bytes('{"integrations":[1,2,3]}'), 2)).toEqual({ tooMany: true });
    expect(await actual('"just a string"')).toBe('fails');
    expect(await actual('  ')).toBe('fails');
  });
});
