import { describe, expect, it } from 'vitest';
import { createAuthenticator, VERIFIED_CACHE_LIMIT } from '../../src/auth.js';
import type { UserEntry } from '../../src/config.js';
import { ApiError } from '../../src/errors.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const admin: UserEntry = { name: 'admin', password: 'admin', administrator: true, tokens: ['admin-token'] };
const user: UserEntry = { name: 'user', password: 'user', administrator: false, tokens: [] };

const statusOf = (authenticate: ReturnType<typeof createAuthenticator>, header: string | undefined) => {
  try {
    return authenticate(header).name;
  } catch (e) {
    if (e instanceof ApiError) return e.status;
    throw e;
  }
};

describe('createAuthenticator', () => {
  it('answers the same user for a header it has already verified', () => {
    const authenticate = createAuthenticator([admin, user]);
    expect(statusOf(authenticate, basic('admin', 'admin'))).toBe('admin');
    expect(statusOf(authenticate, basic('admin', 'admin'))).toBe('admin');
    expect(statusOf(authenticate, 'Bearer admin-token')).toBe('admin');
    expect(statusOf(authenticate, basic('user', 'user'))).toBe('user');
  });
  it('never remembers a failure: a wrong header stays 401 however often it is sent', () => {
    const authenticate = createAuthenticator([admin]);
    for (let i = 0; i < 3; i++) expect(statusOf(authenticate, basic('admin', 'wrong'))).toBe(401);
    expect(statusOf(authenticate, basic('admin', 'admin'))).toBe('admin');
    expect(statusOf(authenticate, basic('admin', 'wrong'))).toBe(401);
    expect(statusOf(authenticate, undefined)).toBe(401);
  });
  it('keeps verifying correctly once its cache is full', () => {
    const authenticate = createAuthenticator([admin]);
    // Padding after the credentials is allowed, so each of these is a distinct header that passes.
    for (let i = 0; i <= VERIFIED_CACHE_LIMIT + 10; i++) expect(statusOf(authenticate, `Bearer admin-token${' '.repeat(i)}`)).toBe('admin');
    expect(statusOf(authenticate, `Bearer admin-token${' '.repeat(VERIFIED_CACHE_LIMIT + 5)}`)).toBe('admin');
    expect(statusOf(authenticate, 'Bearer other-token')).toBe(401);
  });
});
