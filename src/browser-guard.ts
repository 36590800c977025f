// What a browser may do, as rules the engine applies (src/engine/browser.ts, src/mock/controls.ts): the Host
// allowlist (421, against DNS rebinding), the CORS origins, and the cross-site guard of the /__mock controls (403).

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

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)';
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
/** node:net's isIP without node:net (the engine runs in browsers too): IPv4 by Node's own pattern, IPv6 by the URL parser. */
export function isIpLiteral(name: string): boolean {
  if (IPV4.test(name)) return true;
  if (!name.includes(':')) return false;
  try { return new URL(`http://[${name}]/`).hostname !== ''; } catch { return false; }
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
    return anyAddress && isIpLiteral(name.replace(/^\[|\]$/g, ''));
  };
}

/**
 * crossSiteReason: the /__mock controls need no login, so they refuse what a page on another site makes a browser send,
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
