// Node's floor for the peers series: node:http answering get-one and add with fixed bodies after a Basic check,
// nothing else (no routing library, no validation, no store). Plain JavaScript, so no loader sits in the process.
// Run: node scripts/bench/floor-server.mjs <port> <bodies.json>   (bodies.json: { "getOne": {...}, "added": {...} })
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [port, bodiesFile] = process.argv.slice(2);
const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8'));
const getOne = Buffer.from(JSON.stringify(bodies.getOne));
const added = Buffer.from(JSON.stringify(bodies.added));
const denied = Buffer.from('{"success":false,"error":"Unauthorized"}');
const AUTHORIZATION = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
const API = '/rest/gitplugin/1.0/integration';

function answer(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}

createServer((req, res) => {
  if (req.headers.authorization !== AUTHORIZATION) return answer(res, 401, denied);
  if (req.method === 'GET' && req.url === `${API}/1`) return answer(res, 200, getOne);
  if (req.method === 'POST' && req.url === API) {
    req.resume(); // the body is read and dropped, as a real handler must read it
    return req.on('end', () => answer(res, 200, added));
  }
  return answer(res, 404, Buffer.from('{}'));
}).listen(Number(port), '127.0.0.1');
