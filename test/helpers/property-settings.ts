// Runs and seed of the property tests: GIJ_PROPERTY_RUNS (npm run test:property asks for 500) and
// GIJ_PROPERTY_SEED (a failure is replayed with the seed its run printed), else a default and a fresh seed.
export const propertySeed = Number(process.env.GIJ_PROPERTY_SEED ?? Date.now() % 2 ** 31);

export const propertyRuns = (fallback: number): number => Number(process.env.GIJ_PROPERTY_RUNS ?? fallback);

/** The line a property test prints before it runs, so that any failure can be replayed. */
export const seedLine = (runs: number, unit = 'runs per property'): string =>
  `fast-check: ${runs} ${unit}, seed ${propertySeed} (replay with GIJ_PROPERTY_SEED=${propertySeed})`;
