// What a host or the engine adds to wire issue 21: the handlers of the new operations (and of the three
// integration operations that reach repositories) built from the config, in one call.
import type { Config } from '../config.js';
import type { OperationHandler } from '../engine/types.js';
import { rulesFromSpec } from '../integration-model.js';
import type { FaultInjector } from '../mock/faults.js';
import { queueLimitsOf } from '../mock/provisioning-controls.js';
import type { OpenApiDocument } from '../spec.js';
import { repositoryHandlers } from './repositories.js';

/**
 * Spread after integrationHandlers(...) so that addIntegration, removeIntegration and setIntegrationDisabled are
 * these (discovery, cascade, one disable for both kinds): `{ ...integrationHandlers(…), ...provisioningHandlers(…) }`.
 * Given the integration handlers, their reads and update are returned too, run after the indexing clock caught up.
 */
export function provisioningHandlers(config: Config, spec: OpenApiDocument, now: () => number, integration?: Record<string, OperationHandler>, faults?: Pick<FaultInjector, 'indexError'>): Record<string, OperationHandler> {
  const reads = integration && { getIntegration: integration.getIntegration!, listIntegrations: integration.listIntegrations!, updateIntegration: integration.updateIntegration! };
  return repositoryHandlers({
    integrationReads: reads,
    now, limits: queueLimitsOf(config), clockRuns: config.clock === undefined, projects: config.projects,
    // The fault rules are the server's, not a session's: every session's indexing reads the same ones.
    ...(faults ? { fault: () => (repoId: number) => faults.indexError(repoId) } : {}),
    rules: rulesFromSpec(spec), maxIntegrations: config.maxIntegrations,
  });
}
