// `npm run test:e2e`'s run set-up (vitest.e2e.config.mts): `npm test`'s (./globalSetup.ts) with the tool its
// tests drive, Chromium.
import type { TestProject } from 'vitest/node';
import { CHROMIUM, setupTestRun } from './globalSetup';

export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return setupTestRun(project, [CHROMIUM]);
}
