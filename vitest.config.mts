import { tierConfig } from './test/helpers/tierConfig.mts';
import { E2E_FILES } from './test/helpers/tiers.mts';

/** `npm test`: unit tests, and integration tests in-process against PostgreSQL, one dev server and the simulator. */
export default tierConfig({
  include: ['test/**/*.test.ts'],
  exclude: E2E_FILES,
  globalSetup: 'test/helpers/globalSetup.ts',
  // What a command does is tested through `main` in-process (test/helpers/cli.ts); a spawn is for the process itself.
  spawnBudget: 15,
});
