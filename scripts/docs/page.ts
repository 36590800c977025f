// One self-contained docs page: Swagger UI's bundle and stylesheet inlined (from swagger-ui-dist),
// the spec inlined, nothing loaded from anywhere. docs/renderers.md says why Swagger UI.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { navigationHtml, operationIndex } from './navigation.js';
import { rulesMarkdown } from './type-rules.js';

type Schema = { [key: string]: unknown };
const RULES = '#/components/schemas/IntegrationRequest';

/**
 * The spec as the page shows it: Add New Integration's description gains the generated tables of
 * per-type rules and defaults, and IntegrationTypeRules (whose `if`/`then` list Swagger UI merges
 * into one misleading "If GERRIT … Then" block) is shown as a pointer to that table.
 */
export function pageSpec(spec: Schema): Schema {
  const copy = structuredClone(spec);
  const schemas = ((copy.components as Schema | undefined)?.schemas ?? {}) as Schema;
  const rules = schemas.IntegrationTypeRules as Schema | undefined;
  if (!rules) return copy;
  const tables = rulesMarkdown(spec);
  let shown = 0;
  for (const item of Object.values((copy.paths ?? {}) as Schema)) {
    for (const op of Object.values(item as Schema)) {
      const o = op as Schema;
      const schema = ((((o?.requestBody as Schema | undefined)?.content as Schema | undefined)?.['application/json'] as Schema | undefined)?.schema ?? {}) as Schema;
      if (schema.$ref !== RULES) continue;
      o.description = `${String(o.description ?? '').trimEnd()}\n\n${tables}\n`;
      shown++;
    }
  }
  if (shown === 0) throw new Error(`no operation takes ${RULES}: the generated rules table would show nowhere`);
  // Swagger UI drops the descriptions of allOf members: say where the rules went on the schema that uses them.
  for (const schema of Object.values(schemas) as Schema[]) {
    const refs = Array.isArray(schema.allOf) ? (schema.allOf as Schema[]).map((s) => s.$ref) : [];
    if (refs.includes('#/components/schemas/IntegrationTypeRules')) schema.description = `${String(schema.description ?? '').trimEnd()}\n\nOn this page the per-type rules are the table *Required fields per integration type* under Add New Integration, generated from them.`;
  }
  schemas.IntegrationTypeRules = {
    description: `${String(rules.description ?? '').trimEnd()}\n\nShown as the table *Required fields per integration type* under Add New Integration, generated from these rules (this renderer cannot show \`if\`/\`then\`; the raw rules are in \`/openapi.yaml\`).`,
  };
  return copy;
}

const require = createRequire(import.meta.url);
const swaggerDir = dirname(require.resolve('swagger-ui-dist/package.json'));
// Inside <script>, only "</script" and "<!--" can end or confuse the element: escape every "<".
const inScript = (json: string) => json.replace(/</g, '\\u003c');

// Runs in the browser. Each visitor gets a mock session of their own (kept in localStorage) that
// every "Try it out" request sends as X-Mock-Session, so one reader's experiments never touch
// another's data, nor the default session. Server variables default to the URL the page was served
// under: its origin plus the context path (the page is <origin><context path>/docs[/mock-admin]), where
// the API and the controls both live. The operation index (scripts/docs/navigation.ts) links to Swagger UI's
// deep links (#/<tag>/<operationId>): Swagger UI reads one only when the page loads, so a click (or
// back/forward) scrolls to the operation here, expanding it if the reader had collapsed it.
const BOOT = String.raw`
(function () {
  var spec = window.GIJ_DOCS_SPEC, KEY = 'gij-mock-docs-session', NAME = /^[A-Za-z0-9._~-]{1,64}$/;
  var session = null;
  try { session = localStorage.getItem(KEY); } catch (e) { /* storage off: a session per page load */ }
  if (!session || !NAME.test(session)) {
    var bytes = crypto.getRandomValues(new Uint8Array(6));
    session = 'docs-' + Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, '0'); }).join('');
    try { localStorage.setItem(KEY, session); } catch (e) { /* see above */ }
  }
  var base = location.origin + location.pathname.replace(/\/docs(\/mock-admin)?\/?$/, '');
  (spec.servers || []).forEach(function (s) {
    Object.keys(s.variables || {}).forEach(function (k) { s.variables[k].default = base; });
  });
  document.getElementById('gij-session-name').textContent = session;
  document.getElementById('gij-session-new').onclick = function () {
    try { localStorage.removeItem(KEY); } catch (e) { /* see above */ }
    location.reload();
  };
  var ui = SwaggerUIBundle({
    spec: spec, dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null,
    docExpansion: 'full', defaultModelRendering: 'model', defaultModelExpandDepth: 2, defaultModelsExpandDepth: 0,
    requestInterceptor: function (req) {
      // A session typed into an operation's own X-Mock-Session field (the controls have one) wins.
      var typed = Object.keys(req.headers).some(function (k) { return k.toLowerCase() === 'x-mock-session' && req.headers[k] !== ''; });
      if (!typed) req.headers['X-Mock-Session'] = session;
      return req;
    },
  });
  if (spec.components && spec.components.securitySchemes && spec.components.securitySchemes.basicAuth) ui.preauthorizeBasic('basicAuth', 'admin', 'admin');
  // Swagger UI's element id of an operation (its escapeDeepLinkPath: blanks as "_", CSS-escaped).
  var key = function (s) { return CSS.escape(s.trim().replace(/\s/g, '_')); };
  var waiting = null;
  function jump(tag, op) {
    clearTimeout(waiting);
    var tries = 0;
    (function find() {
      var el = document.getElementById('operations-' + key(tag) + '-' + key(op));
      // Not drawn yet (the renderer needs seconds on a slow machine): look again, for two minutes at most.
      if (!el) { if (++tries <= 600) waiting = setTimeout(find, 200); return; }
      ui.layoutActions.show(['operations', tag, op], true);
      // Scroll once it is drawn open: a collapsed last operation scrolled first leaves the page too short to reach it.
      var frames = 0;
      (function settle() {
        if (!/\bis-open\b/.test(el.className) && ++frames < 120) { waiting = setTimeout(settle, 16); return; }
        requestAnimationFrame(function () { el.scrollIntoView({ block: 'start' }); });
      })();
    })();
  }
  document.getElementById('gij-nav').addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-op]');
    if (!a) return;
    e.preventDefault(); // the same link twice changes no hash, and the browser knows no element by that name
    history.pushState(null, '', a.getAttribute('href'));
    jump(a.getAttribute('data-tag'), a.getAttribute('data-op'));
  });
  window.addEventListener('popstate', function () {
    var m = /^#\/([^/]+)\/([^/]+)$/.exec(location.hash);
    if (m) jump(decodeURIComponent(m[1]), decodeURIComponent(m[2]));
  });
  window.gijDocs = { ui: ui, session: session };
})();
`;

const STYLE = `
#gij-nav { position: fixed; top: 0; bottom: 0; left: 0; width: 260px; overflow-y: auto; box-sizing: border-box; padding: 12px 12px 24px; background: #fafafa; border-right: 1px solid #ddd; font: 13px/1.35 sans-serif; }
#gij-nav h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: #555; margin: 16px 0 6px; }
#gij-nav ul { list-style: none; margin: 0; padding: 0; }
#gij-nav li a { display: flex; align-items: baseline; gap: 6px; padding: 4px 6px; border-radius: 3px; color: #222; text-decoration: none; }
#gij-nav li a:hover, #gij-nav li a:focus { background: #e8eef7; }
#gij-nav .gij-nav-top { font-weight: bold; color: #222; text-decoration: none; }
.gij-method { flex: none; display: inline-block; min-width: 46px; padding: 1px 0; border-radius: 3px; color: #fff; font: bold 10px/1.6 monospace; text-align: center; }
.gij-get { background: #61affe; } .gij-post { background: #49cc90; } .gij-put { background: #fca130; } .gij-delete { background: #f93e3e; } .gij-head, .gij-options, .gij-patch, .gij-trace { background: #9012fe; }
.gij-main { margin-left: 260px; }
@media (max-width: 900px) { #gij-nav { position: static; width: auto; border-right: 0; border-bottom: 1px solid #ddd; } .gij-main { margin-left: 0; } }
.gij-session { font: 14px/1.4 sans-serif; background: #fff8e1; border-bottom: 1px solid #e0c97f; padding: 8px 20px; }
.gij-session code { font-weight: bold; }
.gij-session button { margin-left: 8px; }
.swagger-ui .renderedMarkdown table, .swagger-ui .markdown table { border-collapse: collapse; margin: 8px 0; }
.swagger-ui .renderedMarkdown th, .swagger-ui .renderedMarkdown td, .swagger-ui .markdown th, .swagger-ui .markdown td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
`;

export function renderPage(spec: Schema, title: string): string {
  const css = readFileSync(join(swaggerDir, 'swagger-ui.css'), 'utf8');
  const js = readFileSync(join(swaggerDir, 'swagger-ui-bundle.js'), 'utf8');
  if (/<\/script/i.test(js)) throw new Error('swagger-ui-bundle.js contains "</script": it cannot be inlined as is');
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${css}</style>
<style>${STYLE}</style>
</head>
<body>
${navigationHtml(operationIndex(spec))}
<div class="gij-main">
<div class="gij-session">"Try it out" calls the gij-mock that served this page (where the API needs a login, as
<code>admin</code>/<code>admin</code>: change it with Authorize), in your own mock session <code>X-Mock-Session: <span id="gij-session-name"></span></code>,
kept in this browser: other sessions, and the default one, never see what you create here.
<button type="button" id="gij-session-new">Start a new session</button></div>
<div id="swagger-ui"></div>
</div>
<script>window.GIJ_DOCS_SPEC = ${inScript(JSON.stringify(spec))};</script>
<script>${js}</script>
<script>${BOOT}</script>
</body>
</html>
`;
}
