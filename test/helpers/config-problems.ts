// The problems a ConfigError lists, for tests of the configuration: fails when `fn` throws nothing or something else.
import { ConfigError } from '../../src/config.js';

export function configProblems(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('no ConfigError thrown');
}
