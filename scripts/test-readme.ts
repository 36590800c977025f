// npm run test:readme: every README.md snippet a reader would paste, run as written against the packed tarball
// installed into a throwaway project, on the engines minimum (Node 20.19.0; the Node matrix runs it in its
// 20.19.0 step). Fenced ```sh blocks run with bash -e against a fresh `gij-mock` (the installed command on
// that Node.js) at the port the block names (127.0.0.1:<port>, else 2990); ```js / ```mjs blocks run as .mjs
// files in the project; ```ts blocks are compiled with tsc, then run. A block that is not meant to run carries
// `<!-- readme-test: skip (reason) -->` on the line before it; every other fenced language is not run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { projectRoot } from '../src/spec.js';
import { NODE_MATRIX, nodeBinary } from './node-binaries.js';
import { startInstalled, withInstalledPackage } from './package-install.js';

const RUNNABLE = new Set(['sh', 'js', 'mjs', 'ts']);
const SKIP = /^<!--\s*readme-test:\s*skip\s*\((.+)\)\s*-->$/;

export interface Snippet { readonly lang: string; readonly line: number; readonly code: string; readonly skip?: string }

/** The fenced blocks of `markdown` in a runnable language, with the skip reason of a marked one. */
export function readmeSnippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`README.md:${i + 1}: a fenced block that is never closed`);
    const lang = open[1]!;
    let before = i - 1;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    const skip = before >= 0 ? SKIP.exec(lines[before]!.trim())?.[1] : undefined;
    if (RUNNABLE.has(lang)) snippets.push({ lang, line: i + 1, code: lines.slice(i + 1, end).join('\n'), ...(skip ? { skip } : {}) });
    i = end;
  }
  return snippets;
}

interface Outcome { ok: boolean; detail: string }

/**
 * The lines of a failed run's output worth a report: the error's own lines (not its stack, not a line of
 * minified source Node prints above an uncaught error), else the last three; each cut to 300 characters.
 */
export function errorLines(output: string): string {
  const lines = output.trim().split('\n').filter((l) => l.length <= 2000);
  const errors = lines.filter((l) => /^\s*(\w*Error\b|FAIL|not ok)|exited|refused|needs Node/.test(l) && !/^\s+at /.test(l));
  return (errors.length > 0 ? errors.slice(0, 3) : lines.slice(-3)).map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l)).join(' | ');
}

/** Runs every runnable README snippet with `node` (its folder first on PATH) in `project`, where gij-mock is installed. */
export async function runReadmeSnippets(node: string, project: string, log: (line: string) => void): Promise<Outcome> {
  const snippets = readmeSnippets(readFileSync(join(projectRoot, 'README.md'), 'utf8'));
  const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` };
  const dir = join(project, 'readme-snippets');
  mkdirSync(dir, { recursive: true });
  symlinkSync(join(projectRoot, 'node_modules', 'typescript'), join(project, 'node_modules', 'typescript'), 'dir');
  const failures: string[] = [];
  for (const s of snippets) {
    const where = `README.md:${s.line} (${s.lang})`;
    if (s.skip) { log(`${where}: skipped (${s.skip})`); continue; }
    const run = (command: string, args: string[]) => spawnSync(command, args, { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    let r;
    if (s.lang === 'sh') {
      const port = /127\.0\.0\.1:(\d+)/.exec(s.code)?.[1] ?? '2990';
      const server = await startInstalled(node, project, ['--port', port, '--log-level', 'warn'], env).catch((e: Error) => e);
      if (server instanceof Error) { failures.push(`${where}: could not start gij-mock on port ${port}: ${server.message}`); continue; }
      try {
        r = run('bash', ['-e', '-o', 'pipefail', '-c', s.code]);
      } finally {
        await server.stop();
      }
    } else if (s.lang === 'ts') {
      writeFileSync(join(dir, `snippet-${s.line}.mts`), s.code);
      const tsc = run(node, [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '--module', 'nodenext', '--target', 'es2022', '--lib', 'es2023,esnext.disposable,dom', '--strict', '--skipLibCheck', '--outDir', 'out', `snippet-${s.line}.mts`]);
      r = tsc.status === 0 ? run(node, [join('out', `snippet-${s.line}.mjs`)]) : tsc;
    } else {
      writeFileSync(join(dir, `snippet-${s.line}.mjs`), s.code);
      r = run(node, [`snippet-${s.line}.mjs`]);
    }
    if (r.status === 0) log(`${where}: ok`);
    else failures.push(`${where}: exit ${r.status ?? r.signal}: ${errorLines(`${r.stdout}${r.stderr}`)}`);
  }
  rmSync(dir, { recursive: true, force: true });
  for (const f of failures) log(`FAILED ${f}`);
  const ran = snippets.filter((s) => !s.skip).length;
  return failures.length === 0 ? { ok: true, detail: `${ran} snippets ran` } : { ok: false, detail: failures.join('; ') };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const log = (line: string) => process.stdout.write(`test:readme: ${line}\n`);
  const node = nodeBinary(NODE_MATRIX[0].version);
  const outcome = await withInstalledPackage((project) => runReadmeSnippets(node, project, log));
  log(outcome.ok ? `passed: ${outcome.detail} on Node ${NODE_MATRIX[0].version}` : 'failed');
  process.exitCode = outcome.ok ? 0 : 1;
}
