// Stage 5, API only: authentication (401) and the administrator check (403), then injected faults and
// delays (Prefer header or rules of PUT /__mock/faults). An injected 401 or 405 carries the header the
// spec requires of every 401 (challenge) and 405 (Allow).
import { CHALLENGE, createAuthenticator } from '../auth.js';
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';
import { type FaultInjector, NO_PREFERENCE, parsePrefer } from '../mock/faults.js';
import type { Exchange } from './exchange.js';
import type { Routing } from './routing.js';

/** What the request waits for before it goes on, and the status it then answers instead (if any). */
export interface Decided {
  readonly delayMs: number;
  readonly status: number | undefined;
}
const NOTHING: Decided = { delayMs: 0, status: undefined };

export function accessStage(config: Config, faults: FaultInjector) {
  const authenticate = createAuthenticator(config.users);
  return (x: Exchange): Decided => {
    const user = authenticate(x.req.headers.authorization as string | undefined);
    if (!user.administrator) throw ApiError.of('notAdministrator', { user: user.name });
    const preferHeader = x.req.headers.prefer === undefined ? '' : [x.req.headers.prefer].flat().join(',');
    const prefer = preferHeader === '' ? NO_PREFERENCE : parsePrefer(preferHeader, config.maxDelayMs);
    if (prefer.problems.length) throw ApiError.of('invalidRequest', { problems: prefer.problems.join('; ') });
    const ruled = faults.decide(x.operation?.operationId);
    const status = prefer.decision.status ?? ruled.status;
    // Rules' delays are checked against --max-delay when set (PUT /__mock/faults, --faults).
    const delayMs = prefer.decision.delayMs ?? ruled.delayMs;
    return status === undefined && delayMs === 0 ? NOTHING : { delayMs, status };
  };
}

/** The answer an injected status gives. */
export function injected(status: number, x: Exchange, routes: Routing): ApiError {
  if (status === 401) return ApiError.injected(status, { 'WWW-Authenticate': CHALLENGE });
  if (status === 405) return ApiError.injected(status, { Allow: routes.apiMethodsOf(x.path).join(', ') });
  return ApiError.injected(status);
}
