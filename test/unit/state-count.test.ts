// countStateEntries, the byte-level count of a state document's integrations that runs before JSON.parse:
// equal to what JSON.parse finds (up to the stop) on generated documents, whatever their strings, nesting,
// spacing and escaped keys; and it stops early on a document with millions of entries.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countStateEntries } from '../../src/mock/state-count.js';
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

describe('countStateEntries', () => {
  it('equals min(JSON.parse(text).integrations.length, stopAt) on generated documents', () => {
    const runs = propertyRuns(1000);
    console.log(seedLine(runs));
    fc.assert(fc.property(document, (d) => {
      const entries = Object.entries(d.others).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v, null, d.indent)}`);
      if (d.integrations !== undefined) {
        const key = d.escapedKey ? '"\\u0069ntegr\\u0061tions"' : '"integrations"';
        entries.splice(d.position % (entries.length + 1), 0, `${key} : ${JSON.stringify(d.integrations, null, d.indent)}`);
      }
      const text = `{ ${entries.join(' ,\n')} }`;
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
