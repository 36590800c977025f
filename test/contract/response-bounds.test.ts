// The response side has the upper bounds the request side has: an answer that would quote a huge field
// name stays within ErrorResponse's maxLength (checked by expectContract against the spec).
import { describe, expect, it } from 'vitest';
import { expectContract } from '../helpers/contract.js';
import { errorOf } from '../helpers/expectations.js';
import { example, useFixture, VIA_PRISM, type AddBody } from '../helpers/fixture.js';

const fx = useFixture();

describe('response bounds', () => {
  // Prism validates the body itself and answers 422 before the server sees it.
  // The field name is shortened in the sentence; ApiError's own cut at 8192 is a unit case (test/unit/errors.test.ts).
  it.skipIf(VIA_PRISM)('POST /integration with a 20,000-character unknown field name responds 400 with an error within 8192 characters that names it', async () => {
    const name = `x${'y'.repeat(19_999)}`;
    const res = await fx.call('POST', '/integration', { body: { ...example<AddBody>('AddGithubRequest'), [name]: 1 } });
    expectContract('addIntegration', res, 400);
    const { error } = errorOf(res);
    expect(error.startsWith('x')).toBe(true);
    expect(error.length).toBeLessThanOrEqual(8192);
    expect(error).toMatch(/^xy+(\.\.\.)? is not a field of this request$/);
  });
});
