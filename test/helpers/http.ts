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

export async function call(target: Target, method: string, path: string, opts: CallOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  const auth = opts.auth === undefined ? target.admin : opts.auth;
  if (auth !== null) headers.authorization = auth;
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${target.baseUrl}${path.startsWith('/rest') || path.startsWith('/__') ? path : API + path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { /* keep text */ }
  return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: parsed };
}
