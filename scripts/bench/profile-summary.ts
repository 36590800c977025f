// Reads a V8 .cpuprofile or .heapprofile and lists where the time (or allocation) went:
// top functions by self time / bytes, by module, and top functions by inclusive time.
import { readFileSync } from 'node:fs';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface CpuNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: CpuNode[]; samples: number[]; timeDeltas: number[] }
interface HeapNode { callFrame: CallFrame; selfSize: number; children: HeapNode[] }

const shortUrl = (url: string) =>
  url.replace(/^file:\/\/.*?\/node_modules\//, '~/').replace(/^file:\/\/.*?\/(dist\/server|scripts)\//, '$1/').replace(/^node:/, 'node:');

export function frameKey(f: CallFrame): string {
  return f.url ? `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}` : f.functionName;
}

/** node_modules/<package>, dist/server/<file>, node:internal, or the V8 pseudo-frame itself. */
export function moduleOf(f: CallFrame): string {
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f.url)?.[1];
  if (pkg) return pkg;
  if (f.url.includes('/dist/server/')) return `gij-mock ${f.url.split('/dist/server/')[1]}`;
  if (f.url.startsWith('node:')) return 'node core';
  return f.url ? f.url : f.functionName;
}

function top(map: Map<string, number>, total: number, n: number, unit: (v: number) => string): string[] {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)}%  ${unit(v).padStart(9)}  ${k}`);
}
const add = (map: Map<string, number>, key: string, v: number) => map.set(key, (map.get(key) ?? 0) + v);

export function summarizeCpu(profile: CpuProfile, n = 25): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const self = new Map<string, number>();
  const modules = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id)!;
    total += dt;
    add(self, frameKey(node.callFrame), dt);
    add(modules, moduleOf(node.callFrame), dt);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) seen.add(frameKey(byId.get(at)!.callFrame));
    for (const key of seen) add(inclusive, key, dt);
  });
  const msUnit = (v: number) => `${(v / 1000).toFixed(0)} ms`;
  return [
    `total sampled: ${(total / 1e6).toFixed(2)} s`,
    '', 'self time by function:', ...top(self, total, n, msUnit),
    '', 'self time by module:', ...top(modules, total, 15, msUnit),
    '', 'inclusive time by function (gij-mock and express-openapi-validator frames):',
    ...top(new Map([...inclusive].filter(([k]) => /dist\/server|openapi-validator/.test(k))), total, n, msUnit),
  ].join('\n');
}

export function summarizeHeap(root: HeapNode, n = 25): string {
  const self = new Map<string, number>();
  const modules = new Map<string, number>();
  let total = 0;
  const walk = (node: HeapNode) => {
    total += node.selfSize;
    add(self, frameKey(node.callFrame), node.selfSize);
    add(modules, moduleOf(node.callFrame), node.selfSize);
    node.children.forEach(walk);
  };
  walk(root);
  const mb = (v: number) => `${(v / 1048576).toFixed(1)} MB`;
  return [`total sampled allocation: ${mb(total)}`, '', 'by function:', ...top(self, total, n, mb), '', 'by module:', ...top(modules, total, 15, mb)].join('\n');
}

export function summarizeFile(path: string): string {
  const data = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile | { head: HeapNode };
  return 'head' in data ? summarizeHeap(data.head) : summarizeCpu(data);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const file of process.argv.slice(2)) process.stdout.write(`== ${file}\n${summarizeFile(file)}\n\n`);
}
