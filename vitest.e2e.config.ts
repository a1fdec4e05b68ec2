import { E2E_FILES } from './test/helpers/tiers';
import { tierConfig } from './vitest.config';

/** `npm run test:e2e`: what needs whole processes or a browser (test/helpers/tiers.ts). */
export default tierConfig({
  include: E2E_FILES,
  exclude: [],
  globalSetup: 'test/helpers/globalSetupE2e.ts',
});
