// What every contract test file needs: where the suite runs (in-process, GIJ_BASE_URL, through Prism) and
// a fixture that adds integrations (named with the run id), checks every answer for secrets, and removes
// whatever it added afterwards. Re-exports the spec-derived bodies of ./examples.ts.
import { afterAll, beforeAll, expect } from 'vitest';
import { defaultConfig, type Config } from '../../src/config.js';
import type { components } from '../../src/generated/openapi.js';
import { expectContract, type HttpResult } from './contract.js';
import { example, mine, type AddBody, type Body } from './examples.js';
import { expectNoSecrets, splitSecrets } from './expectations.js';
import { call, type Send } from './http.js';
import { runId, startTarget, type Target } from './target.js';

export type Schemas = components['schemas'];
export type Integration = Schemas['Integration'];
export type IntegrationType = Schemas['IntegrationType'];

const env = process.env;
/** Aimed at a server this process did not start (GIJ_BASE_URL). */
export const REMOTE = Boolean(env.GIJ_BASE_URL);
/** Sent through `prism proxy --errors` (npm run test:proxy), which answers invalid requests itself. */
export const VIA_PRISM = Boolean(env.GIJ_VIA_PRISM);
/** A non-administrator is known: in-process always, remotely only with GIJ_USER. */
export const HAS_USER = !REMOTE || Boolean(env.GIJ_USER);
/** The server's body limit: gij-mock's default in-process, remotely only when GIJ_BODY_LIMIT_BYTES says it. */
export const BODY_LIMIT: number | undefined = REMOTE ? Number(env.GIJ_BODY_LIMIT_BYTES) || undefined : defaultConfig.bodyLimitBytes;
/** A token no server knows. */
export const WRONG_TOKEN = `Bearer gij-mock-unknown-token-${runId}`;

export const idPath = (id: number) => `/integration/${id}`;
export const disablePath = (id: number, disable: boolean) => `/repository/${id}/disable?disable=${disable}`;

export class Fixture {
  private started?: Target;
  /** Ids this file added and has not seen removed. */
  readonly created = new Set<number>();
  private readonly sentSecrets = new Set<string>();
  private sentOpen = '';

  /**
   * Every secret value this file sent, except those it also sent in a non-secret field (a user name
   * inside a displayName may come back there). No answer the fixture sees may carry one.
   */
  get secrets(): string[] {
    return [...this.sentSecrets].filter((secret) => !this.sentOpen.includes(secret));
  }

  get target(): Target {
    if (!this.started) throw new Error('the target starts in beforeAll');
    return this.started;
  }

  async start(overrides: Partial<Config>): Promise<void> {
    this.started = await startTarget(overrides);
  }

  /** Any request to the target; whatever it answers must not carry a secret this file ever sent. */
  readonly call: Send = async (method, path, opts = {}) => {
    if (opts.body !== null && typeof opts.body === 'object') {
      const { secrets, open } = splitSecrets(opts.body as Body);
      for (const secret of secrets) this.sentSecrets.add(secret);
      this.sentOpen += open;
    }
    const res = await call(this.target, method, path, opts);
    expectNoSecrets(res, this.secrets);
    return res;
  };

  /** POST /integration expecting 200; returns the integration as answered. */
  async add(body: AddBody): Promise<Integration> {
    const res = await this.call('POST', '/integration', { body });
    expectContract('addIntegration', res, 200);
    const { integration } = res.body as Schemas['IntegrationSavedResponse'];
    this.created.add(integration.id);
    return integration;
  }

  /** A GITHUB integration of this run. */
  addGithub(): Promise<Integration> {
    return this.add(mine(example<AddBody>('AddGithubRequest')));
  }

  async remove(id: number, query = ''): Promise<HttpResult> {
    const res = await this.call('DELETE', `${idPath(id)}${query}`);
    if (res.status === 200) this.created.delete(id);
    return res;
  }

  /** An id that existed a moment ago and has been removed: unknown without guessing at other data. */
  async goneId(): Promise<number> {
    const { id } = await this.addGithub();
    const res = await this.remove(id);
    expectContract('removeIntegration', res, 200);
    return id;
  }

  async get(id: number): Promise<Integration> {
    const res = await this.call('GET', idPath(id));
    expectContract('getIntegration', res, 200);
    const [one] = (res.body as Schemas['IntegrationOneResponse']).integration;
    expect(one).toBeDefined();
    return one!;
  }

  async list(): Promise<Integration[]> {
    const res = await this.call('GET', '/integration');
    expectContract('listIntegrations', res, 200);
    return (res.body as Schemas['IntegrationListResponse']).integrations;
  }

  /** Removes what is left of this file's integrations (each answer still checked against the spec). */
  async cleanup(): Promise<void> {
    for (const id of [...this.created]) expectContract('removeIntegration', await this.remove(id));
  }
}

/** A fixture (a Fixture, or one made by `make`) whose target starts before the file's tests and is cleaned and closed after them. */
export function useFixture<F extends Fixture = Fixture>(overrides: Partial<Config> = {}, make: () => F = () => new Fixture() as F): F {
  const fx = make();
  beforeAll(() => fx.start(overrides));
  afterAll(async () => {
    await fx.cleanup();
    await fx.target.close();
  });
  return fx;
}

export * from './examples.js';
export { runId };
