// The bench's package section (scripts/bench/package.ts): its verdicts flip at their thresholds, and
// `npm run bench -- --only=package` replaces only its own section of bench/results.md.
import { describe, expect, it } from 'vitest';
import { PACKAGE_BEGIN, PACKAGE_END, renderPackage, spliceSection, type PackageCost } from '../../scripts/bench/package.js';

const cost = (startupMs: number[], packageCount = 1): PackageCost => ({
  installMs: 1000, packageCount, unpackedBytes: 8e6, tarballBytes: 2e6, startupMs, repoStartupMs: startupMs, noCacheStartupMs: [400], bareNodeStartupMs: [150], startupCpuMs: [300], loadAvg: { before: '1 1 1', after: '1 1 1' },
});
const startupRow = (md: string) => md.split('\n').find((l) => l.startsWith('| Start-up of the installed CLI'))!;

describe('bench package section', () => {
  it('renderPackage: start-up median 300 ms is met, 301 ms is missed', () => {
    expect(startupRow(renderPackage(cost([100, 300, 900])))).toMatch(/\| 300 ms .*\| ≤ 300 ms \(met\) \|$/);
    expect(startupRow(renderPackage(cost([100, 301, 900])))).toMatch(/\| 301 ms .*\*\*missed\*\*/);
  });

  it('renderPackage: the start-up without the code cache has a row of its own, with its median', () => {
    expect(renderPackage({ ...cost([250]), noCacheStartupMs: [390, 410, 400] })).toContain('| Start-up of the installed CLI without its code cache, median (same run) | 400 ms | — |');
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
