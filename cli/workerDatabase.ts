// Before a command starts a workflow that the workers run on their own database: refused in one line when they
// write to another database than the one the command names (control/workerDatabase.ts).
import type { Config } from '../common/config';
import { type TemporalClient, withTemporal } from '../common/temporal';
import { checkWorkerDatabase } from '../control/workerDatabase';
import { type DatabaseIdentity, readDatabaseIdentity } from '../db/databaseIdentity';
import { withPool } from './context';

/** How long a command that does not otherwise use its database waits for it to answer before not comparing. */
const IDENTIFY_TIMEOUT_MS = 5_000;

/**
 * The identity of DATABASE_URL's database when the command's environment names one, or null: a command that starts
 * work only through Temporal (backfill, rerun, reprocess) does not otherwise use the database, so a DATABASE_URL
 * left at its default (unset or empty) names nothing, and one that does not answer is not compared.
 */
export async function namedDatabaseOf(
  env: NodeJS.ProcessEnv,
  config: Config,
): Promise<DatabaseIdentity | null> {
  if (!env.DATABASE_URL) return null;
  return withPool(
    config.DATABASE_URL,
    { max: 1, applicationName: 'jao', connectionTimeoutMs: IDENTIFY_TIMEOUT_MS, report: () => {} },
    readDatabaseIdentity,
  ).catch(() => null);
}

/**
 * `use` with a Temporal client, refused first (WorkerDatabaseMismatch, exit 2) when the task queue's running workers
 * write to another database than `ownDatabase` (default: DATABASE_URL's, when `env`, the command's environment
 * that `config` was read from, names one).
 */
export function withTemporalOfOwnDatabase<T>(
  env: NodeJS.ProcessEnv,
  config: Config,
  use: (temporal: TemporalClient) => Promise<T>,
  ownDatabase = () => namedDatabaseOf(env, config),
): Promise<T> {
  return withTemporal(config, async (temporal) => {
    await checkWorkerDatabase(
      temporal.connection,
      { namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE },
      ownDatabase,
    );
    return use(temporal);
  });
}
