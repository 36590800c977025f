// A typed client for the Integration API with openapi-fetch on the generated types:
// add, get and remove one integration against a running gij-mock (or a real Jira). The types come
// from the package (gij-mock/types): no openapi-typescript flags to get right. IntegrationRequestUnion
// knows the per-type rules: a GITLAB_SERVER body without origin or pat, or an AWS one without
// awsRegion, does not compile.
//   GIJ_BASE_URL=http://127.0.0.1:2990 npx tsx examples/typed-client.ts
import createClient from 'openapi-fetch';
import type { IntegrationRequestUnion, paths } from 'gij-mock/types';

const baseUrl = process.env.GIJ_BASE_URL ?? 'http://127.0.0.1:2990';
const auth = `Basic ${Buffer.from(`${process.env.GIJ_ADMIN_USER ?? 'admin'}:${process.env.GIJ_ADMIN_PASSWORD ?? 'admin'}`).toString('base64')}`;
const client = createClient<paths>({ baseUrl, headers: { Authorization: auth } });

const body: IntegrationRequestUnion = { type: 'GITLAB_SERVER', origin: 'https://gitlab.example.org', pat: 'example-token', displayName: 'typed-client example' };
const added = await client.POST('/rest/gitplugin/1.0/integration', { body });
if (!added.data) throw new Error(`add failed: ${JSON.stringify(added.error)}`);
const id = added.data.integration.id;
console.log(`added integration ${id} (${added.data.integration.integrationType}, origin ${added.data.integration.origin})`);

const fetched = await client.GET('/rest/gitplugin/1.0/integration/{integrationId}', { params: { path: { integrationId: id } } });
const [integration] = fetched.data?.integration ?? [];
if (integration?.displayName !== 'typed-client example') throw new Error(`get returned ${JSON.stringify(fetched.data ?? fetched.error)}`);
console.log(`got it back: "${integration.displayName}", disabled=${integration.disabled}`);

const removed = await client.DELETE('/rest/gitplugin/1.0/integration/{integrationId}', { params: { path: { integrationId: id }, query: { deleteFiles: false } } });
if (!removed.data?.success) throw new Error(`remove failed: ${JSON.stringify(removed.error)}`);
const gone = await client.GET('/rest/gitplugin/1.0/integration/{integrationId}', { params: { path: { integrationId: id } } });
if (gone.response.status !== 404) throw new Error(`expected 404 after remove, got ${gone.response.status}`);
console.log(`removed; a second get answers 404: ${gone.error?.error}`);
