// `npm run bench -- <name> [args]`: benchmarks print their figures and the ratio to a baseline of the same run.
import { UsageError } from '../cli/errors';

type Run = (args: string[]) => Promise<void>;

// A benchmark's module is required when it runs: each loads only its own code (bench:write needs no browser).
const BENCHMARKS: Record<string, () => Run> = {
  api: () => (require('./api') as typeof import('./api')).runApiBenchmark,
  backfill: () => (require('./backfill') as typeof import('./backfill')).runBackfillBenchmark,
  client: () => (require('./client') as typeof import('./client')).runClientBenchmark,
  freshness: () => (require('./freshness') as typeof import('./freshness')).runFreshnessBenchmark,
  migrate: () => (require('./migrate') as typeof import('./migrate')).runMigrateBenchmark,
  page: () => (require('./page') as typeof import('./page')).runPageBenchmark,
  query: () => (require('./query') as typeof import('./query')).runQueryBenchmark,
  reprocess: () => (require('./reprocess') as typeof import('./reprocess')).runReprocessBenchmark,
  restore: () => (require('./restore') as typeof import('./restore')).runRestoreBenchmark,
  write: () => (require('./write') as typeof import('./write')).runWriteBenchmark,
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const run = name && Object.hasOwn(BENCHMARKS, name) ? BENCHMARKS[name]!() : undefined;
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
