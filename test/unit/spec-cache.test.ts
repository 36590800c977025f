import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpec, writeSpecCache } from '../../src/spec.js';

const dir = mkdtempSync(join(tmpdir(), 'gij-mock-spec-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const yamlWithTitle = (title: string) => `openapi: 3.1.0\ninfo: {title: ${title}, version: '1'}\npaths: {}\n`;
const titleOf = (doc: Record<string, unknown>) => (doc.info as { title: string }).title;
/** A YAML spec `<name>.yaml` with its JSON twin built into `cache-<name>`, as `npm run build` does. */
function built(name: string, title: string): { yamlPath: string; cacheDir: string } {
  const yamlPath = join(dir, `${name}.yaml`);
  writeFileSync(yamlPath, yamlWithTitle(title));
  const cacheDir = join(dir, `cache-${name}`);
  writeSpecCache([yamlPath], cacheDir);
  return { yamlPath, cacheDir };
}

describe('the JSON twin written at build time', () => {
  it('is used when it was made from the same YAML bytes', () => {
    const { yamlPath, cacheDir } = built('same', 'from yaml');
    // Mark the twin so that reading it is visible; its YAML digest stays the one of same.yaml.
    const twinPath = join(cacheDir, 'same.json');
    const twin = JSON.parse(readFileSync(twinPath, 'utf8'));
    twin.document.info.title = 'from the twin';
    writeFileSync(twinPath, JSON.stringify(twin));
    expect(titleOf(loadSpec(yamlPath, cacheDir))).toBe('from the twin');
  });
  it('is ignored once the YAML has changed, so an edited spec needs no rebuild', () => {
    const { yamlPath, cacheDir } = built('edited', 'before');
    writeFileSync(yamlPath, yamlWithTitle('after the edit'));
    expect(titleOf(loadSpec(yamlPath, cacheDir))).toBe('after the edit');
  });
  it('is ignored when it is missing or not JSON', () => {
    const { yamlPath, cacheDir } = built('broken', 'yaml only');
    writeFileSync(join(cacheDir, 'broken.json'), '{ not json');
    expect(titleOf(loadSpec(yamlPath, cacheDir))).toBe('yaml only');
    const missing = built('missing', 'no twin at all');
    expect(titleOf(loadSpec(missing.yamlPath, join(dir, 'no-such-dir')))).toBe('no twin at all');
  });
});
