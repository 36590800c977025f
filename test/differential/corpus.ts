// The differential test's requests: every API operation, with bodies from the spec's examples, valid
// generated bodies and their single-rule mutations (test/property), plus what only the wire can show —
// `1.0` for an integer, broken JSON, media types, path ids, query parameters, credentials. Plain data,
// so the same request can go to any host (a socket, a fetch handler, MSW).
import fc from 'fast-check';
import { example } from '../helpers/examples.js';
import type { Config } from '../../src/config.js';
import { API, startTarget } from '../helpers/target.js';
import { anyValidBody, spec, type Body } from '../property/arbitraries.js';
import { mutationOf } from '../property/mutations.js';

export interface WireRequest {
  /** what the request tries, for the report: e.g. "updateIntegration mutation: unknown field" */
  readonly label: string;
  readonly method: string;
  /** path and query, from the server's root (no context path) */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

const examples = Object.keys((spec.components as unknown as { examples: object }).examples);
const addExamples = examples.filter((n) => /^Add\w*Request$/.test(n)).map((n) => example(n));
const updateExamples = examples.filter((n) => /^Update\w*Request$/.test(n)).map((n) => example(n));
/** Ids 1..SEEDED exist in every session (the test seeds them); any other id is unknown. */
export const SEEDED = addExamples.length;
const seedBodies: readonly Body[] = addExamples;

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const auth = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ label: 'admin', value: basic('admin', 'admin') }) },
  { weight: 2, arbitrary: fc.constant({ label: 'admin PAT', value: 'Bearer admin-token' }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      { label: 'user (403)', value: basic('user', 'user') }, { label: 'user PAT (403)', value: 'Bearer user-token' },
      { label: 'no credentials', value: undefined }, { label: 'wrong password', value: basic('admin', 'nope') },
      { label: 'unknown token', value: 'Bearer nope' }, { label: 'not base64', value: 'Basic !!!' },
      { label: 'other scheme', value: 'Digest x' }, { label: 'empty', value: '' },
    ),
  },
);

/** Headers of the other stages a validator must not upset: faults asked per request, a foreign page's Origin. */
type Extra = { label: string; headers: Record<string, string> };
const otherHeaders = fc.oneof(
  { weight: 30, arbitrary: fc.constant<Extra>({ label: '', headers: {} }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Extra>(
      { label: 'Prefer code=503', headers: { prefer: 'code=503' } }, { label: 'Prefer bogus', headers: { prefer: 'bogus=1' } },
      { label: 'foreign Origin', headers: { origin: 'http://evil.example' } }, { label: 'loopback Origin', headers: { origin: 'http://localhost:3000' } },
    ),
  },
);

const existingId = fc.integer({ min: 1, max: SEEDED }).map(String);
const pathId = fc.oneof(
  { weight: 8, arbitrary: existingId },
  { weight: 3, arbitrary: fc.constantFrom('999', '2147483647', '0', '-1', 'abc', '1.0', '1e3', '01', '2147483648', '99999999999', '%20', 'null', '+1', '%31', '1%20', '0x1', '１') },
);
const flag = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('true', 'false') },
  { weight: 1, arbitrary: fc.constantFrom('TRUE', 'yes', '1', '', 'true&x=1', 'true&disable=false', 'true&deleteFiles=true', 'tru%65', 'true%00', '%74rue', 'true#frag', ' true') },
);
const extraQuery = fc.oneof({ weight: 8, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('?x=1', '?', '?deleteFiles=true', '?disable=true', '?a=&b') });

const mediaType = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8', 'application/vnd.gij+json', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded',
      'application/xml', 'application/json; charset=latin1', '',
    ),
  },
);

/** JSON text breaking what the parsed value cannot show: whole numbers as 1.0, broken syntax, non-objects. */
function textVariants(body: Body): fc.Arbitrary<{ label: string; text: string }> {
  const json = JSON.stringify(body);
  const asDecimal = json.replace(/("(?:maxMinsToCommitEmail|id)":|\[)(\d+)/, '$1$2.0');
  return fc.constantFrom(
    { label: 'integer written 1.0', text: asDecimal === json ? json.replace(/}$/, ',"maxMinsToCommitEmail":5.0}').replace(/^{,/, '{') : asDecimal },
    { label: 'truncated JSON', text: json.slice(0, Math.max(1, json.length >> 1)) },
    { label: 'trailing comma', text: json.replace(/}$/, ',}') },
    { label: 'single quotes', text: "{'type':'GITHUB'}" },
    { label: 'array body', text: `[${json}]` },
    { label: 'null body', text: 'null' },
    { label: 'string body', text: '"GITHUB"' },
    { label: 'empty body', text: '' },
    { label: 'empty object', text: '{}' },
    { label: 'duplicate key', text: json.replace(/^{/, '{"type":"AWS",') },
    { label: 'integer written 1e2', text: json.replace(/}$/, ',"maxMinsToCommitEmail":1e2}').replace(/^{,/, '{') },
    { label: 'integer written -0', text: json.replace(/}$/, ',"maxMinsToCommitEmail":-0}').replace(/^{,/, '{') },
    { label: 'lone surrogate in displayName', text: json.replace(/}$/, ',"displayName":"a\\ud800b"}').replace(/^{,/, '{') },
    { label: 'null for a field', text: json.replace(/}$/, ',"displayName":null}').replace(/^{,/, '{') },
    { label: 'id 2^53 in projectMappingIds', text: json.replace(/}$/, ',"projectMappingIds":[9007199254740993]}').replace(/^{,/, '{') },
  );
}

type Labeled = { label: string; text: string };
const bodyOf = (label: string, b: Body): Labeled => ({ label, text: JSON.stringify(b) });
/** A body for add or update: examples, valid bodies, one-rule mutations, and wire-level variants. */
const anyBody: fc.Arbitrary<Labeled> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...addExamples, ...updateExamples).map((b) => bodyOf('example', b)) },
  { weight: 4, arbitrary: anyValidBody.map((b) => bodyOf('valid', b)) },
  { weight: 8, arbitrary: anyValidBody.chain(mutationOf).map((m) => bodyOf(`mutation: ${m.rule}`, m.body)) },
  { weight: 3, arbitrary: fc.oneof(fc.constantFrom(...addExamples), anyValidBody).chain(textVariants) },
);

/** Update bodies: the same, and (as partial updates usually are) the same without `type`, which must not change. */
const withoutType = (b: Labeled): Labeled => {
  const parsed: unknown = (() => { try { return JSON.parse(b.text); } catch { return undefined; } })();
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('type' in parsed)) return b;
  const { type: _dropped, ...rest } = parsed as Body;
  return { label: `${b.label}, no type`, text: JSON.stringify(rest) };
};
const updateBody = fc.oneof(anyBody, anyBody.map(withoutType));

interface Shape { operation: string; method: string; path: string; body?: Labeled; type?: string }
const shapes: fc.Arbitrary<Shape> = fc.oneof(
  { weight: 3, arbitrary: anyBody.map((body) => ({ operation: 'addIntegration', method: 'POST', path: '/integration', body })) },
  { weight: 3, arbitrary: fc.tuple(pathId, updateBody).map(([id, body]) => ({ operation: 'updateIntegration', method: 'PUT', path: `/integration/${id}`, body })) },
  { weight: 2, arbitrary: fc.tuple(pathId, extraQuery).map(([id, q]) => ({ operation: 'getIntegration', method: 'GET', path: `/integration/${id}${q}` })) },
  { weight: 1, arbitrary: extraQuery.map((q) => ({ operation: 'listIntegrations', method: 'GET', path: `/integration${q}` })) },
  { weight: 1, arbitrary: fc.tuple(pathId, fc.option(flag, { freq: 3 })).map(([id, f]) => ({ operation: 'removeIntegration', method: 'DELETE', path: `/integration/${id}${f === null ? '' : `?deleteFiles=${f}`}` })) },
  { weight: 2, arbitrary: fc.tuple(pathId, fc.option(flag, { freq: 8 })).map(([id, f]) => ({ operation: 'setIntegrationDisabled', method: 'PUT', path: `/repository/${id}/disable${f === null ? '' : `?disable=${f}`}` })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      ['PATCH', '/integration/1'], ['DELETE', '/integration'], ['POST', '/integration/1'], ['GET', '/repository/1/disable'],
      ['GET', '/integration/1/extra'], ['GET', '/Integration'], ['HEAD', '/integration/1'], ['OPTIONS', '/integration'],
    ).map(([method, path]) => ({ operation: 'elsewhere', method: method!, path: path! })),
  },
);

/** One request of the corpus; `session` isolates it (each case gets its own fresh, seeded store). */
export const wireRequest: fc.Arbitrary<Omit<WireRequest, 'headers'> & { headers: Record<string, string> }> = fc
  .tuple(shapes, auth, mediaType, otherHeaders)
  .map(([shape, credentials, type, other]) => {
    const headers: Record<string, string> = { accept: 'application/json', ...other.headers };
    if (credentials.value !== undefined) headers.authorization = credentials.value;
    const sendsBody = shape.body !== undefined;
    if (sendsBody && type !== '') headers['content-type'] = type;
    const parts = [`${shape.operation} ${shape.method} ${shape.path}`, credentials.label];
    if (shape.body) parts.push(shape.body.label, `media type ${JSON.stringify(type)}`);
    if (other.label) parts.push(other.label);
    return { label: parts.join(' | '), method: shape.method, url: `${API}${shape.path}`, headers, body: shape.body?.text };
  });

/** The --seed of both targets: the spec's add examples (ids 1..SEEDED) as a server stores them at `clock`. */
export async function seedDocument(clock: number): Promise<NonNullable<Config['seed']>> {
  const scratch = await startTarget({ logLevel: 'silent', clock }, {}, 'express');
  try {
    for (const body of seedBodies) {
      const res = await fetch(`${scratch.baseUrl}${API}/integration`, { method: 'POST', headers: { authorization: scratch.admin, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status !== 200) throw new Error(`seeding: ${res.status} ${await res.text()}`);
    }
    const state = (await (await fetch(`${scratch.baseUrl}/__mock/state`)).json()) as NonNullable<Config['seed']>;
    if (state.integrations.length !== SEEDED) throw new Error(`seeding: ${state.integrations.length} of ${SEEDED} integrations exported`);
    return { integrations: state.integrations, nextId: state.nextId };
  } finally {
    await scratch.close();
  }
}
