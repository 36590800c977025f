// npm run docs: renders each OpenAPI document to one self-contained HTML page under dist/docs/, which
// the mock serves at /docs and /docs/mock-admin. The renderer is Swagger UI (swagger-ui-dist), inlined
// with the spec, so the page loads nothing from anywhere; docs/renderers.md records why it was chosen
// over Redoc, Scalar and Stoplight Elements. Add New Integration gains a table of the per-type rules
// and defaults generated from the spec (scripts/docs/type-rules.ts). The build fails if the page
// still references a CDN or loads a script, stylesheet or font from the network.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../src/spec.js';
import { pageSpec, renderPage } from './docs/page.js';

const PAGES = [
  { spec: 'openapi/openapi.yaml', out: 'index.html', title: 'Git Integration for Jira — Integration REST API' },
  { spec: 'openapi/mock-admin.yaml', out: 'mock-admin.html', title: 'gij-mock — mock controls' },
] as const;

const CDN = /https?:\/\/(?:cdn\.redoc\.ly|cdn\.redocly\.com|unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|fonts\.scalar\.com|proxy\.scalar\.com|petstore\.swagger\.io)[^"'`\s)]*/g;
const LOADS = [/<script[^>]+src=["']?(?:https?:)?\/\//gi, /<link[^>]+href=["']?(?:https?:)?\/\//gi, /@import\s+(?:url\()?["']?(?:https?:)?\/\//gi, /url\(\s*["']?(?:https?:)?\/\//gi];

/** Every network reference a page must not carry (empty when it is self-contained). */
export function networkReferences(html: string): string[] {
  return [...(html.match(CDN) ?? []), ...LOADS.flatMap((re) => html.match(re) ?? [])];
}

export function buildDocs(outDir = join(projectRoot, 'dist', 'docs')): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const page of PAGES) {
    const spec = parse(readFileSync(join(projectRoot, page.spec), 'utf8')) as Record<string, unknown>;
    const html = renderPage(pageSpec(spec), page.title);
    const out = join(outDir, page.out);
    const left = networkReferences(html);
    if (left.length) throw new Error(`${out} would reference the network: ${left.slice(0, 3).join(', ')}`);
    writeFileSync(out, html);
    written.push(out);
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const file of buildDocs()) process.stdout.write(`wrote ${file}\n`);
}
