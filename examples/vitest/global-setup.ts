// Recipe: one gij-mock for a whole vitest run. Start it once here, hand its URL to every test file
// with provide/inject, and let each worker use its own X-Mock-Session (see session.ts).
import { startGijMock } from 'gij-mock';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    gijMockUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const mock = await startGijMock({ port: 0 });
  project.provide('gijMockUrl', mock.url);
  return () => mock.close();
}
