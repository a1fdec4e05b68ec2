import { defineConfig } from 'vitest/config';

// `npm run test:replay`: only the replay tests, against the bundle `npm run build` wrote (no server, no database).
export default defineConfig({
  test: {
    include: ['test/replay/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
