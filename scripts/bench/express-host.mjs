// The Express host for the peers series: the library's createApp(options) (the Express app; after issue 20 the
// engine behind express-openapi-validator) served by node:http, with the options the bench's CLIs get.
// Run: node scripts/bench/express-host.mjs <port> <path of dist/lib/index.mjs>
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const [port, lib] = process.argv.slice(2);
const { createApp } = await import(pathToFileURL(lib).href);
createServer(createApp({ logLevel: 'warn', maxIntegrations: 1_000_000 })).listen(Number(port), '127.0.0.1');
