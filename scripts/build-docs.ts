// npm run docs: renders each OpenAPI document to one self-contained HTML page under dist/docs/.
// Redocly's --inlineBundle puts the renderer's script in the page; the few CDN addresses it still
// carries (a logo image that hides itself on error, icon bases our spec never uses) are blanked, and
// the build fails if any CDN reference is left, so the page renders with no network.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/spec.js';

const PAGES = [
  { spec: 'openapi/openapi.yaml', out: 'index.html', title: 'Git Integration for Jira — Integration REST API' },
  { spec: 'openapi/mock-admin.yaml', out: 'mock-admin.html', title: 'gij-mock — mock controls' },
] as const;

const CDN = /https?:\/\/(?:cdn\.redoc\.ly|cdn\.redocly\.com|unpkg\.com|cdn\.jsdelivr\.net|fonts\.googleapis\.com|fonts\.gstatic\.com)[^"'`\s)]*/g;

export function buildDocs(outDir = join(projectRoot, 'dist', 'docs')): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const page of PAGES) {
    const specPath = join(projectRoot, page.spec);
    try { readFileSync(specPath); } catch { continue; } // mock-admin.yaml arrives with the controls
    const out = join(outDir, page.out);
    execFileSync(join(projectRoot, 'node_modules', '.bin', 'redocly'), ['build-docs', specPath, '--inlineBundle', '-o', out, '--title', page.title], { stdio: ['ignore', 'ignore', 'inherit'] });
    const html = readFileSync(out, 'utf8').replace(CDN, 'data:,');
    const left = html.match(CDN) ?? html.match(/<script[^>]+src=["']https?:/g) ?? html.match(/<link[^>]+href=["']https?:/g);
    if (left) throw new Error(`${out} still references the network: ${left.slice(0, 3).join(', ')}`);
    writeFileSync(out, html);
    written.push(out);
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const file of buildDocs()) process.stdout.write(`wrote ${file}\n`);
}
