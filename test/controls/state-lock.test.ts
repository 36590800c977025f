// One server per --state-file: a second gij-mock on a file in use stops at start-up (exit 2, one message
// naming the holder), the first keeps every change; a lock left by a process that is gone is taken over.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { claimStateFile } from '../../src/mock/state-lock.js';
import { call } from '../helpers/http.js';
import { runCli } from '../helpers/run-cli.js';
import { exited, spawnServer } from '../helpers/spawn-server.js';
import type { Target } from '../helpers/target.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('gij-mock-lock-');
/** The id of a process that has ended (spawnSync waits for it). */
const goneProcessId = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('--state-file lock', () => {
  it('a second gij-mock on a state file in use exits 2 naming the process that holds it, and the first keeps its changes', async () => {
    const file = join(dir, 'shared.json');
    const first = await spawnServer(['--state-file', file]);
    let second: ReturnType<typeof runCli> | undefined;
    try {
      const t: Target = { baseUrl: first.baseUrl, admin: `Basic ${Buffer.from('admin:admin').toString('base64')}`, remote: true, logLines: [], close: async () => {} };
      expect((await call(t, 'POST', '/integration', { body: { type: 'GITLAB', pat: 'p', displayName: 'first' } })).status).toBe(200);
      second = runCli(['--port', '0', '--state-file', file]);
      const code = await Promise.race([second.exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running after 10 s'), 10_000))]);
      expect(code).toBe(2);
      expect(second.stderr()).toContain(`--state-file ${file} is in use by process ${first.child.pid}`);
      expect(second.stdout()).toBe('');
      const list = (await call(t, 'GET', '/integration')).body as { integrations: Array<{ displayName: string }> };
      expect(list.integrations.map((i) => i.displayName)).toEqual(['first']);
    } finally {
      // Without the lock the second server would run on: stop both, whatever the test saw.
      if (second && second.child.exitCode === null) second.child.kill('SIGKILL');
      first.child.kill('SIGTERM');
      await exited(first.child);
    }
  });

  it('a lock whose process is gone is taken over, and the lock then names this process', () => {
    const file = join(dir, 'stale.json');
    writeFileSync(`${file}.lock`, `${goneProcessId()}\n`);
    claimStateFile(file);
    expect(readFileSync(`${file}.lock`, 'utf8')).toBe(`${process.pid}\n`);
  });

  it('a lock held by another running process is refused with a ConfigError naming it', () => {
    const file = join(dir, 'held.json');
    writeFileSync(`${file}.lock`, `${process.ppid}\n`);
    expect(() => claimStateFile(file)).toThrow(ConfigError);
    expect(() => claimStateFile(file)).toThrow(`is in use by process ${process.ppid}`);
  });
});
