// Part of npm run test:package: the MSW recipes in the project where the packed tarball is installed.
// examples/msw-vitest runs under vitest (setupServer, no port); examples/msw-browser is bundled with esbuild
// as a user's bundler would (the "browser" build of gij-mock/msw), served with MSW's worker by a static
// server on 127.0.0.1, and opened in chromium, where no other host resolves: the page must say "passed" and
// the static server must have served only the page's files. msw, esbuild and playwright-core are linked
// from this repository (no registry needed).
import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { projectRoot } from '../src/spec.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * `options.node`: the Node.js that runs vitest (the matrix passes each of its own); `options.installedMsw`:
 * the project already holds an msw (the matrix installs msw 3 for Node 22), else this repository's is linked.
 */
export async function runMswRecipes(project: string, check: (ok: boolean, what: string) => void, options: { node?: string; installedMsw?: boolean } = {}): Promise<void> {
  if (!options.installedMsw) symlinkSync(join(projectRoot, 'node_modules', 'msw'), join(project, 'node_modules', 'msw'), 'dir');
  const msw = (JSON.parse(readFileSync(join(project, 'node_modules', 'msw', 'package.json'), 'utf8')) as { version: string }).version;
  execFileSync(options.node ?? process.execPath, [join(project, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', 'examples/msw-vitest'], { cwd: project, stdio: 'pipe', timeout: 180_000 });
  check(true, `recipe examples/msw-vitest (setupServer, gij-mock/msw, no port) passes with msw ${msw}`);

  const recipe = join(project, 'examples', 'msw-browser');
  const bundle = await build({ entryPoints: [join(recipe, 'main.js')], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', absWorkingDir: project, logLevel: 'silent' });
  const files: Record<string, { type: string; body: string | Uint8Array }> = {
    '/': { type: 'text/html', body: readFileSync(join(recipe, 'index.html')) },
    '/main.js': { type: 'text/javascript', body: bundle.outputFiles[0]!.contents },
    '/mockServiceWorker.js': { type: 'text/javascript', body: readFileSync(join(project, 'node_modules', 'msw', 'lib', 'mockServiceWorker.js')) },
  };
  const served: string[] = [];
  const server = createServer((req, res) => {
    served.push(req.url ?? '');
    const file = files[req.url ?? ''];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction("document.getElementById('result')?.textContent !== 'running'", undefined, { timeout: 60_000 });
    const result = (await page.textContent('#result')) ?? '';
    const others = served.filter((url) => !(url in files));
    check(result.startsWith('passed') && others.length === 0, `recipe examples/msw-browser in chromium with msw ${msw}: "${result}", the static server served only ${Object.keys(files).join(', ')}${others.length ? ` (also: ${others.join(', ')})` : ''}`);
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
