// `npx jao archive [--verify]`: ships every write not archived yet to ARCHIVE_URL with a progress line, in this
// process (the archive schedule does the same in the worker); `--verify` re-reads the archive and checks every
// archived write's objects and hashes against the database (docs/archive.md). Exit 1 when verification finds a fault.
// After shipping, under RAW_RETENTION_DAYS, the old archived bodies leave the database, as in the archive workflow.
import { openArchiveStore } from '../../archive/openStore';
import { pruneArchivedBodies } from '../../archive/prune';
import { shipPendingWrites } from '../../archive/ship';
import { verifyArchive } from '../../archive/verify';
import { createPool } from '../../db/pool';
import { parseCommandArgs } from '../args';
import { configFromEnv } from '../context';
import { COMMAND_OPTIONS } from '../options';

const OPTIONS = COMMAND_OPTIONS.archive;

export function parseArchiveArgs(argv: string[]) {
  const { values } = parseCommandArgs('archive', argv, OPTIONS, 0);
  return { verify: values.verify ?? false };
}

/** A progress line that rewrites itself on a terminal and prints once per change elsewhere. */
function progressWriter() {
  const tty = process.stderr.isTTY;
  let last = '';
  return {
    write(line: string) {
      if (line === last) return;
      process.stderr.write(tty ? `\r${line}` : `${line}\n`);
      last = line;
    },
    end() {
      if (tty && last) process.stderr.write('\n');
    },
  };
}

export async function archiveCommand(argv: string[]): Promise<void> {
  const { verify } = parseArchiveArgs(argv);
  const config = configFromEnv();
  const store = await openArchiveStore(undefined);
  const pool = createPool(config.DATABASE_URL, { max: 2, applicationName: 'jao archive' });
  const progress = progressWriter();
  try {
    if (verify) {
      const report = await verifyArchive(pool, store, (checked, total) =>
        progress.write(`verify ${store.location}: ${checked}/${total} archived writes checked`),
      );
      progress.end();
      for (const fault of report.faults) console.log(`  ${fault}`);
      console.log(
        `verify ${store.location}: ${report.checked} archived writes, ${report.answers} answers checked; ` +
          `${report.faults.length === 0 ? 'every hash matches the database' : `${report.faults.length} fault(s)`}`,
      );
      if (report.faults.length > 0) process.exitCode = 1;
      return;
    }
    const result = await shipPendingWrites(pool, store, {
      onProgress: (p) =>
        progress.write(`archive ${store.location}: ${p.shipped} writes shipped, ${p.pending} waiting`),
    });
    progress.end();
    console.log(
      `archive ${store.location}: ${result.shipped} write(s) shipped (${result.answersWritten} new answer(s)); ${result.pending} waiting`,
    );
    const retentionDays = config.RAW_RETENTION_DAYS;
    if (retentionDays === undefined) {
      console.log('raw bodies: every one kept in the database (RAW_RETENTION_DAYS unset)');
      return;
    }
    const pruned = await pruneArchivedBodies(pool, store, retentionDays);
    for (const fault of pruned.faults) console.log(`  ${fault}`);
    console.log(
      `raw bodies: ${pruned.dropped} dropped from the database (archived, read back, last fetched over ${retentionDays} day(s) ago)` +
        (pruned.faults.length > 0 ? `; ${pruned.faults.length} kept: their archive object is not right` : ''),
    );
    if (pruned.faults.length > 0) process.exitCode = 1;
  } finally {
    await pool.end();
  }
}
