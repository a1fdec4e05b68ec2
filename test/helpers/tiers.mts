// Which test files run in which tier (docs/development.md#test-tiers). `npm test` runs every test file but these;
// `npm run test:e2e` (vitest.e2e.config.mts) runs these: what needs whole processes or a browser.
export const E2E_FILES = [
  // The status page and the Web UI in Chromium.
  'test/browser/**/*.test.ts',
  // Every benchmark's smoke run, each a process of its own with the workers it starts.
  'test/bench/**/*.test.ts',
  // The compiled CLI (dist/): its exit codes, and its worker and API as processes.
  'test/integration/compiledCli.test.ts',
  // `jao start` stacks, each with a Temporal dev server of its own.
  'test/integration/start.test.ts',
  'test/integration/startRestart.test.ts',
  // Spawned workers where the process is the subject: killed mid-backfill, signals and exit codes at start-up,
  // the deployed heap, the fleet's rate limit agreed between processes, the SDK's metrics on dev servers of its own.
  'test/integration/workerProcesses.test.ts',
  'test/integration/workerStartup.test.ts',
  'test/integration/hostileSource.test.ts',
  'test/integration/fleetRateLimit.test.ts',
  'test/integration/workerTemporalMetrics.test.ts',
  // The embedded PostgreSQL started, stopped and started again as a process of its own (devstack/embeddedPostgres.ts).
  'test/integration/embeddedPostgres.test.ts',
  // A `jao backfill --wait` process that outlives a Temporal outage longer than the client's retries (25 s).
  'test/integration/backfillWait.test.ts',
];
