// What the repository contract files share: a fixture that also adds standalone repositories (and removes
// them afterwards), reads of the repository list, the spec's defaults of an added repository, and an
// in-process server whose state file stops accepting writes (the documented 507).
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { defaultConfig, type Config } from '../../src/config.js';
import type { StateIo } from '../../src/mock/state-files.js';
import { expectContract, spec } from './contract.js';
import { example, Fixture, mine, REMOTE, runId, useFixture, type Schemas } from './fixture.js';
import { startTarget, type Target } from './target.js';
import { tempDir } from './temp-dir.js';

export type Repository = Schemas['Repository'];
export type RepositoryBody = Record<string, unknown> & { origin: string };

type PropertyMap = Record<string, { writeOnly?: boolean; default?: unknown }>;
const settings = spec.components.schemas.RepositorySettings?.properties as PropertyMap;

/** The schema default of every RepositorySettings field that has one (what an add leaves out gets). */
export const REPOSITORY_DEFAULTS: Readonly<Record<string, unknown>> = Object.fromEntries(
  Object.entries(settings).filter(([, s]) => s.default !== undefined).map(([k, s]) => [k, s.default]),
);

export const removePath = (id: number | string, query = '') => `/repository?id=${id}${query}`;

let serial = 0;
/** A standalone repository body of this run: its own origin (so its name) and displayName. */
export function standalone(extra: Record<string, unknown> = {}): RepositoryBody {
  return mine({ ...example<RepositoryBody>('RepositoryAddMinimalRequest'), origin: `https://github.com/TestOrg/r${runId}-${++serial}.git`, ...extra });
}

/** A Fixture that also keeps track of the repositories it added, and removes what is left of them after the file. */
export class RepositoryFixture extends Fixture {
  readonly repositories = new Set<number>();

  /** POST /repository expecting 200; returns the bare repository answered. */
  async addRepository(body: RepositoryBody): Promise<Repository> {
    const res = await this.call('POST', '/repository', { body });
    expectContract('addRepository', res, 200);
    const repository = res.body as Repository;
    this.repositories.add(repository.id);
    return repository;
  }

  /** GET /repository (with a query such as `?projectKey=TEST`) expecting 200. */
  async listRepositories(query = ''): Promise<Repository[]> {
    const res = await this.call('GET', `/repository${query}`);
    expectContract('listRepositories', res, 200);
    return (res.body as Schemas['RepositoryListResponse']).repositories;
  }

  /** The repository as the full list shows it (undefined once gone). */
  async repository(id: number): Promise<Repository | undefined> {
    return (await this.listRepositories()).find((r) => r.id === id);
  }

  /** A GITHUB integration of this run and the repositories it discovered (mock: the default catalogue). */
  async discovering(): Promise<{ integration: Schemas['Integration']; children: Repository[] }> {
    const integration = await this.addGithub();
    const children = (await this.listRepositories()).filter((r) => r.trackedFolderId === integration.id);
    return { integration, children };
  }

  /** Removes what is left of this file's repositories, then of its integrations (each answer still checked). */
  override async cleanup(): Promise<void> {
    for (const id of this.repositories) {
      const res = await this.call('DELETE', removePath(id));
      expectContract('removeRepository', res);
    }
    await super.cleanup();
  }
}

/** A RepositoryFixture whose target starts before the file's tests and is cleaned and closed after them. */
export const useRepositoryFixture = (overrides: Partial<Config> = {}): RepositoryFixture => useFixture(overrides, () => new RepositoryFixture());

/**
 * An in-process server with a state file whose writes fail (ENOSPC) while `failing` is true: every change
 * then answers 507 and changes nothing. Not started against a remote server (REMOTE: target is undefined).
 */
export function useFailingDisk(): { readonly target: Target; failing: boolean } {
  const dir = tempDir('gij-mock-repo-disk-');
  const disk = { target: undefined as unknown as Target, failing: false };
  const io: Partial<StateIo> = {
    write: (fd, data, position) => {
      if (disk.failing) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      for (let done = 0; done < data.length;) done += writeSync(fd, data, done, data.length - done, position + done);
    },
  };
  beforeAll(async () => {
    if (!REMOTE) disk.target = await startTarget({ ...defaultConfig, logLevel: 'silent', stateFile: join(dir, 'state.json') }, { stateIo: io as StateIo });
  });
  afterAll(async () => { await disk.target?.close(); });
  return disk;
}

/** The envelope of a 507 for a state file that could not be written. */
export function expectDiskFull(operationId: string, res: Parameters<typeof expectContract>[1]): void {
  expectContract(operationId, res, 507);
  expect((res.body as Schemas['ErrorResponse']).error).toMatch(/could not be saved to the state file \(ENOSPC\)/);
}
