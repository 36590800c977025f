// Stage 2, browsers (rules in src/browser-guard.ts): a Host the server does not answer to gets 421 on
// every route; CORS headers for allowed origins (an allowed preflight ends here, before any login);
// OPTIONS answers 204 with Allow; HEAD on the API runs as GET (the host sends no body).
import cors from 'cors';
import { CORS_EXPOSED_HEADERS, CORS_MAX_AGE_S, CORS_REQUEST_HEADERS, type OriginCheck } from '../browser-guard.js';
import { ApiError } from '../errors.js';
import type { Exchange } from './exchange.js';
import type { Routing } from './routing.js';
import type { EngineResponse } from './types.js';

export interface BrowserRules {
  readonly hostAllowed: (host: string | undefined) => boolean;
  readonly isAllowedOrigin: OriginCheck;
  readonly routes: Routing;
}

/**
 * The cors package decides the headers (its rules stay the reference); it is Express-style middleware,
 * so it is called with a request and response of just the members it uses. Only for requests with an
 * Origin: most carry none.
 */
function corsDecision(isAllowed: OriginCheck) {
  const layer = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && isAllowed(origin)),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_S,
    optionsSuccessStatus: 204,
  });
  return (x: Exchange): EngineResponse | undefined => {
    let ended = false;
    const res = {
      statusCode: 200,
      getHeader: (name: string) => x.headers[name],
      setHeader: (name: string, value: string) => { x.headers[name] = String(value); },
      end: () => { ended = true; },
    };
    layer({ method: x.req.method, headers: x.req.headers } as never, res as never, () => {});
    return ended ? { status: res.statusCode, headers: x.headers, body: null } : undefined;
  };
}

export function browserStage(rules: BrowserRules): (x: Exchange) => EngineResponse | undefined {
  const corsFor = corsDecision(rules.isAllowedOrigin);
  return (x) => {
    const host = x.req.headers.host;
    if (!rules.hostAllowed(host as string | undefined)) throw ApiError.of('misdirectedRequest', { host: String(host ?? '(none)').slice(0, 100) });
    if (x.req.headers.origin !== undefined) {
      const preflight = corsFor(x);
      if (preflight) return preflight;
    }
    if (x.method === 'OPTIONS') {
      const allowed = rules.routes.methodsOf(x.path);
      if (allowed.length > 0) {
        x.headers.Allow = allowed.join(', ');
        return { status: 204, headers: x.headers, body: null };
      }
    }
    // Only on the API: the controls answer HEAD for their GET routes themselves.
    if (x.method === 'HEAD' && x.isApi) x.method = 'GET';
    return undefined;
  };
}
