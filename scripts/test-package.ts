// npm run test:package: the published package as a user gets it. One `npm pack`, one install into an
// empty temporary project, then: exactly one package, no lifecycle script in the installed manifest and no
// `install-scripts` warning from npm; `npx gij-mock --version`
// and `--port 0`; the library's types under strict tsc with only typescript beside it; every recipe
// in examples/ (vitest, node:test, Python unittest, the shell CI recipe) run there, not in the repo.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../src/spec.js';
import { installInto, pack } from './package-install.js';
import { runMswRecipes } from './test-msw-recipes.js';

const ALLOWED = [/^bin\/gij-mock\.cjs$/, /^dist\/bundle\/(gij-mock|validators)\.cjs$/, /^dist\/bundle\/lazy\/[\w-]+\.cjs$/, /^dist\/lib\/(index|msw|msw\.browser)\.mjs$/, /^dist\/lib\/.*\.d\.ts$/, /^dist\/spec\/[\w-]+\.json$/, /^dist\/openapi\/[\w-]+\.json$/, /^dist\/docs\/[\w-]+\.html$/, /^openapi\/(openapi|mock-admin)\.yaml$/, /^(README\.md|LICENSE|package\.json)$/];
const REQUIRED = ['bin/gij-mock.cjs', 'dist/bundle/gij-mock.cjs', 'dist/bundle/lazy/iconv-lite-encodings.cjs', 'dist/bundle/validators.cjs', 'dist/lib/index.mjs', 'dist/lib/index.d.ts', 'dist/lib/types.d.ts', 'dist/openapi/openapi.json', 'dist/docs/index.html', 'openapi/openapi.yaml', 'openapi/mock-admin.yaml', 'README.md', 'LICENSE'];
// npm warns `install-scripts` for any of these in an installed manifest (scripts/pack-manifest.mjs strips them).
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];
const ADMIN = `Basic ${Buffer.from('admin:admin').toString('base64')}`;

const began = performance.now();
const log = (line: string) => process.stdout.write(`test:package: ${line}\n`);
function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`FAILED: ${what}`);
  log(`ok - ${what}`);
}
/** Runs a command; its output is returned and also shown when it fails. */
function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`FAILED: ${command} ${args.join(' ')} (in ${cwd})\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

/** `npx gij-mock --port 0` in its own process group; resolves with the first stdout line, then stops the group. */
async function firstLineOfNpx(dir: string): Promise<{ line: string; status: number; docs: number; spec: number }> {
  const child = spawn('npx', ['gij-mock', '--port', '0', '--log-level', 'warn'], { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let out = '';
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npx gij-mock printed no line in 30 s: ${out}`)), 30_000);
      child.stdout!.on('data', (d) => {
        out += String(d);
        if (out.includes('\n')) { clearTimeout(timer); resolve(out.split('\n')[0]!); }
      });
      child.once('exit', (code) => reject(new Error(`npx gij-mock exited with ${code}: ${out}`)));
    });
    const url = /^gij-mock listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1];
    const statusOf = async (path: string, headers: Record<string, string> = {}) => (url ? (await fetch(`${url}${path}`, { headers })).status : 0);
    return { line, status: await statusOf('/rest/gitplugin/1.0/integration', { authorization: ADMIN }), docs: await statusOf('/docs'), spec: await statusOf('/openapi.yaml') };
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
  }
}

const work = mkdtempSync(join(tmpdir(), 'gij-mock-package-'));
try {
  const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  const packed = pack(work);
  log(`packed ${packed.files.length} files, ${(packed.size / 1e3).toFixed(0)} kB (unpacked ${(packed.unpackedSize / 1e6).toFixed(1)} MB)`);
  const stray = packed.files.filter((f) => !ALLOWED.some((re) => re.test(f)));
  check(stray.length === 0, `the tarball holds only the bundles, specs and twins, docs, types, README, LICENSE${stray.length ? ` (also: ${stray.join(', ')})` : ''}`);
  const missing = REQUIRED.filter((f) => !packed.files.includes(f));
  check(missing.length === 0, `the tarball holds ${REQUIRED.join(', ')}${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`);

  const project = join(work, 'project');
  const installed = installInto(project, packed.tarball);
  log(`installed in ${installed.installMs.toFixed(0)} ms: ${installed.npmOutput.trim().split('\n').pop()}`);
  check(installed.packageCount === 1, `npm install <tarball> adds exactly one package (got ${installed.packageCount})`);
  const manifest = JSON.parse(readFileSync(join(project, 'node_modules', 'gij-mock', 'package.json'), 'utf8')) as { scripts?: Record<string, string>; dependencies?: object };
  const scripts = INSTALL_SCRIPTS.filter((s) => manifest.scripts?.[s] !== undefined);
  check(scripts.length === 0 && !existsSync(join(project, 'node_modules', 'gij-mock', 'binding.gyp')), `the installed package has no lifecycle script (${scripts.length ? `has: ${scripts.join(', ')}` : `none of ${INSTALL_SCRIPTS.join(', ')}`})`);
  const warning = installed.npmOutput.split('\n').find((l) => l.includes('install-scripts'));
  check(warning === undefined, `npm install <tarball> prints no install-scripts warning${warning ? ` (printed: ${warning.trim()})` : ''}`);
  check(Object.keys(manifest.dependencies ?? {}).length === 0, 'the installed package has no runtime dependencies');

  check(run('npx', ['gij-mock', '--version'], project).trim() === version, `npx gij-mock --version prints ${version}`);
  const served = await firstLineOfNpx(project);
  check(served.status === 200, `npx gij-mock --port 0 prints "${served.line}" and its API answers 200`);
  check(served.docs === 200 && served.spec === 200, `the installed server finds its docs pages and spec (GET /docs ${served.docs}, /openapi.yaml ${served.spec})`);
  const exported = run(process.execPath, ['--input-type=module', '-e', "import { createRequire } from 'node:module'; import { readFileSync } from 'node:fs'; const r = createRequire(process.cwd() + '/'); console.log(['gij-mock/openapi.json', 'gij-mock/mock-admin.json'].map((n) => JSON.parse(readFileSync(r.resolve(n), 'utf8')).openapi).join(' '), readFileSync(r.resolve('gij-mock/openapi.yaml'), 'utf8').startsWith('openapi:'))"], project).trim();
  check(exported === '3.1.0 3.1.0 true', `gij-mock/openapi.json, gij-mock/mock-admin.json and gij-mock/openapi.yaml resolve to the contract files (${exported})`);

  // Type-check as a TypeScript user: only gij-mock and typescript in node_modules (no @types/*).
  symlinkSync(join(projectRoot, 'node_modules', 'typescript'), join(project, 'node_modules', 'typescript'), 'dir');
  cpSync(join(projectRoot, 'test', 'package'), join(project, 'typed'), { recursive: true });
  run(process.execPath, [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'typed'], project);
  check(true, "strict tsc (skipLibCheck false) compiles test/package/consumer.mts against the installed types alone");
  check(run(process.execPath, [join('typed', 'out', 'consumer.mjs')], project).includes('consumer.mts: passed'), 'the compiled consumer runs: startGijMock, controls client, await using, ConfigError');

  // The recipes, copied into the project; vitest is linked from this repository (no registry needed).
  cpSync(join(projectRoot, 'examples'), join(project, 'examples'), { recursive: true });
  symlinkSync(join(projectRoot, 'node_modules', 'vitest'), join(project, 'node_modules', 'vitest'), 'dir');
  run(process.execPath, [join(project, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', 'examples/vitest'], project);
  check(true, 'recipe examples/vitest (globalSetup, one session per worker) passes');
  run(process.execPath, ['--test', 'examples/node-test.test.mjs'], project);
  check(true, 'recipe examples/node-test.test.mjs (node:test, import from .mjs) passes');
  run('python3', ['-m', 'unittest', '-v', 'test_gij_mock'], join(project, 'examples', 'python'));
  check(true, 'recipe examples/python/test_gij_mock.py (unittest, npx gij-mock --port 0) passes');
  run('python3', ['-m', 'unittest', '-v', 'test_provisioning'], join(project, 'examples', 'python'));
  check(true, 'recipe examples/python/test_provisioning.py (fixed clock: add, wait until indexed, disable, reindex, remove with its cascade) passes');
  const probe = "fetch(process.env.GIJ_BASE_URL + '/rest/gitplugin/1.0/integration', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }).then((r) => { console.log('probe', r.status); process.exit(r.status === 200 ? 0 : 1); })";
  check(run('bash', ['examples/ci.sh', process.execPath, '-e', probe], project).includes('probe 200'), 'recipe examples/ci.sh starts, waits, runs a command against GIJ_BASE_URL and stops');
  await runMswRecipes(project, check);
  log(`passed in ${((performance.now() - began) / 1000).toFixed(0)} s`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
