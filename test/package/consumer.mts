// Compiled by `npm run test:package` in a temporary project that has only the packed gij-mock and
// typescript installed (strict, skipLibCheck false): the published types must need nothing else.
// Also type-checked in the repository, where 'gij-mock' resolves to this package itself.
import { createApp, createMockClient, startGijMock, type GijMock, type GijMockConfigError, type NodeRequestHandler } from 'gij-mock';
import type { components, IntegrationRequestByType, IntegrationRequestUnion, MockAdmin, operations, paths, Writable } from 'gij-mock/types';

type Integration = components['schemas']['Integration'];
type AddBody = Writable<NonNullable<paths['/rest/gitplugin/1.0/integration']['post']['requestBody']>['content']['application/json']>;
type ListOperation = operations['listIntegrations'];
type Faults = MockAdmin.components['schemas']['FaultSettings'];
type Repository = components['schemas']['Repository'];
type ReindexStatus = operations['getReindexStatus']['responses'][200]['content']['application/json'];

const body: AddBody = { type: 'GITHUB', pat: 'typed' };
// The per-type rules travel with the published types: AWS needs awsRegion, GITHUB_SERVER needs origin.
const aws: IntegrationRequestByType['AWS'] = { type: 'AWS', username: 'AKIAEXAMPLE', password: 'secret', awsRegion: 'eu-west-1' };
const ruled: IntegrationRequestUnion[] = [
  aws,
  // @ts-expect-error AWS without awsRegion does not compile
  { type: 'AWS', username: 'AKIAEXAMPLE', password: 'secret' },
  // @ts-expect-error GITHUB_SERVER without origin does not compile
  { type: 'GITHUB_SERVER', pat: 'typed' },
];
const addable: AddBody = aws;
const faults: Faults = { rules: [{ operationId: 'listIntegrations', status: 503 }], seed: 1 };
const handler: NodeRequestHandler = createApp({ contextPath: '/jira', logLevel: 'silent' });

export async function run(): Promise<string> {
  await using mock: GijMock = await startGijMock({ port: 0, logLevel: 'silent' });
  const controls = createMockClient(mock.url);
  await controls.reset({ session: 'typed', all: false });
  await mock.setFaults(faults);
  await mock.setFaults({ rules: [] });
  const journal = await mock.requests({ operationId: 'addIntegration' });
  const state = await mock.state({ session: 'typed' });
  await mock.setState({ integrations: [{ type: 'GITLAB_SERVER', origin: 'https://gitlab.example.org', pat: 'x', displayName: 'typed' }] }, { session: 'typed' });
  await mock.reset({ session: 'typed' });
  // The repository controls: a host catalogue for discovery, and the indexing clock moved by hand.
  await mock.setHosts({ byType: { GITHUB: [{ name: 'typed', group: 'org' }] } }, { session: 'typed' });
  const advanced = await mock.advanceIndex({ steps: 1 }, { session: 'typed' });
  if (!advanced.idle || (await mock.resetHosts({ session: 'typed' })).byType?.GITHUB?.length !== 3) throw new Error('repository controls');
  const repositories: Repository[] = [];
  const progress: Pick<ReindexStatus, 'finished'> = { finished: repositories.length === 0 };
  const first: Integration | undefined = undefined;
  const status: keyof ListOperation['responses'] = 200;
  try {
    await startGijMock({ port: 70000 });
  } catch (e) {
    const problems: readonly string[] = (e as GijMockConfigError).problems;
    if (problems.length !== 1) throw new Error(`expected one problem, got ${problems.join('; ')}`);
  }
  return `${mock.apiUrl} ${journal.requests.length} ${state.integrations.length} ${String(first)} ${status} ${body.type} ${typeof handler} ${ruled.length} ${addable.type} ${progress.finished}`;
}

const line = await run();
if (!/^http:\/\/127\.0\.0\.1:\d+\/rest\/gitplugin\/1\.0 0 0 undefined 200 GITHUB function 3 AWS true$/.test(line)) throw new Error(`unexpected: ${line}`);
console.log(`consumer.mts: passed (${line})`);
