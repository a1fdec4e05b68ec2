// Migration 028: the journal of writes (jao.day_write) indexed by day and time, built without holding back the reads or
// the writes of the release still running. A restore asks of every journaled write whether its day holds a later one
// (archive/restore.ts); without the index each question reads the whole journal, so a restore's time grew with the
// square of its writes.
import type pg from 'pg';
import { withLockRetry } from '../lockRetry';
import type { MigrationStep, MigrationStepContext } from '../migrationStep';

const STEP = '028_day_write_day_index';
const INDEX = 'day_write_day_idx';

/**
 * Builds the index CONCURRENTLY unless a valid one is there; one an interrupted or timed-out build left invalid is
 * dropped first. A try that meets a lock timeout (CONCURRENTLY waits for the transactions before it) leaves at most
 * an invalid index, which the next try drops: so it runs again whole.
 */
async function buildIndex(client: pg.PoolClient, { report, lockRetry }: MigrationStepContext): Promise<void> {
  await withLockRetry(
    `migration ${STEP} (jao.${INDEX})`,
    async () => {
      const { rows } = await client.query<{ valid: boolean }>(
        'SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = to_regclass($1)',
        [`jao.${INDEX}`],
      );
      if (rows[0]?.valid) return;
      if (rows[0]) {
        report(`028 drops jao.${INDEX}, left invalid by an interrupted build, and builds it again`);
        await client.query(`DROP INDEX CONCURRENTLY IF EXISTS jao.${INDEX}`);
      }
      await client.query(`CREATE INDEX CONCURRENTLY ${INDEX} ON jao.day_write (dataset, day, written_at)`);
    },
    lockRetry,
    report,
  );
}

export const dayWriteIndex: MigrationStep = {
  describe: 'index (dataset, day, written_at) of jao.day_write, concurrently',
  requires: null,
  run: buildIndex,
};
