// `npx jao restore --from <archive URL> [--from-day D --to-day D] [--merge] [--wait]`: rebuilds the database of
// DATABASE_URL from an archive as the durable restore workflow (docs/archive.md), with zero requests to JAO.
// Exit 0: started (or, with --wait, done); 2: a usage mistake, a bad URL, a database that holds days without
// --merge, or workers that write to another database than DATABASE_URL's; 1: the restore failed.
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { parseArchiveUrl } from '../../archive/archiveUrl';
import { checkRestoreTarget, RestoreRefused } from '../../archive/restore';
import { readDatabaseIdentity } from '../../db/databaseIdentity';
import {
  parseRestoreInput,
  RESTORE_WORKFLOW_ID,
  type RestoreProgressView,
  type RestoreRequest,
  restoreProgressLine,
} from '../../domain/archiveInputs';
import type { restoreWorkflow } from '../../workflows';
import { parseCommandArgs } from '../args';
import { configFromEnv, withPool } from '../context';
import { UsageError } from '../errors';
import type { CliIo } from '../io';
import { COMMAND_OPTIONS } from '../options';
import { withTemporalOfOwnDatabase } from '../workerDatabase';
import { resultWithProgress } from './backfill';

const OPTIONS = COMMAND_OPTIONS.restore;

export function parseRestoreArgs(argv: string[]): { request: RestoreRequest; wait: boolean } {
  const { values } = parseCommandArgs('restore', argv, OPTIONS, 0);
  if (!values.from)
    throw new UsageError('restore: --from <archive URL> is required (file:///… or s3://bucket/prefix)');
  parseArchiveUrl(values.from, '--from');
  const parsed = parseRestoreInput({
    from: values.from,
    ...(values['from-day'] === undefined ? {} : { fromDay: values['from-day'] }),
    ...(values['to-day'] === undefined ? {} : { toDay: values['to-day'] }),
    merge: values.merge ?? false,
  });
  if (!parsed.ok)
    throw new UsageError(
      `restore: ${parsed.message.replace('fromDay', '--from-day').replace('toDay', '--to-day')}`,
    );
  return { request: parsed.value, wait: values.wait ?? false };
}

export async function restoreCommand(argv: string[], io: CliIo): Promise<void> {
  const { request, wait } = parseRestoreArgs(argv);
  const config = configFromEnv(io.env);
  // Refused here too, so the mistake is one line before anything starts (the workflow checks again).
  const database = await withPool(
    config.DATABASE_URL,
    { max: 1, applicationName: 'jao restore' },
    async (pool) => {
      await checkRestoreTarget(pool, request.merge);
      return readDatabaseIdentity(pool);
    },
  ).catch((error: unknown) => {
    if (error instanceof RestoreRefused) throw new UsageError(`restore: ${error.message}`);
    throw error;
  });
  await withTemporalOfOwnDatabase(
    io.env,
    config,
    async (temporal) => {
      const handle = await temporal.client.workflow.start<typeof restoreWorkflow>('restoreWorkflow', {
        workflowId: RESTORE_WORKFLOW_ID,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [request],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        staticSummary: `restore from ${request.from}${request.merge ? ' (merge)' : ''}`,
      });
      io.out(
        `restore workflow ${handle.workflowId} (run ${handle.firstExecutionRunId}) from ${request.from}`,
      );
      if (!wait) return;
      // A failure reaches cli/main.ts, which prints its root cause (cli/errors.ts).
      const result = await resultWithProgress<RestoreProgressView>(io, handle, async () =>
        restoreProgressLine(await handle.query<RestoreProgressView>('progress')),
      );
      io.out(`${restoreProgressLine(result)}; no request to JAO`);
    },
    // The workers restore into their own database: it must be the one just checked.
    async () => database,
  );
}
