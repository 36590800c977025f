// Jira-style authentication (Basic, Bearer personal access token) and the administrator check.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { UserEntry } from './config.js';
import { ApiError } from './errors.js';

export const CHALLENGE = 'Basic realm="gij-mock", Bearer realm="gij-mock"';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
// Equal-length digests make the comparison constant-time whatever the secret's length.
const same = (a: Buffer, b: Buffer): boolean => timingSafeEqual(a, b);

interface Account {
  readonly user: UserEntry;
  readonly name: Buffer;
  readonly password: Buffer;
  readonly tokens: readonly Buffer[];
}

export type Authenticator = (authorization: string | undefined) => UserEntry;

/** How many distinct Authorization values that already passed are remembered (only passed ones). */
export const VERIFIED_CACHE_LIMIT = 256;

export function createAuthenticator(users: readonly UserEntry[]): Authenticator {
  const verify = verifier(users);
  // A client sends the same header on every request; two SHA-256 digests per request were ~10% of a
  // GET's cost (bench/results.md). Only values that passed are kept, so a wrong guess always takes the
  // constant-time path, and a hit tells the caller nothing the 200 does not.
  const verified = new Map<string, UserEntry>();
  return (authorization) => {
    const known = authorization === undefined ? undefined : verified.get(authorization);
    if (known) return known;
    const user = verify(authorization);
    if (verified.size < VERIFIED_CACHE_LIMIT) verified.set(authorization!, user);
    return user;
  };
}

function verifier(users: readonly UserEntry[]): Authenticator {
  const accounts: Account[] = users.map((user) => ({ user, name: digest(user.name), password: digest(user.password), tokens: user.tokens.map(digest) }));
  const fail = (reason: string) => ApiError.of('unauthenticated', { reason }, { 'WWW-Authenticate': CHALLENGE });

  return (authorization) => {
    if (authorization === undefined || authorization.trim() === '') throw fail('No Authorization header was sent.');
    const match = /^([A-Za-z]+) +(\S+)\s*$/.exec(authorization);
    if (!match) throw fail('The Authorization header is not "<scheme> <credentials>".');
    const scheme = match[1]!.toLowerCase();
    const credentials = match[2]!;
    if (scheme === 'basic') {
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(credentials)) throw fail('The Basic credentials are not base64.');
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 1) throw fail('The Basic credentials are not "user:password".');
      const name = digest(decoded.slice(0, colon));
      const password = digest(decoded.slice(colon + 1));
      // Compare against every account so the time does not reveal which user names exist.
      let found: UserEntry | undefined;
      // Both comparisons always run (no &&): a short-circuit would time a known name differently.
      for (const a of accounts) if (Number(same(a.name, name)) & Number(same(a.password, password))) found = a.user;
      if (!found) throw fail('The user name or password is wrong.');
      return found;
    }
    if (scheme === 'bearer') {
      const token = digest(credentials);
      let found: UserEntry | undefined;
      for (const a of accounts) for (const t of a.tokens) if (same(t, token)) found = a.user;
      if (!found) throw fail('The personal access token is not known.');
      return found;
    }
    throw fail(`The ${match[1]} scheme is not supported.`);
  };
}
