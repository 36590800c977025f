// The hosts an in-process test target can be served by (test/helpers/target.ts), in a module of its
// own so that scripts/test-hosts.ts can list them without loading the app. GIJ_TEST_HOST picks one.
export const HOST_NAMES = ['express', 'node', 'fetch', 'msw'] as const;
export type HostName = (typeof HOST_NAMES)[number];
/** Today's host, and the one a test runs against when GIJ_TEST_HOST is not set. */
export const DEFAULT_HOST: HostName = 'express';

export function testHost(): HostName {
  const name = process.env.GIJ_TEST_HOST ?? DEFAULT_HOST;
  if (!(HOST_NAMES as readonly string[]).includes(name)) throw new Error(`GIJ_TEST_HOST=${name}: the hosts are ${HOST_NAMES.join(', ')}`);
  return name as HostName;
}

/** The msw host has no socket: no other thread or process reaches it, and Node's HTTP parser (its 431) is never in the way. */
export const hasSocket = (host: HostName = testHost()): boolean => host !== 'msw';
