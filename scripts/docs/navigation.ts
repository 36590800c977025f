// The docs page's operation index: every operation of the spec under its tag, in the order Swagger UI
// draws them (the spec's `tags` list, then tags only operations name, then `default` for untagged ones;
// operations in document order), rendered at build time as plain links. Each link is Swagger UI's deep
// link, #/<tag>/<operationId>, so it works before the renderer has drawn anything, in a copied URL too.
type Schema = { [key: string]: unknown };

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface IndexedOperation { readonly method: string; readonly path: string; readonly operationId: string; readonly summary: string }
export interface IndexedTag { readonly name: string; readonly operations: IndexedOperation[] }

/** The tags with their operations, as the page lists them (an operation with two tags is under both). */
export function operationIndex(spec: Schema): IndexedTag[] {
  const declared = ((spec.tags ?? []) as { name: string }[]).map((t) => t.name);
  const byTag = new Map<string, IndexedOperation[]>(declared.map((name) => [name, []]));
  for (const [path, item] of Object.entries((spec.paths ?? {}) as Record<string, Schema>)) {
    for (const [method, op] of Object.entries(item) as [string, Schema][]) {
      if (!(METHODS as readonly string[]).includes(method)) continue;
      const operationId = String(op.operationId ?? '');
      if (!operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId: the index could not link to it`);
      const entry = { method: method.toUpperCase(), path, operationId, summary: String(op.summary ?? `${method.toUpperCase()} ${path}`) };
      const tags = Array.isArray(op.tags) && op.tags.length > 0 ? (op.tags as string[]) : ['default'];
      for (const tag of tags) {
        if (!byTag.has(tag)) byTag.set(tag, []);
        byTag.get(tag)!.push(entry);
      }
    }
  }
  return [...byTag].filter(([, ops]) => ops.length > 0).map(([name, operations]) => ({ name, operations }));
}

/** Swagger UI's deep link of an operation (its createDeepLinkPath: surrounding blanks dropped, inner ones %20). */
export const deepLink = (tag: string, operationId: string): string =>
  `#/${[tag, operationId].map((s) => encodeURIComponent(s.trim()).replace(/%2F/gi, '/')).join('/')}`;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The index as a <nav>: one list per tag, one link per operation (method, summary; the path as its title). */
export function navigationHtml(index: IndexedTag[]): string {
  const tags = index.map((tag) => {
    const items = tag.operations.map((op) =>
      `<li><a href="${esc(deepLink(tag.name, op.operationId))}" data-tag="${esc(tag.name)}" data-op="${esc(op.operationId)}" title="${esc(`${op.method} ${op.path}`)}">`
      + `<span class="gij-method gij-${op.method.toLowerCase()}">${op.method}</span> ${esc(op.summary)}</a></li>`).join('\n');
    return `<h2>${esc(tag.name)}</h2>\n<ul>\n${items}\n</ul>`;
  }).join('\n');
  return `<nav id="gij-nav" aria-label="Operations">\n<a class="gij-nav-top" href="#">Overview</a>\n${tags}\n</nav>`;
}
