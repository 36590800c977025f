// A typed client for the Integration, Repository and Reindex API with openapi-fetch on the generated types,
// running the example story against a running gij-mock (or a real Jira): add an integration → list the
// repositories it discovered → disable one → reindex the integration → poll until finished → remove it, and
// its repositories go too. The types come from the package (gij-mock/types): no openapi-typescript flags
// to get right. IntegrationRequestUnion knows the per-type rules: a GITLAB_SERVER body without origin or
// pat, or an AWS one without awsRegion, does not compile.
//   GIJ_BASE_URL=http://127.0.0.1:2990 npx tsx examples/typed-client.ts
import createClient from 'openapi-fetch';
import type { IntegrationRequestUnion, paths } from 'gij-mock/types';

const baseUrl = process.env.GIJ_BASE_URL ?? 'http://127.0.0.1:2990';
const auth = `Basic ${Buffer.from(`${process.env.GIJ_ADMIN_USER ?? 'admin'}:${process.env.GIJ_ADMIN_PASSWORD ?? 'admin'}`).toString('base64')}`;
const client = createClient<paths>({ baseUrl, headers: { Authorization: auth } });

/** Calls `read` every 200 ms until `done` holds (the indexing runs in the background); gives up after a minute. */
async function poll<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still not done after a minute`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const body: IntegrationRequestUnion = { type: 'GITLAB_SERVER', origin: 'https://gitlab.example.org', pat: 'example-token', displayName: 'typed-client example' };
const added = await client.POST('/rest/gitplugin/1.0/integration', { body });
if (!added.data) throw new Error(`add failed: ${JSON.stringify(added.error)}`);
const id = added.data.integration.id;
console.log(`added integration ${id} (${added.data.integration.integrationType}, origin ${added.data.integration.origin})`);

const fetched = await client.GET('/rest/gitplugin/1.0/integration/{integrationId}', { params: { path: { integrationId: id } } });
const [integration] = fetched.data?.integration ?? [];
if (integration?.displayName !== 'typed-client example') throw new Error(`get returned ${JSON.stringify(fetched.data ?? fetched.error)}`);
console.log(`got it back: "${integration.displayName}", disabled=${integration.disabled}`);

const itsRepositories = async () => {
  const listed = await client.GET('/rest/gitplugin/1.0/repository', {});
  if (!listed.data) throw new Error(`list failed: ${JSON.stringify(listed.error)}`);
  return listed.data.repositories.filter((r) => r.trackedFolderId === id);
};
const discovered = await itsRepositories();
if (discovered.length < 2) throw new Error(`expected the host's repositories, got ${JSON.stringify(discovered)}`);
console.log(`it discovered ${discovered.length} repositories: ${discovered.map((r) => `${r.id} ${r.displayName}`).join(', ')}`);

const off = discovered[0]!;
const disabled = await client.PUT('/rest/gitplugin/1.0/repository/{repoId}/disable', { params: { path: { repoId: off.id }, query: { disable: true } } });
if (!disabled.data?.success) throw new Error(`disable failed: ${JSON.stringify(disabled.error)}`);
console.log(`disabled repository ${off.id} (${off.displayName})`);

const started = await client.POST('/rest/gitplugin/2.0/reindex', { body: { repoId: id } });
if (!started.data) throw new Error(`reindex failed: ${JSON.stringify(started.error)}`);
const { threadId } = started.data;
const status = await poll(`reindex thread ${threadId}`, async () => {
  const res = await client.GET('/rest/gitplugin/1.0/index.json', { params: { query: { threadId } } });
  if (!res.data) throw new Error(`status failed: ${JSON.stringify(res.error)}`);
  return res.data;
}, (s) => s.finished);
console.log(`reindex ${threadId} finished: ${JSON.stringify(status.messages)} (the disabled one left out)`);

const removed = await client.DELETE('/rest/gitplugin/1.0/integration/{integrationId}', { params: { path: { integrationId: id }, query: { deleteFiles: false } } });
if (!removed.data?.success) throw new Error(`remove failed: ${JSON.stringify(removed.error)}`);
const gone = await client.GET('/rest/gitplugin/1.0/integration/{integrationId}', { params: { path: { integrationId: id } } });
if (gone.response.status !== 404) throw new Error(`expected 404 after remove, got ${gone.response.status}`);
console.log(`removed; a second get answers 404: ${gone.error?.error}`);
await poll(`the repositories of integration ${id}`, itsRepositories, (left) => left.length === 0);
console.log('its repositories went with it');
