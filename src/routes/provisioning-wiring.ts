// What a host or the engine adds to wire issue 21: the handlers of the new operations (and of the three
// integration operations that reach repositories) built from the config, in one call.
import type { Config } from '../config.js';
import type { OperationHandler } from '../engine/types.js';
import { rulesFromSpec } from '../integration-model.js';
import { queueLimitsOf } from '../mock/provisioning-controls.js';
import type { OpenApiDocument } from '../spec.js';
import { repositoryHandlers } from './repositories.js';

/**
 * Spread after integrationHandlers(...) so that addIntegration, removeIntegration and setIntegrationDisabled are
 * these (discovery, cascade, one disable for both kinds): `{ ...integrationHandlers(…), ...provisioningHandlers(…) }`.
 * Given the integration handlers, their reads and update are returned too, run after the indexing clock caught up.
 */
export function provisioningHandlers(config: Config, spec: OpenApiDocument, now: () => number, integration?: Record<string, OperationHandler>): Record<string, OperationHandler> {
  const reads = integration && { getIntegration: integration.getIntegration!, listIntegrations: integration.listIntegrations!, updateIntegration: integration.updateIntegration! };
  return repositoryHandlers({
    integrationReads: reads,
    now, limits: queueLimitsOf(config), clockRuns: config.clock === undefined, projects: config.projects,
    rules: rulesFromSpec(spec), maxIntegrations: config.maxIntegrations,
  });
}
