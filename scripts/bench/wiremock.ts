// WireMock 3.13 standalone (the jar of the npm `wiremock` package, run by the machine's java) as a peer: two
// stubs equivalent to get-one and add, journal off, bound to 127.0.0.1. Spawned as `java -jar`, so the child's
// pid is the JVM's and its CPU time is WireMock's own.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/spec.js';
import { API, AUTHORIZATION, HOST } from './processes.js';

const JAR_DIR = join(projectRoot, 'node_modules', 'wiremock', 'build');

export function wiremockJar(): string {
  const jar = readdirSync(JAR_DIR).find((f) => /^wiremock-standalone-.*\.jar$/.test(f));
  if (jar === undefined) throw new Error(`no wiremock-standalone jar in ${JAR_DIR} (devDependency wiremock)`);
  return join(JAR_DIR, jar);
}

/** `java -jar …` with the request journal and per-request logging off (WireMock's advice for performance tests). */
export function wiremockCommand(port: number, root: string): [string, string[]] {
  // Said up front: a missing java would otherwise surface as a spawn error minutes into the run.
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) throw new Error(`the peers series runs WireMock with java (17+), and \`java -version\` failed: ${java.error?.message ?? java.stderr}`);
  return ['java', ['-jar', wiremockJar(), '--port', String(port), '--bind-address', HOST, '--root-dir', root,
    '--no-request-journal', '--disable-request-logging', '--disable-banner']];
}

/** root/mappings/stubs.json: get-one and add, each matching the Basic header exactly and answering a fixed JSON body. */
export function writeWiremockStubs(root: string, bodies: { getOne: unknown; added: unknown }): void {
  const auth = { Authorization: { equalTo: AUTHORIZATION } };
  const answer = (body: unknown) => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const mappings = [
    { request: { method: 'GET', url: `${API}/1`, headers: auth }, response: answer(bodies.getOne) },
    { request: { method: 'POST', url: API, headers: auth }, response: answer(bodies.added) },
  ];
  mkdirSync(join(root, 'mappings'), { recursive: true });
  mkdirSync(join(root, '__files'), { recursive: true });
  writeFileSync(join(root, 'mappings', 'stubs.json'), JSON.stringify({ mappings }));
}
