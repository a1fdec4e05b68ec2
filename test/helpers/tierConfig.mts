// The configuration every tier of the suite shares (docs/development.md#test-tiers): vitest.config.mts (`npm test`)
// and vitest.e2e.config.mts (`npm run test:e2e`) each give their files and global set-up.
import { configDefaults, defineConfig, type ViteUserConfig } from 'vitest/config';
import LongestFirstSequencer from './sequencer.mts';
import SlowestFilesReporter from './slowestFiles.mts';

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

/** A tier of the suite (docs/development.md#test-tiers): its files and its global set-up, the rest shared. */
export function tierConfig(tier: {
  include: string[];
  exclude: string[];
  globalSetup: string;
  /** The most `jao` processes the tier may spawn (test/helpers/spawnLog.mts); none: no limit. */
  spawnBudget?: number;
}): ViteUserConfig {
  return defineConfig({
    test: {
      include: tier.include,
      exclude: [...configDefaults.exclude, ...tier.exclude],
      globalSetup: [tier.globalSetup],
      setupFiles: ['test/helpers/setupRuntime.ts'],
      // The Temporal SDK's native module is safest in child processes rather than worker threads.
      pool: 'forks',
      maxWorkers: forks,
      isolate,
      sequence: { sequencer: LongestFirstSequencer },
      // After the default summary: the run's ten slowest files (test/helpers/slowestFiles.mts).
      reporters: ['default', new SlowestFilesReporter({ spawnBudget: tier.spawnBudget })],
      testTimeout: 120_000,
      hookTimeout: 180_000,
      teardownTimeout: 60_000,
    },
  });
}
