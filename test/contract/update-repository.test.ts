import { describe, expect, it } from 'vitest';
import { expectContract, type HttpResult } from '../helpers/contract.js';
import { expectError, expectForbidden, expectMethodNotAllowed, expectNotFound, expectUnauthorized } from '../helpers/expectations.js';
import { call } from '../helpers/http.js';
import { BODY_LIMIT, example, HAS_USER, REMOTE, runId, VIA_PRISM, WRONG_TOKEN } from '../helpers/fixture.js';
import { expectDiskFull, removePath, standalone, useFailingDisk, useRepositoryFixture, type Repository } from '../helpers/repositories.js';

const fx = useRepositoryFixture();
const disk = useFailingDisk();
const update = (body: Record<string, unknown>) => fx.call('PUT', '/repository', { body });
/** A repository without what the indexing clock changes between two reads. */
const settled = (r: Repository | undefined) => {
  if (!r) return r;
  const { state: _state, lastIndexedDate: _indexed, ...rest } = r;
  return rest;
};
/** The fields the mock's X-Gij-Mock-Warning header says were ignored. */
const warned = (res: HttpResult) => String(res.headers['x-gij-mock-warning'] ?? '');

describe('updateRepository', () => {
  it('PUT /repository on a standalone repository responds 200 with the bare repository, only the fields sent changed', async () => {
    const before = await fx.addRepository(standalone());
    const patch = { displayName: `renamed ${runId}`, maxMinsToCommitEmail: 1441, gitViewerEnabled: false, mainBranch: 'develop', tagsFilter: 'v.*' };
    const res = await update({ id: before.id, ...patch });
    expectContract('updateRepository', res, 200);
    const updated = res.body as Repository;
    expect(updated).not.toHaveProperty('success');
    expect(settled(updated)).toEqual(settled({ ...before, ...patch }));
    expect(settled(await fx.repository(before.id))).toEqual(settled(updated));
  });

  it('PUT /repository on a standalone repository changes origin, realRoot and absoluteRoot', async () => {
    const before = await fx.addRepository(standalone());
    const patch = { origin: `${before.origin.replace(/\.git$/, '')}-moved.git`, realRoot: `/srv/git/${runId}`, absoluteRoot: true };
    const updated = (await update({ id: before.id, ...patch })).body as Repository;
    expect(updated).toMatchObject({ ...patch, root: patch.realRoot });
  });

  it('PUT /repository with a repository exactly as read back responds 200 and changes nothing', async () => {
    const before = (await fx.repository((await fx.addRepository(standalone())).id))!;
    const res = await update({ ...before });
    expectContract('updateRepository', res, 200);
    expect(settled(res.body as Repository)).toEqual(settled(before));
    expect(warned(res)).toBe('');
  });

  it('PUT /repository with disabled responds 200 without applying it (use Enable/Disable), with a warning', async () => {
    const before = await fx.addRepository(standalone());
    const res = await update({ id: before.id, disabled: true });
    expectContract('updateRepository', res, 200);
    expect((res.body as Repository).disabled).toBe(false);
    expect((await fx.repository(before.id))!.disabled).toBe(false);
    if (!REMOTE) expect(warned(res)).toMatch(/disabled is not applied by Update Existing Repository/);
  });

  // What a host "has" is gij-mock's catalogue (default: the vendor's TestOrg on GitHub).
  it.skipIf(REMOTE)('PUT /repository on a discovered repository ignores the read-only fields, changes the editable ones and names what it ignored', async () => {
    const { children } = await fx.discovering();
    const before = children.find((r) => r.displayName === 'acme')!;
    const readOnly = {
      mainBranch: 'develop', pat: 'ignoredbecausenested', username: 'nested-user', password: `nested-password-${runId}`, enableFetches: false, requireUserPat: true,
      disableSslVerification: true, commitsValidationRequired: false, origin: 'https://github.com/Other/x.git', realRoot: 'x', absoluteRoot: true,
    };
    const editable = { displayName: 'acme (main product)', sendCommitEmails: false, maxMinsToCommitEmail: 1441, gitViewerEnabled: false, global: false, projectMappingIds: [10000], smartCommitsEnabled: false, tagsFilter: 'release-.*' };
    const res = await update({ id: before.id, ...readOnly, ...editable });
    expectContract('updateRepository', res, 200);
    const updated = res.body as Repository;
    expect(settled(updated)).toEqual(settled({ ...before, ...editable }));
    for (const field of Object.keys(readOnly).filter((k) => !['pat', 'username', 'password'].includes(k))) {
      expect(warned(res)).toContain(`${field} is read-only here and was ignored`);
    }
    // A warning may name a secret field, never its value.
    for (const secret of [readOnly.pat, readOnly.username, readOnly.password]) expect(warned(res)).not.toContain(secret);
    expect(settled(await fx.repository(before.id))).toEqual(settled(updated));
  });

  it.skipIf(REMOTE)('PUT /repository with the vendor example on a discovered repository changes its two fields', async () => {
    const { children } = await fx.discovering();
    const vendor = example('RepositoryUpdateVendorRequest');
    const res = await update({ ...vendor, id: children[1]!.id });
    expectContract('updateRepository', res, 200);
    expect(settled(res.body as Repository)).toEqual(settled({ ...children[1]!, maxMinsToCommitEmail: vendor.maxMinsToCommitEmail, gitViewerEnabled: vendor.gitViewerEnabled } as Repository));
  });

  // Prism validates the body itself and answers 422 before the server sees it.
  it.skipIf(VIA_PRISM)('PUT /repository without id responds 400 naming it', async () => {
    expectError('updateRepository', await update({ displayName: 'x' }), 400, 'id');
  });

  it.skipIf(VIA_PRISM)('PUT /repository with a wrong type, an unknown field and realRoot alone responds 400 naming each and changes nothing', async () => {
    const before = await fx.addRepository(standalone());
    const res = await update({ id: before.id, global: 'yes', displayname: 'x', realRoot: 'y' });
    const { error } = expectError('updateRepository', res, 400, 'displayname is not a field of this request');
    expect(error).toContain('global');
    expect(error).toContain('absoluteRoot');
    expect(settled(await fx.repository(before.id))).toEqual(settled(before));
  });

  it('PUT /repository with an unknown token responds 401 with a WWW-Authenticate challenge', async () => {
    const before = await fx.addRepository(standalone());
    expectUnauthorized('updateRepository', await fx.call('PUT', '/repository', { body: { id: before.id, displayName: 'x' }, auth: WRONG_TOKEN }));
    expect(settled(await fx.repository(before.id))).toEqual(settled(before));
  });

  // Remotely the non-administrator's credentials come from GIJ_USER; without it there is none.
  it.skipIf(!HAS_USER)('PUT /repository as a non-administrator responds 403 and changes nothing', async () => {
    const before = await fx.addRepository(standalone());
    expectForbidden('updateRepository', await fx.call('PUT', '/repository', { body: { id: before.id, displayName: 'x' }, auth: fx.target.user! }));
    expect(settled(await fx.repository(before.id))).toEqual(settled(before));
  });

  it('PUT /repository of a removed repository responds 404 with the vendor texts', async () => {
    const { id } = await fx.addRepository(standalone());
    expectContract('removeRepository', await fx.call('DELETE', removePath(id)), 200);
    fx.repositories.delete(id);
    expectNotFound('updateRepository', await update({ id, displayName: 'x' }), id);
  });

  it('PUT /repository with an integration\'s id responds 404 and leaves the integration as it was', async () => {
    const integration = await fx.addGithub();
    expectNotFound('updateRepository', await update({ id: integration.id, displayName: 'x' }), integration.id);
    expect((await fx.get(integration.id)).displayName).toBe(integration.displayName);
  });

  // Prism answers a method the spec does not list with its own 405.
  it.skipIf(VIA_PRISM)('PATCH /repository responds 405 with Allow naming the methods of the path', async () => {
    await expectMethodNotAllowed(fx.call, 'updateRepository');
  });

  // The limit of a remote server is unknown unless GIJ_BODY_LIMIT_BYTES names it; Prism re-serialises the JSON.
  it.skipIf(BODY_LIMIT === undefined || VIA_PRISM)('PUT /repository with a body over the size limit responds 413 and changes nothing', async () => {
    const before = await fx.addRepository(standalone());
    const rawBody = `{"id": ${before.id}, "displayName": "big"${' '.repeat(BODY_LIMIT ?? 0)}}`;
    const res = await fx.call('PUT', '/repository', { rawBody, headers: { 'content-type': 'application/json' } });
    expectError('updateRepository', res, 413, `larger than ${BODY_LIMIT} bytes`);
    expect(settled(await fx.repository(before.id))).toEqual(settled(before));
  });

  // Prism checks the media type itself and answers 422.
  it.skipIf(VIA_PRISM)('PUT /repository with a text/plain body responds 415 and changes nothing', async () => {
    const before = await fx.addRepository(standalone());
    const res = await fx.call('PUT', '/repository', { rawBody: JSON.stringify({ id: before.id, displayName: 'x' }), headers: { 'content-type': 'text/plain' } });
    expectError('updateRepository', res, 415, 'Content-Type text/plain is not supported');
    expect(settled(await fx.repository(before.id))).toEqual(settled(before));
  });

  // A state file that cannot be written is a gij-mock condition (a real Jira has its own).
  it.skipIf(REMOTE)('PUT /repository when the state file cannot be written responds 507 and changes nothing', async () => {
    const added = await call(disk.target, 'POST', '/repository', { body: standalone() });
    expectContract('addRepository', added, 200);
    const { id } = added.body as Repository;
    disk.failing = true;
    try {
      expectDiskFull('updateRepository', await call(disk.target, 'PUT', '/repository', { body: { id, displayName: 'lost' } }));
    } finally {
      disk.failing = false;
    }
    const listed = (await call(disk.target, 'GET', '/repository')).body as { repositories: Repository[] };
    expect(listed.repositories.find((r) => r.id === id)?.displayName).toBe((added.body as Repository).displayName);
  });
});
