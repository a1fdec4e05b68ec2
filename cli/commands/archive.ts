// `npx jao archive [--verify]`: ships every write not archived yet to ARCHIVE_URL with a progress line, in this
// process (the archive schedule does the same in the worker); `--verify` re-reads the archive and checks every
// archived write's objects and hashes against the database (docs/archive.md). Exit 1 when verification finds a fault.
// After shipping, under RAW_RETENTION_DAYS, the old archived bodies leave the database, as in the archive workflow.
import { openArchiveStore } from '../../archive/openStore';
import { pruneArchivedBodies } from '../../archive/prune';
import { shipPendingWrites } from '../../archive/ship';
import { verifyArchive } from '../../archive/verify';
import { parseCommandArgs } from '../args';
import { configFromEnv, withPool } from '../context';
import type { CliIo } from '../io';
import { COMMAND_OPTIONS } from '../options';
import { progressLine } from '../progressLine';

export async function archiveCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('archive', argv, COMMAND_OPTIONS.archive, 0);
  const config = configFromEnv(io.env);
  const store = await openArchiveStore(undefined, io.env);
  const progress = progressLine(io.stderr);
  return withPool(config.DATABASE_URL, { max: 2, applicationName: 'jao archive' }, async (pool) => {
    if (values.verify) {
      const report = await verifyArchive(pool, store, (checked, total) =>
        progress.write(`verify ${store.location}: ${checked}/${total} archived writes checked`),
      );
      progress.end();
      for (const fault of report.faults) io.out(`  ${fault}`);
      io.out(
        `verify ${store.location}: ${report.checked} archived writes, ${report.answers} answers checked; ` +
          `${report.faults.length === 0 ? 'every hash matches the database' : `${report.faults.length} fault(s)`}`,
      );
      return report.faults.length > 0 ? 1 : 0;
    }
    const result = await shipPendingWrites(pool, store, {
      onProgress: (p) =>
        progress.write(`archive ${store.location}: ${p.shipped} writes shipped, ${p.pending} waiting`),
    });
    progress.end();
    io.out(
      `archive ${store.location}: ${result.shipped} write(s) shipped (${result.answersWritten} new answer(s)); ${result.pending} waiting`,
    );
    const retentionDays = config.RAW_RETENTION_DAYS;
    if (retentionDays === undefined) {
      io.out('raw bodies: every one kept in the database (RAW_RETENTION_DAYS unset)');
      return 0;
    }
    const pruned = await pruneArchivedBodies(pool, store, retentionDays);
    for (const fault of pruned.faults) io.out(`  ${fault}`);
    io.out(
      `raw bodies: ${pruned.dropped} dropped from the database (archived, read back, last fetched over ${retentionDays} day(s) ago)` +
        (pruned.faults.length > 0 ? `; ${pruned.faults.length} kept: their archive object is not right` : ''),
    );
    return pruned.faults.length > 0 ? 1 : 0;
  });
}
