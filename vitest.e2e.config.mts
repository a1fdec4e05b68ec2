import { tierConfig } from './test/helpers/tierConfig.mts';
import { E2E_FILES } from './test/helpers/tiers.mts';

/** `npm run test:e2e`: what needs whole processes or a browser (test/helpers/tiers.mts). */
export default tierConfig({
  include: E2E_FILES,
  exclude: [],
  globalSetup: 'test/helpers/globalSetupE2e.ts',
});
