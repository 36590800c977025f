// What the hardening tests share: raw HTTP requests (fetch would normalise `..`, refuse non-ASCII headers
// and GET bodies), the store as a client sees it, and the error-envelope check.
import http from 'node:http';
import { expect } from 'vitest';
import { expectContract, type HttpResult } from '../helpers/contract.js';
import { call } from '../helpers/http.js';
import { API, type Target } from '../helpers/target.js';

export const JSON_TYPE = { 'content-type': 'application/json' };

export interface RawRequest {
  method: string;
  /** sent exactly as given; a path not starting with /rest or /__ gets the API prefix */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** send the body in pieces without Content-Length (Transfer-Encoding: chunked) */
  chunked?: boolean;
  /** undefined = the target's administrator; null = no Authorization header */
  auth?: string | null;
  /** a keep-alive agent for long runs; default: a fresh connection per request */
  agent?: http.Agent;
}

/** One request on its own connection, bytes as given. Resolves with status, headers and parsed body. */
export function raw(target: Pick<Target, 'baseUrl' | 'admin'>, r: RawRequest): Promise<HttpResult> {
  const url = new URL(target.baseUrl);
  // Paths under /rest (any case) or /__ are taken as they are; others are relative to the API.
  const path = `${url.pathname.replace(/\/$/, '')}${/^\/(rest|__)/i.test(r.path) ? '' : API}${r.path}`;
  const headers: Record<string, string> = { accept: 'application/json', ...r.headers };
  const auth = r.auth === undefined ? target.admin : r.auth;
  if (auth !== null) headers.authorization = auth;
  // Node frames a GET or DELETE body only when told to: without a length, chunked must be explicit.
  if (r.body !== undefined) Object.assign(headers, r.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(Buffer.byteLength(r.body)) });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method: r.method, path, headers, agent: r.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try { body = text ? JSON.parse(text) : undefined; } catch { /* keep text */ }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (r.body !== undefined && r.chunked) {
      const buf = Buffer.from(r.body);
      for (let i = 0; i < buf.length; i += 64 * 1024) req.write(buf.subarray(i, i + 64 * 1024));
    } else if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

/** The integrations a client sees, for before/after comparisons. */
export async function listed(target: Target, session?: string): Promise<unknown[]> {
  const res = await call(target, 'GET', '/integration', session ? { headers: { 'x-mock-session': session } } : {});
  expectContract('listIntegrations', res, 200);
  return (res.body as { integrations: unknown[] }).integrations;
}

/** The documented error envelope for the operation, with a 4xx status (one of `statuses` when given). */
export function expectRejected(operationId: string, res: HttpResult, statuses?: number | number[]): void {
  const allowed = statuses === undefined ? undefined : [statuses].flat();
  expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
  if (allowed) expect(allowed, `status ${res.status}: ${JSON.stringify(res.body)}`).toContain(res.status);
  expectContract(operationId, res);
  expect((res.body as { success: unknown }).success).toBe(false);
}

/** Adds one GITHUB integration and returns its id. */
export async function addOne(target: Target, displayName = 'hardening', headers: Record<string, string> = {}): Promise<number> {
  const res = await call(target, 'POST', '/integration', { body: { type: 'GITHUB', pat: 'p', displayName }, headers });
  expectContract('addIntegration', res, 200);
  return (res.body as { integration: { id: number } }).integration.id;
}
