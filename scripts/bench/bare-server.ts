// The ceiling: the same three routes on bare Express, answering the spec's example bodies.
// No validation, no auth, no store, no logging. Run as its own process: node --import tsx bare-server.ts <port>
import { readFileSync } from 'node:fs';
import express from 'express';
import YAML from 'yaml';

type Example = { value: Record<string, unknown> };
const spec = YAML.parse(readFileSync(new URL('../../openapi/openapi.yaml', import.meta.url), 'utf8')) as {
  components: { examples: Record<string, Example> };
};
const examples = spec.components.examples;
const one = examples.GetResponse!.value;
const added = examples.AddedResponse!.value;
const item = (examples.ListResponse!.value.integrations as Array<Record<string, unknown>>)[0]!;
// As many items as gij-mock holds in the list run, so both serialize the same amount of JSON.
const list = { success: true, integrations: Array.from({ length: 1000 }, (_, i) => ({ ...item, id: i + 1 })) };

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.get('/rest/gitplugin/1.0/integration', (_req, res) => { res.json(list); });
app.get('/rest/gitplugin/1.0/integration/:integrationId', (_req, res) => { res.json(one); });
app.post('/rest/gitplugin/1.0/integration', express.json(), (_req, res) => { res.json(added); });
app.listen(Number(process.argv[2]), '127.0.0.1');
