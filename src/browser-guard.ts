// What a browser may do: the Host allowlist (421, against DNS rebinding), CORS for allowed origins (the
// `cors` package), OPTIONS and HEAD answers, and the cross-site guard of the /__mock controls (403).
import { isIP } from 'node:net';
import cors from 'cors';
import type { RequestHandler } from 'express';
import { ApiError } from './errors.js';

/** The --cors-origins keyword for http(s) origins on localhost, 127.0.0.1 and [::1], any port. */
export const LOOPBACK = 'loopback';
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '[::]']);
/** Request headers a page may send cross-origin; each but Content-Type makes the browser ask first. */
export const CORS_REQUEST_HEADERS = ['Authorization', 'Content-Type', 'X-Mock-Session', 'Prefer'];
export const CORS_EXPOSED_HEADERS = ['X-Request-Id', 'X-Gij-Mock-Warning'];
/** How long (s) a browser may reuse a preflight answer. */
export const CORS_MAX_AGE_S = 600;

export type OriginCheck = (origin: string) => boolean;

/** Allowed origins: exact origins as written by --cors-origins, plus loopback origins when listed. */
export function originCheck(allowed: readonly string[]): OriginCheck {
  const exact = new Set(allowed.filter((o) => o !== LOOPBACK));
  const loopback = allowed.includes(LOOPBACK);
  return (origin) => {
    if (exact.has(origin)) return true;
    if (!loopback) return false;
    const m = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/.exec(origin);
    return m !== null && (m[2] === undefined || Number(m[2].slice(1)) <= 65535);
  };
}

/** The host name of a Host header (lower case, IPv6 in brackets, port dropped), or undefined if malformed. */
export function hostnameOf(host: string | undefined): string | undefined {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.exec(host ?? '');
  return m ? m[1]!.toLowerCase() : undefined;
}

/**
 * Names the server answers to: loopback names, the address it listens on, and --allowed-hosts (a
 * leading dot allows every subdomain). Listening on a wildcard address also admits any IP literal:
 * a DNS-rebinding request always carries a name, never an address.
 */
export function hostCheck(listenHost: string, allowedHosts: readonly string[]): (host: string | undefined) => boolean {
  const bound = listenHost.toLowerCase();
  const names = new Set([...LOOPBACK_NAMES, bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound, ...allowedHosts.filter((h) => !h.startsWith('.'))]);
  const suffixes = allowedHosts.filter((h) => h.startsWith('.'));
  const anyAddress = WILDCARD_ADDRESSES.has(bound);
  return (host) => {
    const name = hostnameOf(host);
    if (name === undefined) return false;
    if (names.has(name) || suffixes.some((s) => name.endsWith(s) || name === s.slice(1))) return true;
    return anyAddress && isIP(name.replace(/^\[|\]$/g, '')) !== 0;
  };
}

/** Stage 1a: every route refuses a Host the server does not answer to, with 421 in the envelope. */
export function hostGuard(allowed: (host: string | undefined) => boolean): RequestHandler {
  return (req, _res, next) => {
    if (allowed(req.headers.host)) return next();
    throw ApiError.of('misdirectedRequest', { host: String(req.headers.host ?? '(none)').slice(0, 100) });
  };
}

/** Stage 1b: CORS headers for allowed origins only; an allowed preflight ends here with 204. */
export function corsLayer(isAllowed: OriginCheck): RequestHandler {
  const layer = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && isAllowed(origin)),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_S,
    optionsSuccessStatus: 204,
  });
  // Most requests carry no Origin: skip the package's per-request option merging for them.
  return (req, res, next) => (req.headers.origin === undefined ? next() : layer(req, res, next));
}

/**
 * Stage 1c: OPTIONS that is not an allowed preflight answers 204 with `Allow` (no login needed), and
 * HEAD runs as the path's GET: Node then sends GET's status and headers without the body.
 */
export function optionsAndHead(allowedMethods: (path: string) => readonly string[], isApi: (res: Parameters<RequestHandler>[1]) => boolean): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'OPTIONS') {
      const allowed = allowedMethods(req.originalUrl.split('?')[0]!);
      if (allowed.length === 0) return next();
      return void res.status(204).set('Allow', allowed.join(', ')).end();
    }
    // Only on the API: the validator knows no HEAD operation. Express answers HEAD for GET routes itself.
    if (req.method === 'HEAD' && isApi(res)) req.method = 'GET';
    next();
  };
}

export interface BrowserStageOptions {
  readonly hostAllowed: (host: string | undefined) => boolean;
  readonly isAllowedOrigin: OriginCheck;
  readonly allowedMethods: (path: string) => readonly string[];
  readonly isApi: (res: Parameters<RequestHandler>[1]) => boolean;
}

/** Stages 1a–1c as one express layer (each layer costs every request an allocation). */
export function browserStage(o: BrowserStageOptions): RequestHandler {
  const host = hostGuard(o.hostAllowed);
  const corsHeaders = corsLayer(o.isAllowedOrigin);
  const answers = optionsAndHead(o.allowedMethods, o.isApi);
  // The cors package calls next(null) when it refuses an origin: only a truthy value is an error.
  return (req, res, next) => host(req, res, (err?: unknown) => {
    if (err) return next(err);
    corsHeaders(req, res, (e?: unknown) => (e ? next(e) : answers(req, res, next)));
  });
}

/**
 * The /__mock controls need no login, so they refuse what a page on another site makes a browser send,
 * and serve every tool. The decision rests on the headers browsers add themselves, which a page's
 * script cannot set or remove:
 * - `Origin`: the Fetch standard has a browser send it on every request whose method is not GET or
 *   HEAD, cross-origin or not, including form POSTs, `text/plain` and `no-cors` fetches (Chromium,
 *   Firefox since 70, Safari). A foreign page's POST, PUT or DELETE thus always names its origin;
 *   `Origin: null` (sandboxed iframe, file://, some redirects) names no origin we could allow.
 * - `Sec-Fetch-Site` (Chrome 76, Firefox 90, Safari 16.4): also on GETs and navigations, which carry
 *   no Origin. `cross-site` or `same-site` with no allowed Origin is a foreign page (same-site covers
 *   another port of 127.0.0.1); `same-origin` (the docs' try-it) and `none` (a typed URL) are the user.
 * A request with neither header was not sent by a current browser for a page: curl, Python, a test
 * runner. It is served as before, with no extra header. What remains for a browser too old for both
 * (pre-2019) is a GET navigation, and no control GET changes anything (the reads are withheld by CORS).
 */
export function crossSiteGuard(isAllowed: OriginCheck): RequestHandler {
  return (req, _res, next) => {
    const reason = crossSiteReason(req.headers.origin, req.headers['sec-fetch-site'], req.headers.host, isAllowed);
    if (reason !== undefined) throw ApiError.of('crossSiteRefused', { method: req.method, path: req.originalUrl.split('?')[0]!, reason });
    next();
  };
}

/** Why a request to the controls came from a page on another site, or undefined when it did not. */
export function crossSiteReason(origin: string | undefined, fetchSite: string | string[] | undefined, host: string | undefined, isAllowed: OriginCheck): string | undefined {
  if (origin !== undefined) {
    if (isAllowed(origin) || sameOrigin(origin, host)) return undefined;
    return `Origin ${origin.slice(0, 100)} is not an allowed origin (--cors-origins)`;
  }
  const site = String(fetchSite ?? '').toLowerCase();
  if (site === 'cross-site' || site === 'same-site') return `Sec-Fetch-Site ${site} without an allowed Origin is a page on another site`;
  return undefined;
}

/** A page served by this server under an answered Host (e.g. a name of --allowed-hosts) is no other site. */
function sameOrigin(origin: string, host: string | undefined): boolean {
  return host !== undefined && /^https?:\/\//.test(origin) && origin.replace(/^https?:\/\//, '').toLowerCase() === host.toLowerCase();
}
