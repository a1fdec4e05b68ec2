// `npm run bench -- <name> [args]`: benchmarks print their figures and the ratio to a baseline of the same run.
import { UsageError } from '../cli/errors';
import { runApiBenchmark } from './api';
import { runBackfillBenchmark } from './backfill';
import { runFreshnessBenchmark } from './freshness';
import { runMigrateBenchmark } from './migrate';
import { runPageBenchmark } from './page';
import { runQueryBenchmark } from './query';
import { runReprocessBenchmark } from './reprocess';
import { runRestoreBenchmark } from './restore';
import { runWriteBenchmark } from './write';

const BENCHMARKS: Record<string, (args: string[]) => Promise<void>> = {
  api: runApiBenchmark,
  backfill: runBackfillBenchmark,
  freshness: runFreshnessBenchmark,
  migrate: runMigrateBenchmark,
  page: runPageBenchmark,
  query: runQueryBenchmark,
  reprocess: runReprocessBenchmark,
  restore: runRestoreBenchmark,
  write: runWriteBenchmark,
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const run = name ? BENCHMARKS[name] : undefined;
  if (!run) {
    console.error(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [options]`);
    process.exitCode = 2;
    return;
  }
  await run(args);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
