import { tierConfig } from './test/helpers/tierConfig.mts';

/**
 * `npm run test:python`: the Python client (clients/python/) installed offline into a virtual environment of
 * Debian's python3 and its tests run with pytest against a real API and stack (test/python/client.pytest.ts).
 */
export default tierConfig({
  include: ['test/python/**/*.pytest.ts'],
  exclude: [],
  globalSetup: 'test/helpers/globalSetup.ts',
});
