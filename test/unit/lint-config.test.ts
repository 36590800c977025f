// .spectral.yaml: every rule turned off says why, in a comment right above it (the condition for
// turning an OWASP rule off), and the OWASP ruleset itself stays on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/spec.js';

const lines = readFileSync(join(projectRoot, '.spectral.yaml'), 'utf8').split('\n');

describe('.spectral.yaml', () => {
  it('extends the OWASP API Security ruleset', () => {
    expect(lines.some((l) => /^\s*-\s*"?@stoplight\/spectral-owasp-ruleset"?\s*$/.test(l))).toBe(true);
  });

  it('turns some rule off (the check below is not vacuous)', () => {
    expect(lines.filter((l) => /:\s*off\s*$/.test(l)).length).toBeGreaterThan(0);
  });

  it('has a reason in a comment above every rule or group of rules turned off', () => {
    const unexplained: string[] = [];
    lines.forEach((line, i) => {
      if (!/:\s*off\s*$/.test(line)) return;
      // Walk up over neighbouring rules turned off (a group shares one reason) to the nearest comment.
      let j = i - 1;
      while (j >= 0 && /:\s*off\s*$/.test(lines[j]!)) j--;
      if (!/^\s*#\s*\S/.test(lines[j] ?? '') && !/^\s*rules:\s*$/.test(lines[j] ?? '')) unexplained.push(line.trim());
      // Under an override's `rules:`, the reason is the comment above the override's `- files:`.
      if (/^\s*rules:\s*$/.test(lines[j] ?? '')) {
        let k = j - 1;
        while (k >= 0 && !/^\s*-\s*files:/.test(lines[k]!)) k--;
        while (k >= 0 && /^\s*-?\s*(files:|-\s*")/.test(lines[k]!)) k--;
        if (!/^\s*#\s*\S/.test(lines[k] ?? '')) unexplained.push(line.trim());
      }
    });
    expect(unexplained).toEqual([]);
  });
});
