import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpec, writeSpecCache } from '../../src/spec.js';

const dir = mkdtempSync(join(tmpdir(), 'gij-mock-spec-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const yamlWithTitle = (title: string) => `openapi: 3.1.0\ninfo: {title: ${title}, version: '1'}\npaths: {}\n`;

describe('the JSON twin written at build time', () => {
  it('is used when it was made from the same YAML bytes', () => {
    const yamlPath = join(dir, 'same.yaml');
    writeFileSync(yamlPath, yamlWithTitle('from yaml'));
    const cacheDir = join(dir, 'cache-same');
    writeSpecCache([yamlPath], cacheDir);
    // Mark the twin so that reading it is visible; its YAML digest stays the one of same.yaml.
    const twinPath = join(cacheDir, 'same.json');
    const twin = JSON.parse(readFileSync(twinPath, 'utf8'));
    twin.document.info.title = 'from the twin';
    writeFileSync(twinPath, JSON.stringify(twin));
    expect((loadSpec(yamlPath, cacheDir).info as { title: string }).title).toBe('from the twin');
  });
  it('is ignored once the YAML has changed, so an edited spec needs no rebuild', () => {
    const yamlPath = join(dir, 'edited.yaml');
    writeFileSync(yamlPath, yamlWithTitle('before'));
    const cacheDir = join(dir, 'cache-edited');
    writeSpecCache([yamlPath], cacheDir);
    writeFileSync(yamlPath, yamlWithTitle('after the edit'));
    expect((loadSpec(yamlPath, cacheDir).info as { title: string }).title).toBe('after the edit');
  });
  it('is ignored when it is missing or not JSON', () => {
    const yamlPath = join(dir, 'broken.yaml');
    writeFileSync(yamlPath, yamlWithTitle('yaml only'));
    const cacheDir = join(dir, 'cache-broken');
    writeSpecCache([yamlPath], cacheDir);
    writeFileSync(join(cacheDir, 'broken.json'), '{ not json');
    expect((loadSpec(yamlPath, cacheDir).info as { title: string }).title).toBe('yaml only');
  });
});
