// What a migration written in TypeScript is (db/migrations.ts MIGRATION_STEPS lists them): the types alone, which
// the migration runner and every step share.
import type pg from 'pg';
import type { LockRetry } from './lockRetry';

/** `timescaledb` / `no-timescaledb`: applied only on that engine (recorded not applicable on the other); null: on both. */
export type Requirement = 'timescaledb' | 'no-timescaledb' | null;

export interface MigrationStepContext {
  /** Whether the timescaledb extension is installed in the database. */
  timescale: boolean;
  /** One line of progress for `jao migrate` and the worker's log. */
  report: (line: string) => void;
  /** How a batch stopped by a lock conflict is tried again (db/lockRetry.ts). */
  lockRetry: LockRetry;
}

export interface MigrationStep {
  /** What the step does, for its record's checksum: change it when the step's work changes. */
  describe: string;
  requires: Requirement;
  run: (client: pg.PoolClient, context: MigrationStepContext) => Promise<void>;
}
