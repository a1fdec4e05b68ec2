import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test/helpers/sequencer';

/**
 * Test files run side by side: most of their time is spent waiting on Temporal timers, the simulator and the
 * database, not on the CPU, and each file has its own database, task queues and days (or namespace). On a
 * 2-core machine vitest would otherwise run one file at a time. JAO_TEST_FORKS overrides the count.
 */
const forks = Number(process.env.JAO_TEST_FORKS ?? 4);
/**
 * A fork runs file after file, keeping the modules it loaded (the SDK, the database driver, the app): loading them
 * again for each of the hundred files was an eighth of the run's CPU. Nothing a file leaves behind is shared but the
 * process's Temporal runtime (test/helpers/runtime.ts). JAO_TEST_ISOLATE=1 gives each file a fresh process again.
 */
const isolate = process.env.JAO_TEST_ISOLATE === '1';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/globalSetup.ts'],
    setupFiles: ['test/helpers/setupRuntime.ts'],
    // The Temporal SDK's native module is safest in child processes rather than worker threads.
    pool: 'forks',
    maxWorkers: forks,
    isolate,
    sequence: { sequencer: LongestFirstSequencer },
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
