// The vendor's own published bodies: every add body is accepted, the update examples work as documented.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/spec.js';
import { expectContract } from '../helpers/contract.js';
import { expectedView, expectError, unindexed } from '../helpers/expectations.js';
import { example, idPath, mine, useFixture, type AddBody, type Body, type Schemas } from '../helpers/fixture.js';

interface DocExample { name: string; body?: Body }
const docExamples = JSON.parse(readFileSync(join(projectRoot, 'test', 'fixtures', 'vendor-examples.json'), 'utf8')) as DocExample[];
const docAddBodies = docExamples.filter((e): e is Required<DocExample> => e.name.startsWith('POST') && e.body !== undefined);

const fx = useFixture();

async function update(id: number, body: Body): Promise<Schemas['Integration']> {
  const res = await fx.call('PUT', idPath(id), { body });
  expectContract('updateIntegration', res, 200);
  return (res.body as Schemas['IntegrationSavedResponse']).integration;
}

describe('scenarios: the vendor documentation examples', () => {
  it('the reference file holds add bodies', () => expect(docAddBodies.length).toBeGreaterThan(0));

  for (const { name, body } of docAddBodies) {
    it(`${name} is accepted with 200`, async () => {
      const sent = mine(body as AddBody);
      expect(await fx.add(sent)).toMatchObject(expectedView(sent));
    });
  }

  it('Update Example 1 (sends integrationType) then Example 2 (sends another id) answer the documented integration', async () => {
    const other = await fx.addGithub();
    const gitlab = await fx.add(mine(example<AddBody>('AddGitlabRequest')));
    const first = mine(example('UpdateExample1Request'));
    expect(unindexed(await update(gitlab.id, first))).toEqual(unindexed({ ...gitlab, ...expectedView(first, { defaults: false }) }));

    // The body's id names another integration: the path id wins and the other one is left alone.
    const second = { ...example('UpdateExample2Request'), id: other.id };
    const updated = await update(gitlab.id, second);
    const { id: _id, initDate: _initDate, lastIndexedDate: _indexed, displayName: _name, ...documented } = example<Schemas['IntegrationSavedResponse']>('UpdatedResponse').integration;
    expect(updated).toMatchObject({ ...documented, id: gitlab.id, initDate: gitlab.initDate, displayName: first.displayName });
    expect(unindexed(await fx.get(other.id))).toEqual(unindexed(other));
  });

  it('an update whose integrationType differs from the integration type responds 400 and changes nothing', async () => {
    const gitlab = await fx.add(mine(example<AddBody>('AddGitlabRequest')));
    const res = await fx.call('PUT', idPath(gitlab.id), { body: { ...example('UpdateExample1Request'), integrationType: 'GITHUB' } });
    expectError('updateIntegration', res, 400, 'type cannot change from GITLAB to GITHUB');
    expect(unindexed(await fx.get(gitlab.id))).toEqual(unindexed(gitlab));
  });

  it('an update sending the current type is accepted', async () => {
    const gitlab = await fx.add(mine(example<AddBody>('AddGitlabRequest')));
    const body = { type: gitlab.integrationType, integrationType: gitlab.integrationType, smartCommitsEnabled: !gitlab.smartCommitsEnabled };
    expect(unindexed(await update(gitlab.id, body))).toEqual(unindexed({ ...gitlab, smartCommitsEnabled: body.smartCommitsEnabled }));
  });
});
