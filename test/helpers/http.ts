// A small fetch wrapper returning status, headers and parsed body (supertest needs an app; this also
// works against GIJ_BASE_URL and through Prism's proxy).
import type { HttpResult } from './contract.js';
import { API, type Target } from './target.js';

export interface CallOptions {
  auth?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** A request function bound to a target. */
export type Send = (method: string, path: string, opts?: CallOptions) => Promise<HttpResult>;

export async function call(target: Target, method: string, path: string, opts: CallOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  const auth = opts.auth === undefined ? target.admin : opts.auth;
  if (auth !== null) headers.authorization = auth;
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const url = `${target.baseUrl}${path.startsWith('/rest') || path.startsWith('/__') ? path : API + path}`;
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  if (process.env.GIJ_VIA_PRISM) {
    // `prism proxy --errors` (npm run test:proxy) reports what breaks the spec in a header, or answers 500 itself.
    const violations = res.headers.get('sl-violations');
    if (violations) throw new Error(`Prism reported sl-violations for ${method} ${url}: ${violations}`);
    if (res.status === 500 && /problem\+json/.test(res.headers.get('content-type') ?? '')) throw new Error(`Prism answered 500 itself for ${method} ${url}: ${text}`);
  }
  let parsed: unknown = text;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { /* keep text */ }
  return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: parsed };
}
