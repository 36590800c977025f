// What the reindex contract files share: a client bound to one mock session (X-Mock-Session, so each test
// has its own store, indexing clock and thread numbering) with the calls a reindex test makes: Reindex (X1),
// Reindex status (X2), the repository list, and the indexing-clock and host-catalogue controls.
import { expect } from 'vitest';
import type { components } from '../../src/generated/openapi.js';
import { expectContract } from './contract.js';
import type { CallOptions, Send } from './http.js';
import { runId } from './target.js';

type Schemas = components['schemas'];
export type Repository = Schemas['Repository'];
export type ReindexStatus = Schemas['ReindexStatusResponse'];

export const REINDEX_PATH = '/rest/gitplugin/2.0/reindex';
export const STATUS_PATH = '/index.json';
/** A fixed clock (--clock): the indexing clock moves only through POST /__mock/index. */
export const FIXED_CLOCK = 1_700_000_000_000;
/** Milliseconds a repository is INDEXING on the fixed-clock servers (--index-delay). */
export const INDEX_DELAY = 1000;

/** The spec's Mock rule: the n-th reindex thread of a session is 00000000-0000-4000-8000-<n in 12 hex digits>. */
export const nthThread = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

let sessions = 0;

export class SessionClient {
  readonly name: string;
  /** A pat no answer may carry (the fixture's send checks every answer for it). */
  readonly pat = `reindex-pat-${runId}`;

  constructor(private readonly send: Send, prefix: string) {
    this.name = `${prefix}-${++sessions}-${runId}`.slice(0, 64);
  }

  call(method: string, path: string, opts: CallOptions = {}) {
    return this.send(method, path, { ...opts, headers: { 'x-mock-session': this.name, ...opts.headers } });
  }

  /** POST /integration (GITHUB unless told) expecting 200; its id and the ids of the repositories it discovered. */
  async addIntegration(body: Record<string, unknown> = {}): Promise<{ id: number; repoIds: number[] }> {
    const res = await this.call('POST', '/integration', { body: { type: 'GITHUB', pat: this.pat, ...body } });
    expectContract('addIntegration', res, 200);
    const { id } = (res.body as Schemas['IntegrationSavedResponse']).integration;
    return { id, repoIds: (await this.repositories()).filter((r) => r.trackedFolderId === id).map((r) => r.id) };
  }

  async repositories(): Promise<Repository[]> {
    const res = await this.call('GET', '/repository');
    expectContract('listRepositories', res, 200);
    return (res.body as Schemas['RepositoryListResponse']).repositories;
  }

  async repository(id: number): Promise<Repository> {
    const found = (await this.repositories()).find((r) => r.id === id);
    expect(found, `repository ${id} is listed`).toBeDefined();
    return found!;
  }

  /** X1 expecting 200: finished false and a thread id, at once. Returns the thread id. */
  async reindex(body?: unknown): Promise<string> {
    const res = await this.call('POST', REINDEX_PATH, body === undefined ? {} : { body });
    expectContract('startReindex', res, 200);
    const answer = res.body as Schemas['ReindexStartedResponse'];
    expect(answer.finished).toBe(false);
    return answer.threadId;
  }

  /** X2 expecting 200; `query` as in the URL, e.g. `threadId=…&repoId=2`. */
  async status(query = ''): Promise<ReindexStatus> {
    const res = await this.call('GET', `${STATUS_PATH}${query ? `?${query}` : ''}`);
    expectContract('getReindexStatus', res, 200);
    return res.body as ReindexStatus;
  }

  /** POST /__mock/index: moves this session's indexing clock by events or milliseconds. */
  async advance(by: { steps: number } | { ms: number }): Promise<{ clock: number; idle: boolean }> {
    const res = await this.call('POST', '/__mock/index', { body: by });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { clock: number; idle: boolean };
  }

  /** Moves the clock until nothing is queued or running (a bounded number of events). */
  async untilIdle(): Promise<{ clock: number }> {
    const answer = await this.advance({ steps: 1000 });
    expect(answer.idle).toBe(true);
    return answer;
  }

  /** PUT /__mock/hosts: what a host of each type "has" for this session's discovery. */
  async setHosts(byType: Record<string, Array<{ name: string; group: string; indexError?: string }>>): Promise<void> {
    const res = await this.call('PUT', '/__mock/hosts', { body: { byType } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  /** Each repository's state, by id (what R1 shows). */
  async states(): Promise<Record<number, string | undefined>> {
    return Object.fromEntries((await this.repositories()).map((r) => [r.id, r.state]));
  }
}
