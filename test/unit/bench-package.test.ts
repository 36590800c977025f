// The bench's package section (scripts/bench/package.ts): its verdicts flip at their thresholds, and
// `npm run bench -- --only=package` replaces only its own section of bench/results.md.
import { describe, expect, it } from 'vitest';
import { PACKAGE_BEGIN, PACKAGE_END, renderPackage, spliceSection, type PackageCost } from '../../scripts/bench/package.js';

const node = (version: string, startupMs: number[], cachedStartupMs = [240]) => ({ version, startupMs, cachedStartupMs, cacheBytes: 300 * 1024, startupCpuMs: [300], cachedCpuMs: [200] });
const cost = (startupMs: number[], packageCount = 1): PackageCost => ({
  installMs: 1000, packageCount, unpackedBytes: 8e6, tarballBytes: 2e6, nodes: [node('v20.20.2', startupMs), node('v22.23.5', [900])], repoStartupMs: startupMs, bareNodeStartupMs: [150], loadAvg: { before: '1 1 1', after: '1 1 1' },
});
const startupRow = (md: string) => md.split('\n').find((l) => l.startsWith('| Start-up of the installed CLI'))!;

describe('bench package section', () => {
  it('renderPackage: start-up median 300 ms is met, 301 ms is missed (the target applies to the first Node.js only)', () => {
    expect(startupRow(renderPackage(cost([100, 300, 900])))).toMatch(/\| 300 ms .*\| ≤ 300 ms \(met\) \|$/);
    expect(startupRow(renderPackage(cost([100, 301, 900])))).toMatch(/\| 301 ms .*\*\*missed\*\*/);
  });

  it('renderPackage: per Node.js, the start-up as shipped and what a code cache made by that binary would save', () => {
    const md = renderPackage({ ...cost([250]), nodes: [node('v20.20.2', [250]), node('v22.23.5', [310, 300, 290], [260, 280, 270])] });
    expect(md).toContain('| Start-up of the installed CLI, Node v22.23.5, median (as shipped: no code cache) | 300 ms (runs: 310, 300, 290) | — |');
    expect(md).toMatch(/\| … the same from a code cache made by that binary at bench time \(same rounds\), median \| 270 ms: saves 30 ms \(cache 300 KiB\) \| — \|\n\| … CPU time up to its first answer, median: as shipped \/ from the code cache \| 300 ms \/ 200 ms/);
    expect(md.match(/^\| Start-up of the installed CLI, Node v20\.20\.2/gm)).toHaveLength(1);
  });

  it('renderPackage: one package added is met, two are missed', () => {
    expect(renderPackage(cost([200]))).toContain('| Packages added | 1 | 1 (met) |');
    expect(renderPackage(cost([200], 2))).toContain('| Packages added | 2 | 1 (**missed**) |');
  });

  it('spliceSection replaces an existing section and keeps what is around it', () => {
    const old = `# top\n${PACKAGE_BEGIN}\nold numbers\n${PACKAGE_END}\nNOTES\nhand-written\n`;
    expect(spliceSection(old, `${PACKAGE_BEGIN}\nnew\n${PACKAGE_END}\n`, 'NOTES')).toBe(`# top\n${PACKAGE_BEGIN}\nnew\n${PACKAGE_END}\nNOTES\nhand-written\n`);
  });

  it('spliceSection without a section inserts it before the notes marker', () => {
    expect(spliceSection('# top\nNOTES\nhand\n', 'SECTION\n', 'NOTES')).toBe('# top\nSECTION\n\nNOTES\nhand\n');
  });
});
