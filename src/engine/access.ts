// Stage 5, API only: authentication (401) and the administrator check (403; the operations a plain user may
// call, by their project permissions, are let through with the caller), then injected faults and delays (Prefer header or rules of PUT /__mock/faults). An injected 401 or 405 carries the header the
// spec requires of every 401 (challenge) and 405 (Allow).
import { CHALLENGE, createAuthenticator } from '../auth.js';
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';
import { type FaultInjector, NO_PREFERENCE, parsePrefer } from '../mock/faults.js';
import { callerOf, type Caller } from '../permissions.js';
import type { Exchange } from './exchange.js';
import type { Routing } from './routing.js';

/** What the request waits for before it goes on, and the status it then answers instead (if any). */
export interface Decided {
  readonly delayMs: number;
  readonly status: number | undefined;
}
const NOTHING: Decided = { delayMs: 0, status: undefined };

/** Operations a user who is not an administrator may call; the handler then decides by their project permissions. */
const OPEN_TO_USERS: Readonly<Record<string, (caller: Caller) => boolean>> = {
  listRepositories: () => true,
  // Only a user with the development panel on some project can be allowed anything: the others get 403 before the body is read.
  startReindex: (caller) => caller.develop.size > 0,
  getReindexStatus: (caller) => caller.develop.size > 0,
};

export function accessStage(config: Config, faults: FaultInjector) {
  const authenticate = createAuthenticator(config.users);
  const callers = new Map(config.users.map((u) => [u, callerOf(u, config.projects)]));
  return (x: Exchange): Decided => {
    const user = authenticate(x.req.headers.authorization as string | undefined);
    const caller = callers.get(user) ?? callerOf(user, config.projects);
    if (!user.administrator) refuseUnlessOpen(x.operation?.operationId, caller);
    x.caller = caller;
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

function refuseUnlessOpen(operationId: string | undefined, caller: Caller): void {
  const open = operationId === undefined ? undefined : OPEN_TO_USERS[operationId];
  if (open?.(caller)) return;
  if (open === undefined) throw ApiError.of('notAdministrator', { user: caller.name });
  throw ApiError.of('reindexForbidden', {
    user: caller.name, action: operationId === 'startReindex' ? 'reindex repositories' : 'see the progress of reindexing',
    advice: `User ${caller.name} has Browse projects and View Development Tools on no project; ask for both on a project a repository is mapped to, or use a Jira administrator's account.`,
  });
}
