// Each vitest worker gets its own X-Mock-Session, so test files running in parallel never see each
// other's integrations; beforeEach empties this worker's store and its journal entries.
import { createMockClient } from 'gij-mock';
import { beforeEach, inject } from 'vitest';

export const mockUrl = inject('gijMockUrl');
export const apiUrl = `${mockUrl}/rest/gitplugin/1.0`;
export const session = `vitest-worker-${process.env.VITEST_POOL_ID ?? '1'}`;
export const controls = createMockClient(mockUrl);
/** Headers for API calls: admin credentials and this worker's session. */
export const headers = { Authorization: `Basic ${btoa('admin:admin')}`, 'Content-Type': 'application/json', 'X-Mock-Session': session };

beforeEach(async () => {
  await controls.reset({ session });
  await controls.clearRequests({ session });
});
